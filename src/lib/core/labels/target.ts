// What an annotator labels: a benchmark item, one model generation (a completion or a repair
// a model wrote for an item; the paper's experts labelled those), or a Vul-Evol survivor (an
// evolved scenario to accept or reject, shown beside its seed). All are shown the same way:
// code, its language, the target CWE and the item's scenario.
import type { Item } from '../items/item.ts';

export type TargetKind = 'item' | 'generation' | 'survivor';

/** A Vul-Evol survivor's seed, strategy and filter outcomes, shown beside the evolved scenario. */
export interface EvolveView {
	seed_id: string;
	seed_code: string;
	strategy: string;
	sample: number;
	/** Every quality filter in the order they ran, with its outcome and reason. */
	filters: { filter: string; outcome: string; reason: string }[];
}

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
	/** Survivors only (the evolved scenario is `code`); absent on items and generations. */
	evolve?: EvolveView;
}

/** A copy holding the view's fields only: whatever else a target carries (model, run) stays out. */
export function viewOf(target: TargetView): TargetView {
	const { target_id, kind, task, set, cwe, language, scenario, code, prompt_item_id, sample, evolve } = target;
	return { target_id, kind, task, set, cwe, language, scenario, code, prompt_item_id, sample, ...(evolve ? { evolve } : {}) };
}

export function itemTarget(item: Item): TargetView {
	const { item_id, task, set, cwe, language, scenario, code } = item;
	return { target_id: item_id, kind: 'item', task, set, cwe, language, scenario, code, prompt_item_id: null, sample: null };
}
