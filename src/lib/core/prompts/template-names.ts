// The prompt templates a template folder holds, and the slots each may and must use. File
// names match the official CoV-Eval templates, so `--templates <their folder>` just works.

export type TemplateName =
	| 'code_completion'
	| 'vulnerability_repair'
	| 'detection_classification'
	| 'judge_zeroshot'
	| 'judge_fewshot'
	| 'judge_direct';

export const TEMPLATE_NAMES: readonly TemplateName[] = [
	'code_completion',
	'vulnerability_repair',
	'detection_classification',
	'judge_zeroshot',
	'judge_fewshot',
	'judge_direct'
];

export function templateFileName(name: TemplateName): string {
	return `${name}.txt`;
}

/** Slots every template must contain. */
export const REQUIRED_SLOTS: Readonly<Record<TemplateName, readonly string[]>> = {
	code_completion: ['code'],
	vulnerability_repair: ['code'],
	detection_classification: ['code'],
	judge_zeroshot: ['code'],
	judge_fewshot: ['code', 'example_1', 'example_2'],
	judge_direct: ['code']
};

/*
 * Slots on offer (a template may use any subset beyond its required ones):
 *   code                the program (item code, or the model's generated code for judges)
 *   language            'c' or 'python'
 *   vulnerability_type  the CWE's MITRE name (official repair template)
 *   Vulnerability_Type  'cwe-22: <MITRE name>' (official judge templates)
 *   cwe_id              'CWE-22';  cwe_name: MITRE name;  cwe_description: our one-line description
 *   cwe_list            one line per CWE of the 18: 'CWE-787: Out-of-bounds Write'
 *   example_1 / example_2  few-shot judge only: a vulnerable / a non-vulnerable program
 */
