// Reading the items table for a command-line run: through the small all-Utf8 Arrow reader
// (arrow/utf8-stream-reader.ts), so a run does not load apache-arrow at all; a table that
// reader does not read (another writer's types, a damaged file) goes through apache-arrow
// (items-arrow.ts), which reads anything valid and names what is wrong. Same items either way.
import { ITEM_COLUMNS, type Item } from '../../core/items/item.ts';
import { readUtf8Stream } from '../../arrow/utf8-stream-reader.ts';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';
import type { ItemsFilter } from './items-arrow.ts';

/** The items of an all-Utf8 items stream (only `filter.task`'s, if given), or null when the small reader cannot read it. */
export function itemsFromUtf8Stream(bytes: Uint8Array, filter: ItemsFilter = {}): Item[] | null {
	const table = readUtf8Stream(bytes);
	if (!table) return null;
	// As itemsFromArrowStream: every column of ITEM_COLUMNS, in that order; a missing one is null.
	const columns = ITEM_COLUMNS.map((name) => [name, table.column(name)] as const);
	const task = filter.task === undefined ? null : table.column('task');
	const items: Item[] = [];
	for (let i = 0; i < table.numRows; i++) {
		if (task && task(i) !== filter.task) continue;
		const row: Record<string, unknown> = {};
		for (const [name, column] of columns) row[name] = column?.(i) ?? null;
		items.push(row as unknown as Item);
	}
	return items;
}

export async function readItemsFile(path: string, filter: ItemsFilter = {}): Promise<Item[]> {
	// A FIFO, socket or device is refused by name, never waited on.
	const bytes = await readRegularFileAsync(path);
	const items = itemsFromUtf8Stream(bytes, filter);
	if (items) return items;
	const { itemsFromArrowStream } = await import('./items-arrow.ts');
	return itemsFromArrowStream(bytes, filter);
}
