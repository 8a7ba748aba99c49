// The canonical benchmark item: one row of the `items` table.
import type { ClassLabel, CweId, Language } from '../cwe.ts';
import { ITEM_SETS, TASKS, type ItemSet, type Task } from '../vocabulary.ts';

export { ITEM_SETS, TASKS, type ItemSet, type Task };
export type BinaryLabel = 'vulnerable' | 'non_vulnerable';

export interface Item {
	/** Stable and readable, e.g. 'completion/vul-evol/CWE-119/codeql-eg-OverflowBuffer/0'. */
	item_id: string;
	task: Task;
	set: ItemSet;
	cwe: CweId;
	language: Language;
	/** Pearce et al. scenario folder name, e.g. 'codeql-eg-OverflowBuffer'. */
	scenario: string;
	code: string;
	/** Null for completion prompts, which have no label of their own. */
	label: BinaryLabel | null;
	/** The 19-class label: a CWE id or 'non_vulnerable'; null when label is null. */
	label_class: ClassLabel | null;
	/** Where the item came from: the upstream path (origin_path), e.g. 'datasets/CoV-Eval_v1/…'. */
	source: string;
}

/** Column order of the items table (Arrow, SQL). */
export const ITEM_COLUMNS = [
	'item_id',
	'task',
	'set',
	'cwe',
	'language',
	'scenario',
	'code',
	'label',
	'label_class',
	'source'
] as const satisfies readonly (keyof Item)[];

/** Expected item counts of the complete benchmark, per task (paper §3 and the data). */
export const EXPECTED_TASK_COUNTS: Readonly<Record<Task, number>> = Object.freeze({
	completion: 324,
	repair: 477,
	detection: 531,
	reference: 1087
});

/** Expected counts per set (a finer check than per task). */
export const EXPECTED_SET_COUNTS: Readonly<Record<ItemSet, number>> = Object.freeze({
	seed: 54,
	'vul-evol': 270,
	repair: 477,
	detection: 531,
	pearce: 1087
});
