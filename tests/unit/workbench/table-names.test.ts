// The page's table sync: a query fetches only the listed tables it names; a status change
// names the runs whose rows changed (so a run cell re-reads only for its own runs).
import { describe, expect, it } from 'vitest';
import { changedRuns, mentions } from '../../../src/lib/workbench/table-names.ts';
import type { RunTablesStatus } from '../../../src/lib/runs/run-tables.ts';

describe('mentions', () => {
	it('finds a table named as a word, quoted or not, and not inside a longer name', () => {
		expect(mentions('select * from generations g', 'generations')).toBe(true);
		expect(mentions('select * from "generations"', 'generations')).toBe(true);
		expect(mentions('select * from v join runs on true', 'runs')).toBe(true);
		expect(mentions('select * from my_runs', 'runs')).toBe(false);
		expect(mentions('select * from runs2, runs_x', 'runs')).toBe(false);
		expect(mentions('select 1', 'verdicts')).toBe(false);
	});
});

describe('changedRuns', () => {
	const status = (gen: [string, string, number][], ver: [string, string, number][] = []): RunTablesStatus => ({
		version: 1,
		tables: {
			generations: { rows: 0, runs: gen.map(([run_id, epoch, seq]) => ({ run_id, epoch, seq, rows: seq })) },
			verdicts: { rows: 0, runs: ver.map(([run_id, epoch, seq]) => ({ run_id, epoch, seq, rows: seq })) },
			runs: { rows: 0 }
		},
		warnings: []
	});
	it('names runs with new rows, a new epoch, new runs and runs gone', () => {
		const before = status([['a', 'e1', 5], ['b', 'e1', 3], ['gone', 'e1', 1]], [['j', 'e1', 2]]);
		const after = status([['a', 'e1', 7], ['b', 'e1', 3], ['c', 'e1', 1]], [['j', 'e2', 2]]);
		expect([...changedRuns(before, after)].sort()).toEqual(['a', 'c', 'gone', 'j']);
	});
	it('names every run when there is no earlier status', () => {
		expect([...changedRuns(null, status([['a', 'e', 1]]))]).toEqual(['a']);
	});
});
