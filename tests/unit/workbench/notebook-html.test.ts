// The HTML export's tables: written in full up to EXPORT_ROWS (no fixed-height scroll box, so a
// printed export keeps its rows), the rest counted as "N more rows"; timestamps as ISO text.
import { Table, vectorFromArray, Int32, TimestampMillisecond } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../../src/lib/notebook/cell.ts';
import type { CellResult, ResultTable } from '../../../src/lib/notebook/executor.ts';
import { EXPORT_ROWS, notebookHtml } from '../../../src/lib/workbench/export/notebook-html.ts';

const cell = { kind: 'sql', id: 'rows', attrs: [], source: 'SELECT 1', line: 1, sourceLine: 2, lead: '', raw: '', fence: null } as unknown as Cell;
const exported = (n: number) => {
	const table = new Table({
		i: vectorFromArray(Array.from({ length: n }, (_, k) => k), new Int32()),
		at: vectorFromArray(Array.from({ length: n }, () => Date.UTC(2026, 10, 28, 12)), new TimestampMillisecond())
	}) as unknown as ResultTable;
	return notebookHtml('t', [{ cell, result: { status: 'ok', table, ms: 1 } as unknown as CellResult }], new Date(0));
};

describe('notebookHtml tables', () => {
	it('has no fixed-height scroll box, and prints tables in full', () => {
		const html = exported(40);
		expect(html).not.toMatch(/max-height/);
		expect(html).toMatch(/@media print\{[^}]*\.wide\{overflow:visible/);
		expect(html.match(/<tr>/g)).toHaveLength(41);
		expect(html).not.toContain('more rows');
		expect(html).toContain('<td>2026-11-28T12:00:00.000Z</td>');
	});

	it('writes at most EXPORT_ROWS rows and says how many more there are', () => {
		const html = exported(EXPORT_ROWS + 25);
		expect(html.match(/<tr>/g)).toHaveLength(EXPORT_ROWS + 1);
		expect(html).toContain(`First ${EXPORT_ROWS} of ${EXPORT_ROWS + 25} rows; 25 more rows not in this file.`);
	});
});

describe('notebookHtml cells that did not run', () => {
	it('a blocked cell is one quiet note naming the cell it waits for, not a second error', () => {
		const failed = { status: 'error', error: { message: 'Catalog Error: Table with name vul_evol_filters does not exist!' }, ms: 1 } as unknown as CellResult;
		const blocked = { status: 'blocked', error: { message: 'Not run: upstream cell "rows" (line 1) failed', line: 5 }, waitsFor: { name: 'rows', line: 1 }, ms: 0 } as unknown as CellResult;
		const html = notebookHtml('t', [{ cell, result: failed }, { cell: { ...cell, id: 'after' } as Cell, result: blocked }], new Date(0));
		expect(html.match(/<pre class="error">/g)).toHaveLength(1);
		expect(html).toContain('<p class="note">Not run: upstream cell &quot;rows&quot; (line 1) failed.</p>');
		expect(html).not.toContain('Not run: blocked');
	});
});

describe('notebookHtml of a notebook not run to the end', () => {
	it('says at the top how many cells had not run', () => {
		const ok = { status: 'ok', table: new Table({ i: vectorFromArray([1], new Int32()) }), ms: 1 } as unknown as CellResult;
		const html = notebookHtml('t', [{ cell, result: ok }, { cell: { ...cell, id: 'b' } as Cell, result: undefined }, { cell: { ...cell, id: 'c' } as Cell, result: undefined }], new Date(0));
		expect(html).toContain('<p class="note warn">2 cells had not run when this file was exported');
		expect(html.match(/Not run\./g)).toHaveLength(3);
		expect(notebookHtml('t', [{ cell, result: ok }], new Date(0))).not.toContain('had not run');
	});
});
