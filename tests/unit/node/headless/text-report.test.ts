import { describe, expect, it } from 'vitest';
import { alignedTable, formatTextReport } from '../../../../src/lib/node/headless/text-report.ts';
import type { HeadlessReport } from '../../../../src/lib/node/headless/run-notebook.ts';

describe('alignedTable', () => {
	it('pads text left, numbers right, shows NULL and escapes control characters', () => {
		expect(
			alignedTable(['name', 'n'], [
				{ name: 'a\nb', n: 1 },
				{ name: '\u001b[31mred', n: null },
				{ name: null, n: 12.5 }
			])
		).toEqual([
			'name            n',
			'-----------  ----',
			'a\\nb            1',
			'\\x1b[31mred  NULL',
			'NULL         12.5'
		]);
	});

	it('clips long values to 40 characters and rounds long fractions to 6 significant digits', () => {
		const [, , row] = alignedTable(['s', 'x'], [{ s: 'y'.repeat(50), x: 0.33333342769573204 }]);
		expect(row).toBe(`${'y'.repeat(39)}…  0.333333`);
	});
});

describe('formatTextReport', () => {
	it('prints a header, every cell with its errors at file:line, and a count', () => {
		const report: HeadlessReport = {
			notebook: 'nb.md',
			title: 'T',
			tables: [{ name: 'a', file: 'a.csv', rows: 1 }, { name: 'b', file: 'b.csv', rows: 0, error: 'b.csv line 2: bad' }],
			cells: [
				{ id: 'q', kind: 'sql', status: 'error', line: 4, rowCount: null, columns: [], rows: [], truncated: false, error: { message: 'Parser Error: x\nLINE 1: y', line: 5 }, ms: 1 },
				{ id: 'e', kind: 'sql', status: 'ok', line: 9, rowCount: 0, columns: [{ name: 'c', type: 'Int32' }], rows: [], truncated: false, ms: 2 }
			],
			ok: false
		};
		expect(formatTextReport(report)).toBe(
			[
				'nb.md — T',
				'tables: 1 loaded, 1 failed (see above)',
				'',
				'[error]   sql   q  (line 4)  1 ms',
				'    nb.md:5: Parser Error: x',
				'    LINE 1: y',
				'',
				'[ok]      sql   e  (line 9)  0 rows  2 ms',
				'    columns: c Int32',
				'',
				'2 cells: 1 ok, 1 error, 0 blocked',
				''
			].join('\n')
		);
	});
});
