// What a judge judges: one program (a generation's extracted code, or an item's code) with the
// context a verdict needs. Pure data; runs/judge-targets.ts reads targets from runs and items.
import type { CweId, Language } from '../core/cwe.ts';

export interface JudgeTarget {
	/** The generation's unit id, or the item id for item targets. */
	target_id: string;
	item_id: string;
	/** The generating model; null for item targets. */
	model: string | null;
	sample: number;
	task: string;
	cwe: CweId;
	language: Language;
	scenario: string;
	/** The code to judge: the generation's extracted code, or the item's code. */
	code: string;
	/** The raw answer (detection runs are scored from it). */
	response: string;
	/** Truth for scoring, when the item has one. */
	label: string | null;
	label_class: string | null;
}

/** The row fields every verdict row carries about its target. */
export function targetMeta(t: JudgeTarget, judge: string, sourceRunId: string | null): Record<string, string | number | null> {
	return {
		target_id: t.target_id,
		item_id: t.item_id,
		model: t.model,
		judge,
		template: null,
		task: t.task,
		cwe: t.cwe,
		language: t.language,
		source_run_id: sourceRunId,
		label: t.label,
		label_class: t.label_class,
		scenario: t.scenario,
		predicted_cwe: null
	};
}
