// Merging items from several files into one table: duplicates (the same program reached
// twice, e.g. a folder holding both layouts) are dropped, conflicting ones are an error, and
// the order is fixed (task, then item_id) so the same data always gives the same table.
import { TASKS, type Item } from './item.ts';

export interface CollectedItems {
	items: Item[];
	/** Items dropped because an identical one (same id and code) was already there. */
	duplicates: number;
}

export function collectItems(items: Iterable<Item>): CollectedItems {
	const byId = new Map<string, Item>();
	let duplicates = 0;
	for (const item of items) {
		const seen = byId.get(item.item_id);
		if (!seen) {
			byId.set(item.item_id, item);
			continue;
		}
		if (seen.code !== item.code || seen.label !== item.label) {
			throw new Error(`two different programs have the id ${item.item_id}: ${seen.source} and ${item.source}`);
		}
		duplicates++;
	}
	const taskOrder = new Map(TASKS.map((t, i) => [t, i]));
	const sorted = [...byId.values()].sort(
		(a, b) => taskOrder.get(a.task)! - taskOrder.get(b.task)! || a.item_id.localeCompare(b.item_id, 'en', { numeric: true })
	);
	return { items: sorted, duplicates };
}
