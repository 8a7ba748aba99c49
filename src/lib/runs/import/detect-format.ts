// Which foreign format a file is in, from its records' shape (never from its name alone):
// promptfoo's `eval -o results.json` (one object with results.results), an Inspect AI JSON eval
// log (one object with eval and samples), the released CoV-Eval results (records with
// vul_type_id, source_code and response), or a plain table of item_id, model, response.
// Anything else is an error naming the file.
import { RecordError } from '../../core/items/record-error.ts';
import type { SourcedRecord } from '../../core/items/json-records.ts';
import type { ImportFormat } from './types.ts';

const has = (o: Record<string, unknown>, ...keys: string[]) => keys.every((k) => k in o);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function detectFormat(records: readonly SourcedRecord[], file: string): ImportFormat {
	if (records.length === 0) throw new RecordError(file, null, null, 'no records in the file');
	const first = records[0].value;
	if (records.length === 1 && isObject(first.results) && Array.isArray((first.results as Record<string, unknown>).results)) return 'promptfoo';
	if (records.length === 1 && isObject(first.eval) && ('samples' in first || 'results' in first)) return 'inspect';
	// Record by record: the shape most records have (one odd record does not make the file unknown).
	const released = records.filter((r) => has(r.value, 'vul_type_id', 'source_code', 'response')).length;
	const plain = records.filter((r) => has(r.value, 'item_id', 'response')).length;
	if (released > 0 && released >= plain) return 'coveval-released';
	if (plain > 0) return 'plain';
	throw new RecordError(
		file,
		records[0].line,
		null,
		`not a format covw import reads (released CoV-Eval results, promptfoo results.json, an Inspect AI JSON log, or a table with item_id, model, response); the first record has fields ${Object.keys(first).slice(0, 8).join(', ') || '(none)'}`
	);
}

/**
 * Why the records cannot be read as `format` when the caller names it (no detection), or null
 * when they can: promptfoo and Inspect AI files are one document of a fixed shape; the released
 * and plain readers go record by record and list each record that lacks their fields.
 */
export function formatMismatch(records: readonly SourcedRecord[], format: ImportFormat): string | null {
	if (records.length === 0) return 'no records in the file';
	const first = records[0].value;
	if (format === 'promptfoo' && !(records.length === 1 && isObject(first.results) && Array.isArray((first.results as Record<string, unknown>).results))) {
		return 'not a promptfoo results.json (one JSON object with results.results)';
	}
	if (format === 'inspect' && !(records.length === 1 && isObject(first.eval) && ('samples' in first || 'results' in first))) {
		return 'not an Inspect AI JSON eval log (one JSON object with eval and samples)';
	}
	return null;
}
