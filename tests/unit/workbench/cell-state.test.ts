// A run cell's state and totals from the server's runs folder (src/lib/workbench/runs/cell-state.ts),
// for a tab with no live events: after a server crash the cell says "interrupted" (it showed no
// state at all), and its tokens are the rows' so far — the crashed run's manifest still says 0
// while the cost, from the rows, said $0.38.
import { describe, expect, it } from 'vitest';
import { cellStateOf, cellTokens, type CellRunFacts } from '../../../src/lib/workbench/runs/cell-state.ts';

const run = (p: Partial<CellRunFacts> = {}): CellRunFacts => ({
	run_id: 'gen-x',
	kind: 'generation',
	state: 'completed',
	live: false,
	interrupted: false,
	counts: { ok: 10, error: 0, unparsed: 0 },
	tokens: { in: 100, out: 50 },
	row_tokens: { in: 100, out: 50 },
	...p
});

describe('cellStateOf', () => {
	it('a run whose server was killed reads interrupted, in any tab', () => {
		const s = cellStateOf([run({ state: 'running', interrupted: true }), undefined], ['generation', 'judge']);
		expect(s).toEqual({ text: 'interrupted — Resume goes on from the rows saved', tone: 'warn' });
	});

	it('running here, running elsewhere, cancelled, completed, judge not started', () => {
		expect(cellStateOf([run({ state: 'running', live: true })])?.text).toBe('running');
		expect(cellStateOf([run({ state: 'running' })])?.text).toBe('running (not from this server: the CLI or another server)');
		expect(cellStateOf([run({ state: 'cancelled' }), undefined], ['generation', 'judge'])).toEqual({ text: 'cancelled', tone: 'muted' });
		expect(cellStateOf([run(), run({ run_id: 'j', kind: 'judge' })], ['generation', 'judge'])).toEqual({ text: 'completed · all runs', tone: 'ok' });
		expect(cellStateOf([run(), undefined], ['generation', 'judge'])?.text).toBe('not started (judge)');
		expect(cellStateOf([run(), run({ run_id: 'j', kind: 'judge', state: 'running', interrupted: true })], ['generation', 'judge'])?.text).toMatch(/^interrupted \(judge\)/);
		expect(cellStateOf([run({ counts: { ok: 0, error: 3, unparsed: 0 } })])).toEqual({ text: 'completed · 0 ok, 3 errors', tone: 'warn' });
	});

	it('nothing on disk yet: no state', () => {
		expect(cellStateOf([undefined, undefined])).toBeNull();
	});
});

describe('cellTokens', () => {
	it('a crashed run: the rows’ tokens so far, not the manifest’s 0 (the cost is computed from the rows too)', () => {
		const crashed = run({ state: 'running', interrupted: true, tokens: { in: 0, out: 0 }, row_tokens: { in: 40_000, out: 12_000 } });
		expect(cellTokens([crashed])).toEqual({ in: 40_000, out: 12_000, soFar: true });
	});

	it('finished runs: their totals summed, never below the manifest', () => {
		expect(cellTokens([run(), run({ tokens: { in: 7, out: 3 }, row_tokens: { in: 5, out: 1 } })])).toEqual({ in: 107, out: 53, soFar: false });
	});
});
