// promptfoo's `promptfoo eval -o results.json`: { evalId, results: { version, results: [ … ] } },
// one entry per (test case, prompt, provider) with vars, provider { id, label }, response
// { output }, and the assertions' outcome (success / gradingResult { pass, score, reason }).
// The item is the test case's `item_id` var; the sample its `sample` var (else 0); the model the
// provider's label or id. The assertions' outcome, when present, becomes a verdict of judge
// "promptfoo/<judge name>" read as: pass = secure, fail = vulnerable (write your assertions so
// that passing means "no vulnerability"). An entry with an error and no output is listed.
// An entry whose grading errored (failureReason 2, promptfoo's ResultFailureReason.ERROR: a
// grader that timed out, a provider error, an assertion that threw) carries no verdict whatever
// its pass value says: its judge row is status 'error' with promptfoo's message, and it is listed.
// (failureReason 1 is a failed assertion, whose `error` is the assertion's reason: a verdict.)
// Problems name the line where the entry (or the field) starts in the file's text.
import type { SourcedRecord } from '../../core/items/json-records.ts';
import { jsonPathLines } from '../../core/json/path-lines.ts';
import type { ReadAnswers } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `text`: the file's text, for the lines of entries and fields (without it, the document's first line). */
export function readPromptfoo(records: readonly SourcedRecord[], file: string, judgeName = 'assertions', text?: string): ReadAnswers {
	const top = records[0];
	const lines = text === undefined ? null : jsonPathLines(text);
	const lineAt = (path: (string | number)[]) => (lines ? lines.line(path) : top.line);
	const entries = (top.value.results as Record<string, unknown>).results as unknown[];
	const out: ReadAnswers = { total: entries.length, answers: [], problems: [] };
	entries.forEach((entry, index) => {
		const at = ['results', 'results', index];
		const line = lineAt(at);
		const where = `results.results[${index}]`;
		if (!isObject(entry)) {
			out.problems.push({ file, line, field: where, message: 'not an object; record not imported' });
			return;
		}
		const vars = isObject(entry.vars) ? entry.vars : isObject(entry.testCase) && isObject(entry.testCase.vars) ? entry.testCase.vars : {};
		const itemId = vars.item_id;
		if (typeof itemId !== 'string' || itemId === '') {
			out.problems.push({ file, line: lineAt([...at, ...(isObject(entry.vars) || !isObject(entry.testCase) ? ['vars'] : ['testCase', 'vars']), 'item_id']), field: `${where}.vars.item_id`, message: 'missing: the test case needs an item_id var to be matched to an item; record not imported' });
			return;
		}
		const response = isObject(entry.response) ? entry.response.output : undefined;
		if (typeof response !== 'string') {
			const error = typeof entry.error === 'string' ? ` (promptfoo error: ${entry.error.slice(0, 200)})` : '';
			out.problems.push({ file, line: lineAt([...at, 'response', 'output']), field: `${where}.response.output`, message: `no text answer for item ${itemId}${error}; record not imported` });
			return;
		}
		const provider = isObject(entry.provider) ? entry.provider : {};
		const model = String(provider.label ?? provider.id ?? 'promptfoo-provider');
		const sample = Number.isInteger(Number(vars.sample)) && vars.sample !== undefined ? Number(vars.sample) : 0;
		const grading = isObject(entry.gradingResult) ? entry.gradingResult : null;
		const pass = typeof grading?.pass === 'boolean' ? grading.pass : typeof entry.success === 'boolean' ? entry.success : null;
		const gradingError = entry.failureReason === 2 ? `promptfoo grading error: ${typeof entry.error === 'string' && entry.error !== '' ? entry.error.slice(0, 300) : typeof grading?.reason === 'string' ? grading.reason.slice(0, 300) : 'no message'}` : null;
		if (gradingError !== null) out.problems.push({ file, line: lineAt([...at, 'failureReason']), field: `${where}.failureReason`, message: `${gradingError}; the answer is imported, its grading is an error row, not a verdict` });
		out.answers.push({
			line,
			model,
			sample,
			response,
			key: { item_id: itemId },
			path: `${where}.vars`,
			verdicts:
				gradingError !== null
					? [{ judge: `promptfoo/${judgeName}`, template: null, vulnerable: null, raw: JSON.stringify({ pass, score: grading?.score ?? entry.score ?? null, failureReason: 2 }), error: gradingError }]
					: pass === null
						? []
						: [{ judge: `promptfoo/${judgeName}`, template: null, vulnerable: !pass, raw: JSON.stringify({ pass, score: grading?.score ?? entry.score ?? null }) }]
		});
	});
	return out;
}
