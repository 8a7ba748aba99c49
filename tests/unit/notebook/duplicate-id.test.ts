// Two cells with one id: one rule for the page and `covw notebook run` — the FIRST keeps the id
// (runs, owns the view), the later duplicate is the error naming both lines, and cells reading the
// id read the first. A partial run after it must not take the duplicate's failure for the first's.
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { newExecutionState, runNotebook, type CellResult } from '../../../src/lib/notebook/executor.ts';
import { resultKeyAt } from '../../../src/lib/notebook/result-key.ts';
import { FakeEngine } from './fake-engine.ts';

const cell = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const brief = (r: CellResult) => [r.cellIndex, r.cellId, r.status, r.rowCount ?? null];

describe('duplicate cell ids', () => {
	// The duplicate sits between the first and the plot reading the id, and after the plot.
	for (const [name, parts] of [
		['duplicate before the reader', [cell('sql id=scores', 'SELECT * FROM paper'), cell('sql id=scores', 'SELECT 1 AS a'), cell('plot id=fig from=scores', '{"marks": [{"type": "dot", "x": "a", "y": "b"}]}')]],
		['duplicate after the reader', [cell('sql id=scores', 'SELECT * FROM paper'), cell('plot id=fig from=scores', '{"marks": [{"type": "dot", "x": "a", "y": "b"}]}'), cell('sql id=Scores', 'SELECT 1 AS a')]]
	] as const) {
		it(`${name}: the first runs, the later one is the error naming both lines, the plot draws the first`, async () => {
			const text = parts.join('\n');
			const doc = parseNotebook(text);
			const engine = new FakeEngine({ paper: { a: [1, 2, 3], b: [3, 1, 2] } });
			const state = newExecutionState();
			const { results } = await runNotebook(doc, engine, { state });
			const lines = doc.cells.map((c) => c.line);
			const first = results.find((r) => r.cellIndex === 0)!;
			const dup = results.find((r) => r.cellIndex === (name.startsWith('duplicate before') ? 1 : 2))!;
			const plot = results.find((r) => r.cellId === 'fig')!;
			expect(first.status).toBe('ok');
			expect(first.rowCount).toBe(3);
			expect(dup.status).toBe('error');
			expect(dup.error?.message).toContain(`line ${dup.error?.line}`);
			expect(dup.error?.message).toContain(`already used by the cell on line ${lines[0]}`);
			expect(plot.status).toBe('ok');
			expect(plot.plot?.data.scores.numRows).toBe(3);
			// The view is the first cell's, still there; and a later run of the plot alone is not blocked.
			expect(engine.relations.has('scores')).toBe(true);
			const again = await runNotebook(doc, engine, { state, only: 'fig' });
			expect(again.results.map(brief)).toEqual([[plot.cellIndex, 'fig', 'ok', 3]]);
		});
	}

	it('results are keyed so the page shows each cell its own: the first by id, the duplicate by position', () => {
		const doc = parseNotebook([cell('sql id=scores', 'SELECT 1'), cell('sql id=SCORES', 'SELECT 2'), cell('sql', 'SELECT 3')].join('\n'));
		expect(doc.cells.map((_, i) => resultKeyAt(doc.cells, i))).toEqual(['scores', '#1', '#2']);
	});
});
