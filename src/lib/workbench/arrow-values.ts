// Reading cells of DuckDB's Arrow results for display and export, without turning the table
// into row objects. Timestamps and dates, which Arrow hands over as epoch milliseconds, read as
// ISO text by their column's type (the value itself is unchanged); decimals (DuckDB's type of
// a literal such as 74.07) as their digits with the point in place.
import { DataType, util, type Decimal } from 'apache-arrow';
import type { ResultTable } from '../notebook/executor.ts';
import { guardFormula } from '../core/csv-formula.ts';

/** A cell value as display text. BigInt, Date, nested values are rendered readably. */
export function formatValue(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(+value.toFixed(6));
	if (typeof value === 'bigint') return value.toString();
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object') {
		const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
		return JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
	}
	return String(value);
}

export type CellFormat = (value: unknown) => string;

const asDate = (value: unknown): Date | null => {
	const d = value instanceof Date ? value : typeof value === 'number' || typeof value === 'bigint' ? new Date(Number(value)) : null;
	return d && !Number.isNaN(d.getTime()) ? d : null;
};

/** A DECIMAL value's exact text: its unscaled integer with the point `scale` digits from the right. */
export function decimalText(value: unknown, scale: number): string {
	const n = typeof value === 'bigint' ? value : util.bigNumToBigInt(value as Parameters<typeof util.bigNumToBigInt>[0]);
	const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
	return `${n < 0n ? '-' : ''}${scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
}

/** How a column of this Arrow type reads: timestamps as ISO date-time (UTC), dates as YYYY-MM-DD, decimals exactly. */
export function formatterFor(type: DataType | undefined): CellFormat {
	if (type && DataType.isDecimal(type)) return (v) => (v === null || v === undefined ? '' : decimalText(v, (type as Decimal).scale));
	if (type && DataType.isTimestamp(type)) return (v) => (v === null || v === undefined ? '' : (asDate(v)?.toISOString() ?? formatValue(v)));
	if (type && DataType.isDate(type)) return (v) => (v === null || v === undefined ? '' : (asDate(v)?.toISOString().slice(0, 10) ?? formatValue(v)));
	return formatValue;
}

/** One formatter per column, in columnNames order. */
export function columnFormatters(table: ResultTable): CellFormat[] {
	return table.schema.fields.map((f) => formatterFor(f.type as DataType));
}

/** A cell's display text, by its column's type. */
export function cellText(table: ResultTable, name: string, row: number): string {
	const field = table.schema.fields.find((f) => f.name === name);
	return formatterFor(field?.type as DataType | undefined)(table.getChild(name)?.get(row));
}

/** A cell as a JSON value: numbers, booleans and null stay themselves; a bigint is a number
 *  when it is exact as one, else its digits as a string; a decimal a number when it has at most
 *  15 digits, else its text; timestamps and dates (a column format given) are ISO text. */
export function jsonValue(value: unknown, format: CellFormat = formatValue): unknown {
	if (value === null || value === undefined) return null;
	if (format !== formatValue) {
		const text = format(value);
		return /^-?\d+(\.\d+)?$/.test(text) && text.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(text) : text;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
	if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
	if (typeof value === 'boolean' || typeof value === 'string') return value;
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object') {
		const plain = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
		if (Array.isArray(plain)) return plain.map((v) => jsonValue(v));
		if (plain && typeof plain === 'object') return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, jsonValue(v)]));
		return jsonValue(plain);
	}
	return String(value);
}

export function columnNames(table: ResultTable): string[] {
	return table.schema.fields.map((f) => f.name);
}

/**
 * RFC 4180 CSV of a whole result, column by column access (no row objects). Text cells and
 * column names a spreadsheet would run as formulas are written as text (core/csv-formula.ts):
 * they come from datasets, imports and model answers. Numbers, dates and decimals stay as they are.
 */
export function toCSV(table: ResultTable): string {
	const names = columnNames(table);
	const columns = names.map((n) => table.getChild(n));
	const formats = columnFormatters(table);
	const numeric = table.schema.fields.map((f) => {
		const type = f.type as DataType;
		return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type) || DataType.isTimestamp(type) || DataType.isDate(type) || DataType.isBool(type);
	});
	const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
	const lines = [names.map((n) => quote(guardFormula(n))).join(',')];
	for (let row = 0; row < table.numRows; row++) {
		lines.push(columns.map((c, i) => quote(numeric[i] ? formats[i](c?.get(row)) : guardFormula(formats[i](c?.get(row))))).join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
