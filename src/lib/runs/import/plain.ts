// A plain table of answers (JSON Lines, JSON or CSV): item_id, model, response, and optionally
// sample (default 0), plus optionally vulnerable (true/false, yes/no, 1/0) with judge (the name of
// whoever gave that verdict; default "imported"). A record without item_id or response is listed
// and skipped; the others come in.
import type { SourcedRecord } from '../../core/items/json-records.ts';
import type { ReadAnswers } from './types.ts';

const TRUE = new Set(['true', 'yes', '1', 'vulnerable', 'unsafe']);
const FALSE = new Set(['false', 'no', '0', 'secure', 'safe']);

export function readPlain(records: readonly SourcedRecord[], file: string): ReadAnswers {
	const out: ReadAnswers = { total: records.length, answers: [], problems: [] };
	for (const { value, line } of records) {
		const itemId = value.item_id;
		if (typeof itemId !== 'string' || itemId === '') {
			out.problems.push({ file, line, field: 'item_id', message: 'missing or empty; record not imported' });
			continue;
		}
		if (typeof value.response !== 'string') {
			out.problems.push({ file, line, field: 'response', message: `missing for item ${itemId}; record not imported` });
			continue;
		}
		const model = typeof value.model === 'string' && value.model !== '' ? value.model : null;
		if (!model) {
			out.problems.push({ file, line, field: 'model', message: `missing for item ${itemId}; record not imported` });
			continue;
		}
		let sample = 0;
		if (value.sample !== undefined && value.sample !== null && value.sample !== '') {
			sample = Number(value.sample);
			if (!Number.isInteger(sample) || sample < 0) {
				out.problems.push({ file, line, field: 'sample', message: `must be a non-negative integer, got ${JSON.stringify(value.sample)}; record not imported` });
				continue;
			}
		}
		const verdicts = [];
		if (value.vulnerable !== undefined && value.vulnerable !== null && value.vulnerable !== '') {
			const word = String(value.vulnerable).trim().toLowerCase();
			const vulnerable = TRUE.has(word) ? true : FALSE.has(word) ? false : null;
			if (vulnerable === null) out.problems.push({ file, line, field: 'vulnerable', message: `${JSON.stringify(value.vulnerable)} is not true/false; kept as an unreadable verdict` });
			verdicts.push({ judge: typeof value.judge === 'string' && value.judge !== '' ? value.judge : 'imported', template: null, vulnerable, raw: String(value.vulnerable) });
		}
		out.answers.push({ line, model, sample, response: value.response, key: { item_id: itemId }, verdicts });
	}
	return out;
}
