// What an annotator labels: a benchmark item, or one model generation (a completion or a repair
// a model wrote for an item; the paper's experts labelled those). Both are shown the same way:
// code, its language, the target CWE and the item's scenario.
import type { Item } from '../items/item.ts';

export type TargetKind = 'item' | 'generation';

/**
 * A target as shown BEFORE the annotator answers. It holds nothing that tells what others
 * decided (judges, the dataset's label) nor, for a generation, which model wrote it or which
 * run it came from: a model's name anchors as much as a judge's verdict does.
 */
export interface TargetView {
	/** An item_id, or a generation's unit_id (the id judges' verdicts use as their target_id). */
	target_id: string;
	kind: TargetKind;
	/** The item's task; for a generation, the task the model was asked to do (completion, repair). */
	task: string;
	/** The item's set (for a generation, the set of the item it answered). */
	set: string;
	cwe: string;
	language: string;
	scenario: string;
	code: string;
	/** Generations only: the benchmark item whose prompt the model answered, and the sample index. */
	prompt_item_id: string | null;
	sample: number | null;
}

/** A copy holding the view's fields only: whatever else a target carries (model, run) stays out. */
export function viewOf(target: TargetView): TargetView {
	const { target_id, kind, task, set, cwe, language, scenario, code, prompt_item_id, sample } = target;
	return { target_id, kind, task, set, cwe, language, scenario, code, prompt_item_id, sample };
}

export function itemTarget(item: Item): TargetView {
	const { item_id, task, set, cwe, language, scenario, code } = item;
	return { target_id: item_id, kind: 'item', task, set, cwe, language, scenario, code, prompt_item_id: null, sample: null };
}
