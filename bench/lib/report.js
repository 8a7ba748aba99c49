// The benchmark's printed table and its JSON record.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ metric: string, median: number | null, unit: 'ms' | 'x', runs: number,
 *   target: number | null, note?: string, samples?: number[] }} Row
 *   target: an upper bound in the row's unit; null = informational. note replaces pass/fail.
 */

/** @param {Row} row */
export function verdict(row) {
	if (row.note) return row.note;
	if (row.target === null || row.median === null) return 'info';
	return row.median <= row.target ? 'pass' : 'FAIL';
}

const show = (value, unit) => (value === null ? '—' : unit === 'x' ? `${value.toFixed(2)}×` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

/** @param {Row[]} rows */
export function formatTable(rows) {
	const header = ['metric', 'median', 'runs', 'target', 'result'];
	const cells = rows.map((r) => [
		r.metric,
		show(r.median, r.unit),
		r.runs ? String(r.runs) : '—',
		r.target === null ? '—' : `≤ ${show(r.target, r.unit)}`,
		verdict(r) + (r.target !== null && r.median !== null && !r.note ? ` (${(r.median / r.target).toFixed(2)} of target)` : '')
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
	const line = (c) => c.map((v, i) => (i === 1 || i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/**
 * @param {string} folder
 * @param {object} record everything worth keeping: environment, rows with samples
 * @param {string} [name] the file's prefix
 * @returns {string} the file written
 */
export function writeResults(folder, record, name = 'workbench') {
	mkdirSync(folder, { recursive: true });
	const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*/, '');
	const file = join(folder, `${name}-${stamp}.json`);
	writeFileSync(file, JSON.stringify(record, null, '\t') + '\n');
	return file;
}
