// The runs pages say a run's state by outcome (issue 13): a run whose units failed reads
// "completed · 0 ok, 54 errors" in the warning tone, never the clean run's "completed"; and a
// run still going on (or interrupted) shows the tokens of its rows so far, never a false "0 in · 0 out".
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
	const tokens = (state: string, t: { in: number; out: number }, more: { live?: boolean; interrupted?: boolean; rows?: { in: number; out: number } } = {}) => ({
		...run(state, { ok: 1 }, more),
		tokens: t,
		row_tokens: more.rows
	});
	it('gives a finished run its totals, and a running or interrupted one no false zero', () => {
		expect(runTokens(tokens('completed', { in: 1200, out: 34 }, { rows: { in: 5, out: 5 } }))).toEqual({ in: '1,200', out: '34', partial: false, soFar: false });
		expect(runTokens(tokens('running', { in: 0, out: 0 }))).toEqual({ in: '—', out: '—', partial: true, soFar: false });
		expect(runTokens(tokens('running', { in: 0, out: 0 }, { interrupted: true, rows: { in: 0, out: 0 } }))).toEqual({ in: '—', out: '—', partial: true, soFar: false });
		// Without the rows' tokens, a resumed run: the sessions before count, as a lower bound.
		expect(runTokens(tokens('running', { in: 500, out: 20 }, { live: true }))).toEqual({ in: '≥ 500', out: '≥ 20', partial: true, soFar: false });
	});

	it('counts a running or interrupted run from its rows so far', () => {
		expect(runTokens(tokens('running', { in: 0, out: 0 }, { live: true, rows: { in: 1234, out: 567 } }))).toEqual({ in: '1,234', out: '567', partial: true, soFar: true });
		expect(runTokens(tokens('running', { in: 0, out: 0 }, { interrupted: true, rows: { in: 90, out: 120 } }))).toEqual({ in: '90', out: '120', partial: true, soFar: true });
		// Running here (the page's live event) before the line it polls says so.
		expect(runTokens(tokens('completed', { in: 7, out: 8 }, { rows: { in: 30, out: 40 } }), true)).toEqual({ in: '30', out: '40', partial: true, soFar: true });
		// Never fewer than the sessions the manifest already totalled.
		expect(runTokens(tokens('running', { in: 500, out: 20 }, { live: true, rows: { in: 400, out: 30 } }))).toMatchObject({ in: '500', out: '30' });
	});
});
