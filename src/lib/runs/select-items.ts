// Which benchmark items a run covers: a task, optionally narrowed by set, CWE and language,
// then cut to a limit — the first N in item order, or a seeded random sample of N (the same
// seed always picks the same items, so a sampled run can be resumed and reproduced).
import { tryNormalizeCweId, type CweId, type Language } from '../core/cwe.ts';
import type { Item, ItemSet, Task } from '../core/items/item.ts';
import { createRng } from '../core/stats/random.ts';
import { compareItemIds, plainItemIds } from '../core/items/item-id-order.ts';

export interface ItemSelection {
	task: Task;
	set?: ItemSet[];
	cwe?: CweId[];
	language?: Language[];
	limit?: number;
	/** With a limit: sample `limit` items at random from this seed instead of taking the first. */
	seed?: number;
}

export class SelectionError extends Error {}

// One collator for every comparison: the same order as a.localeCompare(b, 'en', { numeric: true })
// (which is specified as this collator's compare), without building one per call.
let collator: Intl.Collator | null = null;
const byItemId = (a: Item, b: Item) => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a.item_id, b.item_id);

/**
 * An evolved set's items (covw evolve) carry set "evolved-<name>", apart from the paper's Vul-Evol;
 * `--evolved <name> --set vul-evol` still selects them, as before they had a set of their own.
 */
const isEvolvedSet = (set: string) => set.startsWith('evolved-');

export function selectItems(items: readonly Item[], selection: ItemSelection): Item[] {
	const pool = items
		.filter((i) => i.task === selection.task)
		.filter((i) => !selection.set?.length || selection.set.includes(i.set) || (selection.set.includes('vul-evol') && isEvolvedSet(i.set)))
		.filter((i) => !selection.cwe?.length || selection.cwe.includes(i.cwe))
		.filter((i) => !selection.language?.length || selection.language.includes(i.language));
	// Ids of plain ASCII (every CoV-Eval id) are ordered as the collator orders them without it
	// (core/items/item-id-order.ts: building it was ~8 ms of CPU at a run's start).
	pool.sort(plainItemIds(pool.map((i) => i.item_id)) ? (a, b) => compareItemIds(a.item_id, b.item_id) : byItemId);
	const limit = selection.limit;
	if (limit === undefined || limit >= pool.length) return pool;
	if (!Number.isInteger(limit) || limit < 1) throw new SelectionError(`limit must be a positive integer, got ${limit}`);
	if (selection.seed === undefined) return pool.slice(0, limit);
	// Partial Fisher-Yates over indices; the picked items keep item order for readability.
	const rng = createRng(selection.seed);
	const indices = pool.map((_, i) => i);
	for (let i = 0; i < limit; i++) {
		const j = i + Math.floor(rng() * (indices.length - i));
		[indices[i], indices[j]] = [indices[j], indices[i]];
	}
	return indices
		.slice(0, limit)
		.sort((a, b) => a - b)
		.map((i) => pool[i]);
}

/** 'CWE-79', 'cwe-79' or '79' → 'CWE-79'; throws naming the bad value. */
export function parseCweList(values: string[]): CweId[] {
	return values.map((v) => {
		const id = tryNormalizeCweId(v);
		if (!id) throw new SelectionError(`unknown CWE "${v}" (write e.g. CWE-79)`);
		return id;
	});
}
