// The released CoV-Eval results (results/<task folder>/<model>.json upstream): one record per
// answer with vul_type_id, source_code_id, source_code, response and — for completion and
// repair — vul_eval, GPT-4o's verdict ("safe" / "unsafe"). The model is the file's name; the
// task comes from the folder (code_completion, vulnerability_repair,
// vulnerability_detection_classification) or, failing that, from the fields. Items are found
// by their program text (source_code). vul_eval becomes a verdict of judge "openai/gpt-4o",
// with the template the upstream harness used for that task (few-shot Yes/No for completion,
// zero-shot safe/unsafe for repair).
import { basename, dirname } from 'node:path';
import type { SourcedRecord } from '../../core/items/json-records.ts';
import type { CarriedVerdict, ForeignAnswer, ReadAnswers } from './types.ts';

export const RELEASED_JUDGE = 'openai/gpt-4o';
const TEMPLATE_OF: Record<string, string> = { completion: 'fewshot', repair: 'zeroshot' };

const FOLDER_TASK: Record<string, string> = {
	code_completion: 'completion',
	vulnerability_repair: 'repair',
	vulnerability_detection_classification: 'detection'
};

export function releasedTask(file: string, first: Record<string, unknown>): string | null {
	const folder = basename(dirname(file));
	if (FOLDER_TASK[folder]) return FOLDER_TASK[folder];
	if ('binary_match' in first || 'multi_match' in first) return 'detection';
	return null;
}

export function releasedModel(file: string): string {
	return basename(file).replace(/\.jsonl?$/i, '');
}

function verdictOf(value: unknown, task: string | null): CarriedVerdict | null {
	if (value === undefined) return null;
	const raw = typeof value === 'string' ? value : JSON.stringify(value);
	const word = raw.trim().toLowerCase();
	return {
		judge: RELEASED_JUDGE,
		template: task ? (TEMPLATE_OF[task] ?? null) : null,
		vulnerable: word === 'unsafe' ? true : word === 'safe' ? false : null,
		raw
	};
}

export function readReleased(records: readonly SourcedRecord[], file: string): ReadAnswers {
	const task = releasedTask(file, records[0]?.value ?? {});
	const model = releasedModel(file);
	const out: ReadAnswers = { total: records.length, answers: [], problems: [] };
	for (const { value, line } of records) {
		const missing = ['source_code', 'response'].find((k) => typeof value[k] !== 'string');
		if (missing) {
			out.problems.push({ file, line, field: missing, message: `missing or not text; record not imported` });
			continue;
		}
		const verdict = task === 'detection' ? null : verdictOf(value.vul_eval, task);
		const answer: ForeignAnswer = {
			line,
			model,
			sample: 0,
			response: value.response as string,
			key: {
				task,
				code: value.source_code as string,
				cwe: typeof value.vul_type_id === 'string' ? value.vul_type_id.toUpperCase() : null,
				scenario: typeof value.source_code_id === 'string' ? value.source_code_id : null
			},
			verdicts: verdict ? [verdict] : []
		};
		if (verdict && verdict.vulnerable === null) {
			out.problems.push({ file, line, field: 'vul_eval', message: `${JSON.stringify(verdict.raw)} is neither "safe" nor "unsafe"; kept as an unreadable verdict` });
		}
		out.answers.push(answer);
	}
	return out;
}
