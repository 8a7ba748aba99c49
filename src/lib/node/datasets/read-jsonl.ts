import type { Data, Table } from 'apache-arrow';
import { BoolColumnBuilder, Float64ColumnBuilder, Utf8ColumnBuilder } from '../../arrow/column-builders.ts';
import { tableFromColumns } from './make-table.ts';
import { DataFileError } from './table-info.ts';
import { bomLength, firstInvalidUtf8Line } from './utf8-check.ts';
import { DATA_LIMITS, type DataLimits } from './limits.ts';

/**
 * JSON Lines → Arrow Table. One JSON object per line; blank lines are skipped. Columns are the
 * union of all keys, in order of first appearance; a key missing from a line is null there.
 *
 * JSON carries its own types, so they are respected rather than guessed from text:
 * - only numbers (and nulls) → Float64; only booleans (and nulls) → Bool
 * - anything else → Utf8: strings as they are ("12" stays the text "12", "" stays ""),
 *   other values (numbers and booleans in a mixed column, objects, arrays) as JSON text.
 * A column that is null on every line is Utf8. A file without any record is an error. Integers beyond 2^53 lose precision (Float64).
 * Bounds (limits.ts): a value nested deeper than `maxDepth` and a table wider than `maxColumns`
 * are errors naming the line.
 */
export function readJsonl(bytes: Uint8Array, file: string, limits: DataLimits = DATA_LIMITS): Table {
	const badLine = firstInvalidUtf8Line(bytes);
	if (badLine !== undefined) throw new DataFileError(`${file} line ${badLine}: not valid UTF-8`);
	const text = new TextDecoder().decode(bytes.subarray(bomLength(bytes)));

	const columns = new Map<string, unknown[]>();
	let rows = 0;
	let lineNumber = 0;
	let position = 0;
	while (position < text.length) {
		let lineEnd = text.indexOf('\n', position);
		if (lineEnd < 0) lineEnd = text.length;
		const line = text.slice(position, lineEnd);
		position = lineEnd + 1;
		lineNumber++;
		if (line.trim() === '') continue;

		const depth = nestingDepth(line, limits.maxDepth);
		if (depth > limits.maxDepth) {
			throw new DataFileError(`${file} line ${lineNumber}: nested more than ${limits.maxDepth} levels deep (the limit for a JSONL value)`);
		}
		const record = parseLine(line, file, lineNumber);
		for (const key of Object.keys(record)) {
			let values = columns.get(key);
			if (!values) {
				if (columns.size >= limits.maxColumns) {
					throw new DataFileError(`${file} line ${lineNumber}: more than ${limits.maxColumns} distinct keys (the limit on columns in a table)`);
				}
				values = [];
				columns.set(key, values);
			}
			while (values.length < rows) values.push(null);
			values.push(record[key]);
		}
		rows++;
	}

	// A table needs a column; DuckDB cannot create one from a zero-column schema.
	if (columns.size === 0) throw new DataFileError(`${file}: no records (expected one JSON object per line)`);
	const names = [...columns.keys()];
	const data: Data[] = names.map((name) => {
		const values = columns.get(name)!;
		while (values.length < rows) values.push(null);
		return buildColumn(values);
	});
	return tableFromColumns(names, data, rows);
}

/**
 * How deeply arrays and objects nest in one line of JSON text, counted without recursion and
 * without parsing (brackets inside strings do not count); stops counting past `stopAbove`.
 * Checked before JSON.parse and JSON.stringify, which recurse.
 */
export function nestingDepth(text: string, stopAbove = Infinity): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > stopAbove) return deepest;
			}
		} else if (c === 0x5d || c === 0x7d) depth--;
	}
	return deepest;
}

function parseLine(line: string, file: string, lineNumber: number): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		throw new DataFileError(`${file} line ${lineNumber}: invalid JSON (${(error as Error).message})`);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
		throw new DataFileError(`${file} line ${lineNumber}: expected a JSON object, found ${found}`);
	}
	return value as Record<string, unknown>;
}

function buildColumn(values: unknown[]): Data {
	let numbers = 0;
	let booleans = 0;
	let present = 0;
	for (const value of values) {
		if (value === null) continue;
		present++;
		if (typeof value === 'number') numbers++;
		else if (typeof value === 'boolean') booleans++;
	}
	if (present > 0 && numbers === present) {
		const builder = new Float64ColumnBuilder(values.length);
		values.forEach((value, row) => (value === null ? builder.setNull(row) : builder.set(row, value as number)));
		return builder.finish();
	}
	if (present > 0 && booleans === present) {
		const builder = new BoolColumnBuilder(values.length);
		values.forEach((value, row) => (value === null ? builder.setNull(row) : builder.set(row, value as boolean)));
		return builder.finish();
	}
	const builder = new Utf8ColumnBuilder(values.length);
	for (const value of values) {
		if (value === null) builder.appendNull();
		else builder.appendString(typeof value === 'string' ? value : JSON.stringify(value));
	}
	return builder.finish();
}
