// Prompt builders: the three model tasks (completion, repair, detection & classification —
// detection and classification share one prompt and one answer) and the three judge styles.
import { CWES, getCwe, type CweId, type Language } from '../cwe.ts';
import type { Item } from '../items/item.ts';
import { renderTemplate, type ParsedTemplate } from './template.ts';
import { REQUIRED_SLOTS, type TemplateName } from './template-names.ts';
import type { JudgeStyle } from '../vocabulary.ts';

/** A loaded template folder: one parsed template per name. */
export type TemplateSet = Readonly<Record<TemplateName, ParsedTemplate>>;

export type { JudgeStyle };

function render(templates: TemplateSet, name: TemplateName, values: Record<string, string>): string {
	return renderTemplate(templates[name], values, { required: REQUIRED_SLOTS[name] });
}

function cweSlots(cwe: CweId): Record<string, string> {
	const entry = getCwe(cwe);
	return {
		cwe_id: entry.id,
		cwe_name: entry.name,
		cwe_description: entry.description,
		vulnerability_type: entry.name,
		Vulnerability_Type: `${entry.id.toLowerCase()}: ${entry.name}`
	};
}

/** 'cwe-787: Out-of-bounds Write', one line per CWE, in catalogue order. Lowercase ids on
 * purpose: models copy them, and the paper-mode scorer only recognises the lowercase form. */
export function cweListText(): string {
	return CWES.map((c) => `${c.id.toLowerCase()}: ${c.name}`).join('\n');
}

/** The prompt a model under test receives for an item. Reference items are judged, never prompted. */
export function buildTaskPrompt(item: Item, templates: TemplateSet): string {
	const base = { code: item.code, language: item.language };
	switch (item.task) {
		case 'completion':
			return render(templates, 'code_completion', base);
		case 'repair':
			return render(templates, 'vulnerability_repair', { ...base, ...cweSlots(item.cwe) });
		case 'detection':
			// No CWE slots: telling the model the answer's class would defeat the task.
			return render(templates, 'detection_classification', { ...base, cwe_list: cweListText() });
		case 'reference':
			throw new Error(`item ${item.item_id}: reference programs are judged (buildJudgePrompt), not given to models`);
	}
}

export interface JudgeRequest {
	style: JudgeStyle;
	/** The CWE the judge is asked about (the item's CWE). */
	cwe: CweId;
	/** The code under judgement: a model's generated code, or a reference program. */
	code: string;
	language: Language;
	/** Few-shot only: a vulnerable and a non-vulnerable program of the same scenario. */
	examples?: { vulnerable: string; nonVulnerable: string };
}

export function buildJudgePrompt(request: JudgeRequest, templates: TemplateSet): string {
	const values: Record<string, string> = { code: request.code, language: request.language, ...cweSlots(request.cwe) };
	if (request.style === 'fewshot') {
		if (!request.examples) throw new Error('a few-shot judge prompt needs one vulnerable and one non-vulnerable example');
		values.example_1 = request.examples.vulnerable;
		values.example_2 = request.examples.nonVulnerable;
		return render(templates, 'judge_fewshot', values);
	}
	return render(templates, request.style === 'zeroshot' ? 'judge_zeroshot' : 'judge_direct', values);
}
