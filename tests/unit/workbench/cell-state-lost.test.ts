// The tab that started a run, with the server killed: its live stream is lost and the runs
// folder's last read still says live (running, a stale count). Until a read answers again the cell
// says "server not answering", never "running" (RunPanel: `lost` set on the lost stream, cleared
// by a fresh read or event; cell-state.ts cellStateWhenLost).
import { describe, expect, it } from 'vitest';
import { cellStateOf, cellStateWhenLost, type CellRunFacts } from '../../../src/lib/workbench/runs/cell-state.ts';

const running: CellRunFacts = {
	run_id: 'gen-x', kind: 'generation', state: 'running', live: true, interrupted: false,
	counts: { ok: 25, error: 0, unparsed: 0 }, tokens: { in: 0, out: 0 }
} as CellRunFacts;

describe('a lost server', () => {
	it('the last read said running: the cell says server not answering, not running', () => {
		const stale = cellStateOf([running]);
		expect(stale?.text).toBe('running');
		const shown = cellStateWhenLost(stale, true);
		expect(shown?.text).toMatch(/^server not answering/);
		expect(shown?.text).not.toMatch(/^running/);
		expect(shown?.tone).toBe('warn');
	});

	it('once a read answers again (lost cleared): the runs folder\'s state as before', () => {
		const interrupted = cellStateOf([{ ...running, live: false, interrupted: true }]);
		expect(cellStateWhenLost(interrupted, false)).toEqual(interrupted);
	});
});
