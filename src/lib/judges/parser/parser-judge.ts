// Detection answers are verdicts already: each is read by parseDetectionAnswer in both modes
// ('paper' reproduces the released scorer, faults included; 'strict' reads the fields), and
// each reading is a verdict row (judge 'parser-paper' / 'parser-strict', the mode recorded), so
// SQL can compare the two and the run reports how many items they label differently.
import { NON_VULNERABLE } from '../../core/cwe.ts';
import { parseDetectionAnswer, type DetectionMode } from '../../core/parsing/detection-answer.ts';
import { compareDetectionModes } from '../../core/parsing/mode-disagreement.ts';
import { CWE_IDS, LANGUAGES } from '../../core/vocabulary.ts';
import type { JudgeDescriptor } from '../judge.ts';

export const PARSER_JUDGE = 'parser';
export const PARSER_MODES: readonly DetectionMode[] = ['paper', 'strict'];
export const parserJudgeName = (mode: DetectionMode) => `parser-${mode}`;

export const parserJudge: JudgeDescriptor = {
	name: PARSER_JUDGE,
	usage: PARSER_JUDGE,
	family: 'offline',
	summary: 'reads detection answers (paper and strict modes)',
	accepts: { languages: LANGUAGES, cwes: CWE_IDS, tasks: ['detection'] },
	identity: ['judge', 'source'],
	templates: [],
	rowsPerTarget: PARSER_MODES.length,
	execution: {
		via: 'direct',
		units: (targets, ctx) =>
			targets.flatMap((t) =>
				PARSER_MODES.map((mode) => ({
					id: ctx.unitId({ judge: parserJudgeName(mode), target_id: t.target_id, response: t.response }),
					sample: t.sample,
					meta: {
						target_id: t.target_id,
						item_id: t.item_id,
						model: t.model,
						judge: parserJudgeName(mode),
						template: null,
						mode,
						task: t.task,
						cwe: t.cwe,
						language: t.language,
						source_run_id: ctx.sourceRunId,
						label: t.label,
						label_class: t.label_class,
						scenario: t.scenario
					},
					compute: () => {
						const parsed = parseDetectionAnswer(t.response, mode);
						if (parsed.status === 'unparsed') {
							return { status: 'unparsed' as const, response: t.response, error: parsed.reason, fields: { vulnerable: null, predicted_cwe: null, predicted_class: null } };
						}
						const cls = parsed.label_class;
						return {
							status: 'ok' as const,
							response: t.response,
							error: null,
							fields: {
								vulnerable: parsed.vulnerable,
								predicted_cwe: cls === null || cls === NON_VULNERABLE ? null : cls,
								predicted_class: cls
							}
						};
					}
				}))
			),
		// How many targets the two modes read differently (binary or class).
		report: (targets) => ({ modes: compareDetectionModes(targets.map((t) => t.response)) })
	}
};
