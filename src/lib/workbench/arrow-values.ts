// Reading cells of DuckDB's Arrow results for display and export, without turning the table
// into row objects.
import type { ResultTable } from '../notebook/executor.ts';

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

export function columnNames(table: ResultTable): string[] {
	return table.schema.fields.map((f) => f.name);
}

/** RFC 4180 CSV of a whole result, column by column access (no row objects). */
export function toCSV(table: ResultTable): string {
	const names = columnNames(table);
	const columns = names.map((n) => table.getChild(n));
	const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
	const lines = [names.map(quote).join(',')];
	for (let row = 0; row < table.numRows; row++) {
		lines.push(columns.map((c) => quote(formatValue(c?.get(row)))).join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
