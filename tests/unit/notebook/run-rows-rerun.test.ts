// When a run cell's rows land, the page runs again the cell, every cell that reads the run
// tables directly (no graph edge leads there from the run cell: table3's `chains` reads `runs`
// and `verdicts`), and what reads those — and nothing else.
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { newExecutionState, runNotebook, type CellResult } from '../../../src/lib/notebook/executor.ts';
import { cellsReadingTables } from '../../../src/lib/notebook/table-readers.ts';
import { FakeEngine } from './fake-engine.ts';

const cell = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const RUN_TABLES = ['generations', 'verdicts', 'runs'];

const doc = parseNotebook(
	[
		cell('sql id=gen', 'SELECT * FROM paper'),
		cell('sql id=chains', 'SELECT * FROM verdicts WHERE a > 1'),
		cell('sql id=detection', 'SELECT * FROM chains'),
		cell('sql id=unrelated', 'SELECT * FROM paper WHERE a > 2'),
		cell('sql id=run_list', 'SELECT * FROM runs'),
		cell('sql id=mentions_in_text', "SELECT 'runs' AS word FROM paper -- verdicts"),
		cell('plot id=fig from=detection', '{"marks": [{"type": "dot", "x": "a", "y": "a"}]}')
	].join('\n')
);

describe('re-running after a run cell`s rows land', () => {
	it('finds the cells that read the run tables', () => {
		const ids = cellsReadingTables(doc.cells, RUN_TABLES).map((i) => doc.cells[i].id);
		expect(ids).toEqual(['chains', 'run_list']);
	});

	it('runs the run cell, the run-table readers and their downstream', async () => {
		const tables = { paper: { a: [1, 2, 3] }, runs: { a: [1, 2, 3] }, verdicts: { a: [1, 2, 3] } };
		const engine = new FakeEngine(tables);
		const state = newExecutionState();
		await runNotebook(doc, engine, { state });
		const gen = doc.cells.findIndex((c) => c.id === 'gen');
		const { results } = await runNotebook(doc, engine, { state, only: [gen, ...cellsReadingTables(doc.cells, RUN_TABLES)] });
		expect(results.map((r: CellResult) => [r.cellId, r.status, r.rowCount ?? null])).toEqual([
			['gen', 'ok', 3],
			['chains', 'ok', 2],
			['detection', 'ok', 2],
			['run_list', 'ok', 3],
			['fig', 'ok', 2]
		]);
	});
});
