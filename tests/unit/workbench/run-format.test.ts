// The runs list's "what" column: every run kind is named — evolve and its filter steps too (they
// carry no task, and showed as "? · model").
import { describe, expect, it } from 'vitest';
import { runWhat } from '../../../src/lib/workbench/runs/run-format.ts';

const run = (kind: string, p: { task?: string; model?: string; judge?: string; source_run?: string } = {}) => ({ kind, task: p.task ?? null, model: p.model ?? null, judge: p.judge ?? null, source_run: p.source_run ?? null });

describe('runWhat', () => {
	it('names evolve runs and each evolve step by what it is', () => {
		expect(runWhat(run('evolve', { model: 'local/m' }))).toBe('evolve (new scenarios from seeds) · local/m');
		expect(runWhat(run('evolve-realise', { model: 'local/m' }))).toBe('evolve step: realisable filter · local/m');
		expect(runWhat(run('evolve-induce', { model: 'local/m' }))).toBe('evolve step: induces-CWE filter · local/m');
		expect(runWhat(run('evolve-secure', { model: 'local/m' }))).toBe('evolve step: already-secure filter · local/m');
		for (const kind of ['evolve', 'evolve-realise', 'evolve-induce', 'evolve-secure', 'something-new']) expect(runWhat(run(kind, { model: 'm' }))).not.toContain('?');
	});

	it('keeps generation and judge runs as they were', () => {
		expect(runWhat(run('generation', { task: 'completion', model: 'm' }))).toBe('completion · m');
		expect(runWhat(run('judge', { judge: 'rules', source_run: 'gen-1' }))).toBe('judge · rules');
		expect(runWhat(run('judge', { judge: 'bandit' }))).toBe('judge · bandit on items');
	});
});
