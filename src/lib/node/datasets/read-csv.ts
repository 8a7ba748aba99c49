import type { Data, Table } from 'apache-arrow';
import { BoolColumnBuilder, Float64ColumnBuilder, Utf8ColumnBuilder } from '../../arrow/column-builders.ts';
import { CsvSyntaxError, scanCsv, type CsvVisitor } from './csv-scanner.ts';
import { tableFromColumns } from './make-table.ts';
import { DataFileError } from './table-info.ts';
import { parseBoolBytes, parseNumberBytes } from './text-values.ts';
import { bomLength, firstInvalidUtf8Line } from './utf8-check.ts';
import { DATA_LIMITS, type DataLimits } from './limits.ts';

/**
 * CSV (RFC 4180, first record = header) → Arrow Table, one column type per column:
 *
 * - every non-empty value is a number → Float64 (empty → null)
 * - every non-empty value is true/false (any case) → Bool (empty → null)
 * - otherwise, or when the column has no values at all → Utf8. An empty field (`a,,b`) is
 *   null; a quoted empty field (`a,"",b`) is the empty string. That is DuckDB's own read_csv
 *   rule, so a table means the same whether it came through us or through DuckDB.
 *
 * Values are taken as written: no trimming, so " 1" is text. Column names come from the
 * header verbatim; an empty name becomes `column_<n>`, a repeated name is an error.
 *
 * Two passes over the bytes (check + infer, then fill typed arrays) instead of materialising
 * every field: a million-row file never becomes millions of strings.
 */
export function readCsv(bytes: Uint8Array, file: string, limits: DataLimits = DATA_LIMITS): Table {
	const start = bomLength(bytes);
	const badLine = firstInvalidUtf8Line(bytes);
	if (badLine !== undefined) throw new DataFileError(`${file} line ${badLine}: not valid UTF-8`);
	try {
		const shape = inferShape(bytes, start, file, limits.maxColumns);
		return fill(bytes, start, shape);
	} catch (error) {
		if (error instanceof CsvSyntaxError) throw new DataFileError(`${file} ${error.message}`);
		throw error;
	}
}

type Kind = 'float64' | 'bool' | 'utf8';

interface Shape {
	names: string[];
	kinds: Kind[];
	rows: number;
	/** Upper bound of each column's text bytes, to size Utf8 buffers once. */
	byteLengths: number[];
}

const headerDecoder = new TextDecoder();

function inferShape(bytes: Uint8Array, start: number, file: string, maxColumns: number): Shape {
	const header: string[] = [];
	let columns = -1;
	let rows = 0;
	let nonEmpty = new Int32Array(0);
	let mayBeNumber = new Uint8Array(0);
	let mayBeBool = new Uint8Array(0);
	let byteLengths: number[] = [];

	const visitor: CsvVisitor = {
		field(column, fieldStart, fieldEnd, _quoted, doubled) {
			if (columns < 0) {
				if (column >= maxColumns) throw new CsvSyntaxError(1, `more than ${maxColumns} columns in the header (the limit on columns in a table)`);
				const raw = headerDecoder.decode(bytes.subarray(fieldStart, fieldEnd));
				header.push(doubled ? raw.replaceAll('""', '"') : raw);
				return;
			}
			if (column >= columns || fieldStart === fieldEnd) return;
			nonEmpty[column]++;
			byteLengths[column] += fieldEnd - fieldStart;
			if (mayBeNumber[column] === 1 && Number.isNaN(parseNumberBytes(bytes, fieldStart, fieldEnd))) {
				mayBeNumber[column] = 0;
			}
			if (mayBeBool[column] === 1 && parseBoolBytes(bytes, fieldStart, fieldEnd) === undefined) {
				mayBeBool[column] = 0;
			}
		},
		record(fieldCount, line) {
			if (columns < 0) {
				columns = fieldCount;
				nonEmpty = new Int32Array(columns);
				mayBeNumber = new Uint8Array(columns).fill(1);
				mayBeBool = new Uint8Array(columns).fill(1);
				byteLengths = new Array<number>(columns).fill(0);
				return;
			}
			if (fieldCount !== columns) {
				throw new CsvSyntaxError(line, `expected ${columns} fields, found ${fieldCount}`);
			}
			rows++;
		}
	};
	scanCsv(bytes, start, visitor);
	if (columns < 0) throw new DataFileError(`${file}: empty file (a CSV needs a header row)`);

	const names = header.map((name, i) => (name === '' ? `column_${i + 1}` : name));
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.has(name)) throw new DataFileError(`${file} line 1: column name "${name}" appears twice`);
		seen.add(name);
	}
	const kinds = names.map((_, i): Kind => {
		if (nonEmpty[i] === 0) return 'utf8';
		if (mayBeNumber[i] === 1) return 'float64';
		if (mayBeBool[i] === 1) return 'bool';
		return 'utf8';
	});
	return { names, kinds, rows, byteLengths };
}

function fill(bytes: Uint8Array, start: number, shape: Shape): Table {
	const { rows, kinds } = shape;
	// Per column, exactly one of these is set; looked up by index in the hot loop.
	const numbers: (Float64ColumnBuilder | undefined)[] = [];
	const booleans: (BoolColumnBuilder | undefined)[] = [];
	const texts: (Utf8ColumnBuilder | undefined)[] = [];
	kinds.forEach((kind, i) => {
		numbers.push(kind === 'float64' ? new Float64ColumnBuilder(rows) : undefined);
		booleans.push(kind === 'bool' ? new BoolColumnBuilder(rows) : undefined);
		texts.push(kind === 'utf8' ? new Utf8ColumnBuilder(rows, shape.byteLengths[i]) : undefined);
	});
	let row = -1; // the header is record -1
	const visitor: CsvVisitor = {
		field(column, fieldStart, fieldEnd, quoted, doubled) {
			if (row < 0) return;
			const text = texts[column];
			if (text !== undefined) {
				if (fieldStart === fieldEnd && !quoted) text.appendNull();
				else text.appendBytes(bytes, fieldStart, fieldEnd, doubled);
				return;
			}
			const number = numbers[column];
			if (number !== undefined) {
				if (fieldStart === fieldEnd) number.setNull(row);
				else number.set(row, parseNumberBytes(bytes, fieldStart, fieldEnd));
				return;
			}
			const boolean = booleans[column]!;
			if (fieldStart === fieldEnd) boolean.setNull(row);
			else boolean.set(row, parseBoolBytes(bytes, fieldStart, fieldEnd) === true);
		},
		record() {
			row++;
		}
	};
	scanCsv(bytes, start, visitor);
	const columns: Data[] = kinds.map((_, i) => (numbers[i] ?? booleans[i] ?? texts[i])!.finish());
	return tableFromColumns(shape.names, columns, rows);
}
