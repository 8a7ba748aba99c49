// What a judge run judges, as recorded in its parameters (and so in its run id): a generation
// run, or a set of items together with the hash of those items — judging a different import of
// the same set must start a new run, not resume the old one and mix the two.
import type { Item, ItemSet } from '../core/items/item.ts';
import { itemsHash } from './dataset-hash.ts';

export interface JudgeSource {
	/** Recorded in the run's params. */
	source: { run: string } | { items: ItemSet | undefined; items_hash: string };
	/** The readable part of the run id. */
	name: string;
}

export function judgeSource(options: { sourceRunId?: string; itemSet?: ItemSet; items?: readonly Item[] }): JudgeSource {
	if (options.sourceRunId !== undefined) return { source: { run: options.sourceRunId }, name: options.sourceRunId };
	const items = (options.items ?? []).filter((item) => item.set === options.itemSet);
	return { source: { items: options.itemSet, items_hash: itemsHash(items) }, name: `items-${options.itemSet}` };
}
