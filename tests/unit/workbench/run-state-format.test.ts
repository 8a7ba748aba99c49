// The runs pages say a run's state by outcome (issue 13): a run whose units failed reads
// "completed · 0 ok, 54 errors" in the warning tone, never the clean run's "completed"; and a
// run still going on (or interrupted) shows no "0 in · 0 out" for tokens not yet totalled.
import { describe, expect, it } from 'vitest';
import { runStateOf, runTokens } from '../../../src/lib/workbench/runs/run-format.ts';

const run = (state: string, counts: { ok: number; error?: number; unparsed?: number }, more: { live?: boolean; interrupted?: boolean } = {}) => ({
	state,
	live: more.live ?? false,
	interrupted: more.interrupted ?? false,
	counts: { ok: counts.ok, error: counts.error ?? 0, unparsed: counts.unparsed ?? 0 }
});

describe('runStateOf', () => {
	it('calls only a run with no failed unit a clean completion', () => {
		expect(runStateOf(run('completed', { ok: 54 }))).toEqual({ text: 'completed', tone: 'ok' });
		expect(runStateOf(run('completed', { ok: 0, error: 54 }))).toEqual({ text: 'completed · 0 ok, 54 errors', tone: 'warn' });
		expect(runStateOf(run('completed', { ok: 0, error: 516 }))).toEqual({ text: 'completed · 0 ok, 516 errors', tone: 'warn' });
		expect(runStateOf(run('completed', { ok: 9, error: 1, unparsed: 2 }))).toEqual({ text: 'completed · 9 ok, 1 error, 2 unparsed', tone: 'warn' });
		expect(runStateOf(run('completed', { ok: 9, unparsed: 2 })).tone).toBe('warn');
	});

	it('says running, interrupted, failed and cancelled as they are', () => {
		expect(runStateOf(run('running', { ok: 3 }, { live: true })).text).toBe('running');
		expect(runStateOf(run('running', { ok: 3 }))).toEqual({ text: 'running', tone: 'running' });
		expect(runStateOf(run('running', { ok: 3 }, { interrupted: true }))).toEqual({ text: 'interrupted', tone: 'warn' });
		// Followed live in this page: running, whatever the last manifest said.
		expect(runStateOf(run('running', { ok: 3 }, { interrupted: true }), true).text).toBe('running');
		expect(runStateOf(run('failed', { ok: 0 })).tone).toBe('bad');
		expect(runStateOf(run('cancelled', { ok: 1, error: 1 })).text).toBe('cancelled');
	});
});

describe('runTokens', () => {
	const tokens = (state: string, t: { in: number; out: number }, more: { live?: boolean; interrupted?: boolean } = {}) => ({ ...run(state, { ok: 1 }, more), tokens: t });
	it('gives a finished run its totals, and a running or interrupted one no false zero', () => {
		expect(runTokens(tokens('completed', { in: 1200, out: 34 }))).toEqual({ in: '1,200', out: '34', partial: false });
		expect(runTokens(tokens('running', { in: 0, out: 0 }))).toEqual({ in: '—', out: '—', partial: true });
		expect(runTokens(tokens('running', { in: 0, out: 0 }, { interrupted: true })).in).toBe('—');
		// A resumed run: the sessions before count, as a lower bound.
		expect(runTokens(tokens('running', { in: 500, out: 20 }, { live: true }))).toEqual({ in: '≥ 500', out: '≥ 20', partial: true });
	});
});
