// A CSV file with a header row as records (column name → text), each with its line, for the
// plain and labelled-set importers. Uses the data folder's RFC 4180 scanner.
import { CsvSyntaxError, scanCsv } from '../../node/datasets/csv-scanner.ts';
import { RecordError } from '../../core/items/record-error.ts';
import type { SourcedRecord } from '../../core/items/json-records.ts';
import type { ImportProblem } from './types.ts';

/**
 * With `problems` given, a row whose field count is not the header's is listed there (by line)
 * and left out; without, it is an error.
 */
export function parseCsvRecords(text: string, file: string, problems?: ImportProblem[]): SourcedRecord[] {
	const bytes = new TextEncoder().encode(text);
	const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	const decoder = new TextDecoder();
	const rows: { fields: (string | null)[]; line: number }[] = [];
	let current: (string | null)[] = [];
	try {
		scanCsv(bytes, start, {
			field(column, s, e, quoted, doubled) {
				let value: string | null = decoder.decode(bytes.subarray(s, e));
				if (doubled) value = value.replaceAll('""', '"');
				if (!quoted && value === '') value = null;
				current[column] = value;
			},
			record(count, line) {
				rows.push({ fields: current.slice(0, count), line });
				current = [];
			}
		});
	} catch (e) {
		if (e instanceof CsvSyntaxError) throw new RecordError(file, e.line, null, e.reason);
		throw e;
	}
	if (rows.length === 0) throw new RecordError(file, 1, null, 'empty CSV file (no header row)');
	const header = rows[0].fields.map((h) => (h ?? '').trim());
	const records: SourcedRecord[] = [];
	for (const row of rows.slice(1)) {
		if (row.fields.length !== header.length) {
			const message = `${row.fields.length} field(s) where the header has ${header.length}`;
			if (!problems) throw new RecordError(file, row.line, null, message);
			problems.push({ file, line: row.line, field: null, message: `${message}; row not imported` });
			continue;
		}
		const value: Record<string, unknown> = {};
		header.forEach((name, i) => (value[name] = row.fields[i]));
		records.push({ value, file, line: row.line });
	}
	return records;
}
