// The readable form of a headless run (covw notebook run without --json): per cell its id, kind,
// status, row count and first rows as an aligned table; errors as "<file>:<line>: message" so
// editors and terminals can jump to them.
import type { HeadlessCellReport, HeadlessReport } from './run-notebook.ts';
import type { JsonValue } from './json-values.ts';
// Control characters (a dataset of vulnerable code may hold terminal escapes) shown escaped.
import { printable } from '../../core/text/printable.ts';

const MAX_WIDTH = 40;


function clip(text: string): string {
	const chars = [...text];
	return chars.length > MAX_WIDTH ? `${chars.slice(0, MAX_WIDTH - 1).join('')}…` : text;
}

function valueText(value: JsonValue | undefined): string {
	if (value === null || value === undefined) return 'NULL';
	if (typeof value === 'string') return clip(printable(value));
	// Six significant digits keep the table readable; --json has the full values.
	if (typeof value === 'number') return Number.isInteger(value) || Math.abs(value) >= 1e6 ? String(value) : String(+value.toPrecision(6));
	if (typeof value === 'boolean') return String(value);
	return clip(printable(JSON.stringify(value)));
}

const width = (text: string) => [...text].length;
const padEnd = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - width(text)));
const padStart = (text: string, n: number) => ' '.repeat(Math.max(0, n - width(text))) + text;

/** Rows as an aligned text table; numbers right-aligned. */
export function alignedTable(columns: string[], rows: Record<string, JsonValue>[]): string[] {
	const header = columns.map((c) => clip(printable(c)));
	const cells = rows.map((row) => columns.map((c) => valueText(row[c])));
	const numeric = columns.map((c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'));
	const widths = header.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
	const line = (values: string[]) =>
		values
			.map((v, i) => (numeric[i] ? padStart(v, widths[i]) : padEnd(v, widths[i])))
			.join('  ')
			.trimEnd();
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

function cellLines(cell: HeadlessCellReport, file: string): string[] {
	const name = cell.id ?? '(no id)';
	const count = cell.rowCount === null ? '' : `  ${cell.rowCount} row${cell.rowCount === 1 ? '' : 's'}`;
	const lines = [`${`[${cell.status}]`.padEnd(9)} ${cell.kind.padEnd(5)} ${name}  (line ${cell.line})${count}  ${cell.ms} ms`];
	const indent = (text: string) => `    ${text}`;
	if (cell.error) {
		const where = cell.error.line !== undefined ? `${file}:${cell.error.line}: ` : `${file}: `;
		const [first, ...rest] = cell.error.message.split(/\r?\n/).map(printable);
		lines.push(indent(where + first), ...rest.map(indent));
	}
	for (const w of cell.warnings ?? []) lines.push(indent(`${file}:${w.line ?? cell.line}: warning: ${printable(w.message)}`));
	if (cell.plot) {
		const marks = Array.isArray((cell.plot.spec as { marks?: unknown }).marks) ? (cell.plot.spec as { marks: { type?: string }[] }).marks : [];
		lines.push(indent(`plot: ${marks.map((m) => m.type ?? '?').join(', ') || 'no marks'}; data: ${cell.plot.data.join(', ') || 'none'}`));
	}
	if (cell.columns.length > 0 && cell.rows.length > 0) {
		lines.push(...alignedTable(cell.columns.map((c) => c.name), cell.rows).map(indent));
		const more = (cell.rowCount ?? cell.rows.length) - cell.rows.length;
		if (more > 0) lines.push(indent(`… ${more} more row${more === 1 ? '' : 's'}`));
	} else if (cell.columns.length > 0 && cell.status === 'ok') {
		lines.push(indent(`columns: ${cell.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`));
	}
	return lines;
}

export function formatTextReport(report: HeadlessReport): string {
	const file = report.notebook;
	const loaded = report.tables.filter((t) => t.error === undefined).length;
	const failed = report.tables.length - loaded;
	const out = [
		`${file}${report.title ? ` — ${printable(report.title)}` : ''}`,
		`tables: ${loaded} loaded${failed ? `, ${failed} failed (see above)` : ''}`,
		''
	];
	for (const cell of report.cells) out.push(...cellLines(cell, file), '');
	const counts = (['ok', 'error', 'blocked'] as const).map((s) => `${report.cells.filter((c) => c.status === s).length} ${s}`);
	out.push(`${report.cells.length} cell${report.cells.length === 1 ? '' : 's'}: ${counts.join(', ')}`);
	return `${out.join('\n')}\n`;
}
