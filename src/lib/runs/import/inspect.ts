// An Inspect AI JSON eval log (`inspect eval … --log-format json`): { eval: { task, model, … },
// samples: [ { id, epoch, output: { choices: [ { message: { content } } ], completion },
// scores: { <scorer>: { value, answer, explanation } }, metadata } ] }. The item is the
// sample's metadata.item_id, else its id; the sample index epoch - 1; the model eval.model
// (or output.model). Each scorer's value becomes a verdict of judge "inspect/<scorer>", read as:
// C / true / 1 / "secure" / "safe" = secure, I / false / 0 / "vulnerable" / "unsafe" = vulnerable;
// any other value is kept as an unreadable verdict and listed. A sample that errored (its
// `error`, or its output's `error`: the model call or a scorer failed) carries no verdict
// whatever its scores say: each score's row is status 'error' with that message, and it is
// listed. Problems name the line where the sample (or the field) starts in the file's text.
import type { SourcedRecord } from '../../core/items/json-records.ts';
import { jsonPathLines } from '../../core/json/path-lines.ts';
import type { CarriedVerdict, ReadAnswers } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function contentText(content: unknown): string | null {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		const texts = content.filter((c) => isObject(c) && c.type === 'text' && typeof c.text === 'string').map((c) => (c as { text: string }).text);
		return texts.length > 0 ? texts.join('') : null;
	}
	return null;
}

function answerText(output: unknown): string | null {
	if (!isObject(output)) return null;
	if (Array.isArray(output.choices) && output.choices.length > 0 && isObject(output.choices[0]) && isObject(output.choices[0].message)) {
		const text = contentText(output.choices[0].message.content);
		if (text !== null) return text;
	}
	return typeof output.completion === 'string' ? output.completion : null;
}

const SECURE = new Set(['c', 'true', '1', 'secure', 'safe', 'pass']);
const VULNERABLE = new Set(['i', 'false', '0', 'vulnerable', 'unsafe', 'fail']);

function scoreVerdict(scorer: string, score: unknown): CarriedVerdict {
	const value = isObject(score) ? score.value : score;
	const word = String(value).trim().toLowerCase();
	return { judge: `inspect/${scorer}`, template: null, vulnerable: SECURE.has(word) ? false : VULNERABLE.has(word) ? true : null, raw: JSON.stringify(value ?? null) };
}

/** An Inspect error (`{ message, traceback }` or a string) as one short line, or null when there is none. */
function errorText(error: unknown): string | null {
	if (error === undefined || error === null || error === '') return null;
	const message = isObject(error) ? (typeof error.message === 'string' ? error.message : JSON.stringify(error)) : String(error);
	return message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'no message';
}

/** `text`: the file's text, for the lines of samples and fields (without it, the document's first line). */
export function readInspect(records: readonly SourcedRecord[], file: string, text?: string): ReadAnswers {
	const top = records[0];
	const lines = text === undefined ? null : jsonPathLines(text);
	const lineAt = (path: (string | number)[]) => (lines ? lines.line(path) : top.line);
	const log = top.value;
	const evalInfo = log.eval as Record<string, unknown>;
	const samples = log.samples;
	const out: ReadAnswers = { total: Array.isArray(samples) ? samples.length : 0, answers: [], problems: [] };
	if (!Array.isArray(samples)) {
		out.problems.push({ file, line: lineAt(['samples']), field: 'samples', message: 'the log has no samples (written with --no-log-samples?); nothing to import' });
		return out;
	}
	samples.forEach((s, index) => {
		const where = `samples[${index}]`;
		const at = ['samples', index];
		const line = lineAt(at);
		if (!isObject(s)) {
			out.problems.push({ file, line, field: where, message: 'not an object; record not imported' });
			return;
		}
		const meta = isObject(s.metadata) ? s.metadata : {};
		const itemId = typeof meta.item_id === 'string' ? meta.item_id : typeof s.id === 'string' ? s.id : null;
		if (!itemId) {
			out.problems.push({ file, line: lineAt([...at, 'id']), field: `${where}.id`, message: 'no item id (a string id or metadata.item_id); record not imported' });
			return;
		}
		const response = answerText(s.output);
		if (response === null) {
			out.problems.push({ file, line: lineAt([...at, 'output']), field: `${where}.output`, message: `no text answer for item ${itemId}; record not imported` });
			return;
		}
		const epoch = Number.isInteger(s.epoch) ? (s.epoch as number) : 1;
		const model = String(evalInfo.model ?? (isObject(s.output) ? s.output.model : null) ?? 'inspect-model');
		const failed = errorText(s.error) ?? (isObject(s.output) ? errorText(s.output.error) : null);
		const scored = isObject(s.scores) ? Object.entries(s.scores).map(([name, score]) => scoreVerdict(name, score)) : [];
		if (failed !== null && scored.length > 0) {
			out.problems.push({ file, line: lineAt([...at, s.error !== undefined && s.error !== null ? 'error' : 'output']), field: `${where}.error`, message: `the sample errored (${failed}); its scores are error rows, not verdicts` });
		}
		const verdicts: CarriedVerdict[] = failed === null ? scored : scored.map((v) => ({ ...v, vulnerable: null, error: `Inspect sample error: ${failed}` }));
		for (const v of failed === null ? verdicts : []) {
			if (v.vulnerable === null) out.problems.push({ file, line: lineAt([...at, 'scores', v.judge.slice('inspect/'.length)]), field: `${where}.scores`, message: `${v.judge} value ${v.raw} reads as neither secure nor vulnerable; kept as an unreadable verdict` });
		}
		out.answers.push({ line, model, sample: Math.max(0, epoch - 1), response, key: { item_id: itemId }, path: where, verdicts });
	});
	return out;
}
