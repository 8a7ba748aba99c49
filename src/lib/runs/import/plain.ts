// A plain table of answers (JSON Lines, JSON or CSV): item_id, model, response, and optionally
// sample (default 0), plus optionally vulnerable (true/false, yes/no, 1/0) with judge (the name of
// whoever gave that verdict; default "imported"). A record without item_id or response is listed
// and skipped; the others come in. A record with an `error` (the grading failed) keeps its
// answer, but its `vulnerable` is no verdict: an error row with that message, listed. An `error`
// of false, 0, "", {}, [], or CSV None/nan/null is no error (errorText).
import type { SourcedRecord } from '../../core/items/json-records.ts';
import type { CarriedVerdict, ReadAnswers } from './types.ts';

const TRUE = new Set(['true', 'yes', '1', 'vulnerable', 'unsafe']);
const FALSE = new Set(['false', 'no', '0', 'secure', 'safe']);

export function readPlain(records: readonly SourcedRecord[], file: string): ReadAnswers {
	const out: ReadAnswers = { total: records.length, answers: [], problems: [] };
	for (const { value, line } of records) {
		// Every bad field of the record is named (a row missing its model with a bad sample lists both).
		const bad: { field: string; message: string }[] = [];
		const itemId = typeof value.item_id === 'string' && value.item_id !== '' ? value.item_id : null;
		const forItem = itemId === null ? '' : ` for item ${itemId}`;
		if (itemId === null) bad.push({ field: 'item_id', message: 'missing or empty' });
		if (typeof value.response !== 'string') bad.push({ field: 'response', message: `missing${forItem}` });
		const model = typeof value.model === 'string' && value.model !== '' ? value.model : null;
		if (!model) bad.push({ field: 'model', message: `missing${forItem}` });
		let sample = 0;
		if (value.sample !== undefined && value.sample !== null && value.sample !== '') {
			sample = Number(value.sample);
			if (!Number.isInteger(sample) || sample < 0) bad.push({ field: 'sample', message: `must be a non-negative integer, got ${JSON.stringify(value.sample)}` });
		}
		let verdict: { word: string; vulnerable: boolean | null } | null = null;
		if (value.vulnerable !== undefined && value.vulnerable !== null && value.vulnerable !== '') {
			const word = String(value.vulnerable).trim().toLowerCase();
			verdict = { word, vulnerable: TRUE.has(word) ? true : FALSE.has(word) ? false : null };
		}
		if (bad.length > 0) {
			if (verdict && verdict.vulnerable === null) bad.push({ field: 'vulnerable', message: `${JSON.stringify(value.vulnerable)} is not true/false` });
			for (const b of bad) out.problems.push({ file, line, field: b.field, message: `${b.message}; record not imported` });
			continue;
		}
		const verdicts: CarriedVerdict[] = [];
		const error = errorText(value.error);
		if (verdict && error !== '') {
			out.problems.push({ file, line, field: 'error', message: `the grading failed (${error}); its vulnerable value is an error row, not a verdict` });
			verdicts.push({ judge: typeof value.judge === 'string' && value.judge !== '' ? value.judge : 'imported', template: null, vulnerable: null, raw: String(value.vulnerable), error: `imported grading error: ${error}` });
		} else if (verdict) {
			if (verdict.vulnerable === null) out.problems.push({ file, line, field: 'vulnerable', message: `${JSON.stringify(value.vulnerable)} is not true/false; kept as an unreadable verdict` });
			verdicts.push({ judge: typeof value.judge === 'string' && value.judge !== '' ? value.judge : 'imported', template: null, vulnerable: verdict.vulnerable, raw: String(value.vulnerable) });
		}
		out.answers.push({ line, model: model!, sample, response: value.response as string, key: { item_id: itemId! }, verdicts });
	}
	return out;
}

/**
 * The grading error a record's `error` names, or '' for none: absent, null, false, 0, "", {}, [],
 * and the words a CSV or pandas writes for an empty cell (None, nan, null, false, 0) all mean no error.
 */
export function errorText(value: unknown): string {
	if (value === undefined || value === null || value === false || value === 0) return '';
	if (Array.isArray(value) && value.length === 0) return '';
	if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) return '';
	const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s+/g, ' ').trim();
	if (/^(|none|nan|null|false|0|0\.0|\[\]|\{\})$/i.test(text)) return '';
	return text.slice(0, 300);
}
