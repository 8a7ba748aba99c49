// The rows a result grid shows, in the order it shows them: filtered per column, then sorted
// by one column. Works on Arrow columns by index (no row objects), so 100k rows stay cheap.
//
// A column filter is text: `>0.5`, `<=10`, `=3`, `!=x` compare (numerically when both sides
// are numbers), `empty` / `!empty` test for null or '', anything else is a case-insensitive
// "contains" on the value as the grid displays it.
import { DataType } from 'apache-arrow';
import type { ResultTable } from '../notebook/executor.ts';
import { columnFormatters, columnNames, formatValue, jsonValue } from './arrow-values.ts';

export interface GridSort {
	column: string;
	descending: boolean;
}

type Test = (value: unknown, shown: string) => boolean;

const COMPARISON = /^(>=|<=|!=|<>|>|<|=)\s*(.*)$/s;

function numeric(value: unknown): number | null {
	if (typeof value === 'number') return Number.isNaN(value) ? null : value;
	if (typeof value === 'bigint') return Number(value);
	if (value instanceof Date) return value.getTime();
	return null;
}

/** A filter's text as a test on one value; null when the text filters nothing (blank). */
export function parseFilter(text: string): Test | null {
	const t = text.trim();
	if (t === '') return null;
	if (t.toLowerCase() === 'empty') return (v, shown) => v === null || v === undefined || shown === '';
	if (t.toLowerCase() === '!empty') return (v, shown) => !(v === null || v === undefined || shown === '');
	const m = COMPARISON.exec(t);
	if (m && m[2].trim() !== '') {
		const op = m[1] === '<>' ? '!=' : m[1];
		const operand = m[2].trim();
		const asNumber = Number(operand);
		const numberOperand = operand !== '' && Number.isFinite(asNumber) ? asNumber : null;
		return (v, shown) => {
			const n = numeric(v) ?? (shown !== '' && Number.isFinite(Number(shown)) ? Number(shown) : null);
			const cmp =
				numberOperand !== null && n !== null
					? Math.sign(n - numberOperand)
					: shown.toLowerCase().localeCompare(operand.toLowerCase());
			if (v === null || v === undefined) return op === '!=';
			return op === '>' ? cmp > 0 : op === '<' ? cmp < 0 : op === '>=' ? cmp >= 0 : op === '<=' ? cmp <= 0 : op === '=' ? cmp === 0 : cmp !== 0;
		};
	}
	const needle = t.toLowerCase();
	return (_v, shown) => shown.toLowerCase().includes(needle);
}

/** Ascending order of two cell values: nulls last, numbers by value, text by locale. */
export function compareValues(a: unknown, b: unknown): number {
	const aNull = a === null || a === undefined;
	const bNull = b === null || b === undefined;
	if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
	const na = numeric(a);
	const nb = numeric(b);
	if (na !== null && nb !== null) return na - nb;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	const sa = formatValue(a);
	const sb = formatValue(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Row indices of `table` to show, in order. */
export function gridOrder(table: ResultTable, filters: Record<string, string>, sort: GridSort | null): number[] {
	const names = columnNames(table);
	const formats = columnFormatters(table);
	const tests = Object.entries(filters)
		.map(([name, text]) => ({ column: names.includes(name) ? table.getChild(name) : null, format: formats[names.indexOf(name)], test: parseFilter(text) }))
		.filter((f) => f.column && f.test);
	let rows: number[] = [];
	for (let row = 0; row < table.numRows; row++) {
		let keep = true;
		for (const { column, format, test } of tests) {
			const value = column!.get(row);
			if (!test!(value, format(value))) {
				keep = false;
				break;
			}
		}
		if (keep) rows.push(row);
	}
	if (sort && names.includes(sort.column)) {
		const column = table.getChild(sort.column)!;
		// A DECIMAL cell is an Arrow big-number object: sorted by the number its text reads as.
		const decimal = DataType.isDecimal(table.schema.fields[names.indexOf(sort.column)].type);
		const format = formats[names.indexOf(sort.column)];
		const values = new Array<unknown>(table.numRows);
		for (const row of rows) {
			const v = column.get(row);
			values[row] = decimal && v !== null && v !== undefined ? Number(format(v)) : v;
		}
		const sign = sort.descending ? -1 : 1;
		// Nulls stay last in both directions; ties keep the result's order (stable sort).
		rows = rows.sort((a, b) => {
			const va = values[a];
			const vb = values[b];
			const aNull = va === null || va === undefined;
			const bNull = vb === null || vb === undefined;
			if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
			return sign * compareValues(va, vb);
		});
	}
	return rows;
}

/** One row as tab-separated text (header order), for pasting into a spreadsheet. */
export function rowAsTSV(table: ResultTable, row: number): string {
	const formats = columnFormatters(table);
	return columnNames(table)
		.map((name, i) => formats[i](table.getChild(name)?.get(row)).replace(/[\t\r\n]+/g, ' '))
		.join('\t');
}

/** One row as a JSON object keeping JSON types (numbers, booleans, null; see jsonValue). */
export function rowAsJSON(table: ResultTable, row: number): string {
	const formats = columnFormatters(table);
	const object: Record<string, unknown> = {};
	columnNames(table).forEach((name, i) => (object[name] = jsonValue(table.getChild(name)?.get(row), formats[i])));
	return JSON.stringify(object, null, 2);
}
