// The runs page's view of a run: its line (counts from rows, duration), errors grouped by reason,
// and the spec that names a generation run (and its judge run) again.
import { describe, expect, it } from 'vitest';
import { errorGroups, errorReason, overviewFromCounts, overviewOf, progressTimeline, resumeSpecOf } from '../../../src/lib/runs/run-overview.ts';
import type { RunRecord } from '../../../src/lib/runs/run-list.ts';
import type { Manifest } from '../../../src/lib/engine/manifest.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';

function manifest(over: Partial<Manifest>): Manifest {
	return {
		run_id: 'gen-x',
		kind: 'generation',
		params: { kind: 'generation', task: 'completion', model: 'local/m', selection: { set: ['seed'], limit: 2 }, samples: 1 },
		dataset_hash: null,
		endpoints: [],
		state: 'completed',
		started_at: '2026-01-01T00:00:00.000Z',
		sessions: ['2026-01-01T00:00:00.000Z'],
		finished_at: '2026-01-01T00:01:05.000Z',
		counts: { total: 4, ok: 0, error: 0, unparsed: 0, pending: 4, cached: 0 },
		tokens: { in: 10, out: 20, cached_in: 0, cached_out: 0 },
		cost_usd: 0.0024,
		log_warnings: [],
		...over
	};
}
const row = (unit: string, status: ResultRow['status'], error: string | null = null): ResultRow => ({
	unit_id: unit,
	sample: 0,
	status,
	response: null,
	error,
	latency_ms: 1,
	tokens_in: 1,
	tokens_out: 1,
	cached: false,
	attempts: 1,
	finished_at: '2026-01-01T00:00:30.000Z',
	meta: {}
});

describe('run overview', () => {
	it('counts from the rows, not the manifest, and measures the duration', () => {
		const run: RunRecord = { manifest: manifest({}), rows: [row('a', 'ok'), row('b', 'error', 'HTTP 429 after 6 attempts'), row('c', 'unparsed')] };
		const o = overviewOf(run, false);
		expect(o.counts).toMatchObject({ total: 4, ok: 1, error: 1, unparsed: 1, pending: 1 });
		expect(o.duration_ms).toBe(65_000);
		expect(o).toMatchObject({ task: 'completion', model: 'local/m', cost_usd: 0.0024, live: false });
	});

	it('a running manifest with no writer left is interrupted, and its duration ends at its last row', () => {
		const run: RunRecord = { manifest: manifest({ state: 'running', finished_at: null }), rows: [row('a', 'ok')] };
		const now = Date.parse('2026-01-01T05:00:00.000Z');
		const going = overviewOf(run, false, now, false);
		expect(going).toMatchObject({ state: 'running', interrupted: false, duration_ms: 5 * 3600_000 });
		const stopped = overviewOf(run, false, now, true);
		expect(stopped).toMatchObject({ state: 'running', interrupted: true, duration_ms: 30_000 });
		// Live in this server: never interrupted, whatever the lock says.
		expect(overviewOf(run, true, now, true).interrupted).toBe(false);
		// A finished run is never interrupted.
		expect(overviewOf({ ...run, manifest: manifest({}) }, false, now, true).interrupted).toBe(false);
	});

	it('costs the answers on disk at the prices recorded with the run, live and after a crash', () => {
		// A session that died after its manifest said $0.0000011: its rows hold far more tokens since.
		const endpoints = [{ name: 'vllm2', models: { 'meta-llama/Llama-3.1-8B-Instruct': { params: {}, prices: { inputPer1M: 0.1, outputPer1M: 0.2 } } } }];
		const m = manifest({ state: 'running', finished_at: null, params: { kind: 'generation', task: 'completion', model: 'vllm2/meta-llama/Llama-3.1-8B-Instruct' }, endpoints, cost_usd: 0.0000011, tokens: { in: 5, out: 3, cached_in: 0, cached_out: 0 } });
		const rows = [row('a', 'ok'), row('b', 'ok'), { ...row('c', 'ok'), tokens_in: 998, tokens_out: 498 }, { ...row('d', 'ok'), cached: true, tokens_in: 1e6, tokens_out: 1e6 }];
		const o = overviewOf({ manifest: m, rows }, false, Date.now(), true);
		expect(o.row_tokens).toEqual({ in: 1000, out: 500 });
		expect(o.cost_usd).toBeCloseTo((1000 * 0.1 + 500 * 0.2) / 1e6, 12); // the cached answer costs nothing
		// The run tables' path (tokens already summed) says the same.
		expect(overviewFromCounts(m, o.counts, () => null, true, Date.now(), false, { in: 1000, out: 500 }).cost_usd).toBeCloseTo(o.cost_usd!, 12);
		// A judge run pays for its judge, not for the model it judges.
		const judge = manifest({ kind: 'judge', params: { judge: 'vllm2/meta-llama/Llama-3.1-8B-Instruct', source: { run: 'gen-x' } }, endpoints, cost_usd: null });
		expect(overviewOf({ manifest: judge, rows: [row('a', 'ok')] }).cost_usd).toBeCloseTo((0.1 + 0.2) / 1e6, 12);
		// No price recorded: the manifest's own figure (null).
		expect(overviewOf({ manifest: manifest({ cost_usd: null }), rows }).cost_usd).toBeNull();
	});

	it('groups errors by reason, numbers and quoted text aside, largest group first', () => {
		expect(errorReason('HTTP 429 after 6 attempts')).toBe(errorReason('HTTP 429 after 5 attempts'));
		expect(errorReason('HTTP 429 after 6 attempts')).not.toBe(errorReason('HTTP 500 after 6 attempts'));
		// CWE ids are names, not counts: kept whole.
		expect(errorReason('rule judge: unknown CWE "CWE-377"; expected one of CWE-20, CWE-787')).toBe('rule judge: unknown CWE "…"; expected one of CWE-20, CWE-787');
		expect(errorReason('gcc cannot report CWE-22 after 3 tries')).toBe('gcc cannot report CWE-22 after N tries');
		const run: RunRecord = {
			manifest: manifest({}),
			rows: [row('a', 'error', 'HTTP 429 after 6 attempts'), row('b', 'error', 'HTTP 429 after 3 attempts'), row('c', 'error', 'timeout after 120 s'), row('d', 'ok')]
		};
		const groups = errorGroups(run);
		expect(groups.map((g) => g.count)).toEqual([2, 1]);
		expect(groups[0].units).toEqual(['a', 'b']);
	});

	it('an answer with no code is no error: it is counted (no_code), never grouped as "failed without a message"', () => {
		const run: RunRecord = { manifest: manifest({}), rows: [row('a', 'no_code'), row('b', 'no_code'), row('c', 'error', 'timeout after 120 s'), row('d', 'ok')] };
		expect(errorGroups(run).map((g) => [g.reason, g.count])).toEqual([['timeout after N s', 1]]);
	});

	it('rebuilds the run cell spec of a generation run and of a judge run over it', () => {
		const gen = manifest({});
		expect(resumeSpecOf(gen)).toEqual({ task: 'completion', model: 'local/m', set: ['seed'], limit: 2, samples: 1 });
		const judge = manifest({ run_id: 'judge-x', kind: 'judge', params: { kind: 'judge', judge: 'local/j', template: 'fewshot', source: { run: 'gen-x' } } });
		expect(resumeSpecOf(gen, judge)).toMatchObject({ judge: 'local/j', template: 'fewshot' });
		expect(overviewOf({ manifest: judge, rows: [] }).source_run).toBe('gen-x');
		expect(overviewOf({ manifest: judge, rows: [] }).item_set).toBeNull();
		expect(resumeSpecOf(judge)).toBeNull();
		// A judge run of a labelled set names the set (the runs list says "judge · rules on own").
		const own = manifest({ run_id: 'judge-rules-items-own', kind: 'judge', params: { kind: 'judge', judge: 'rules', source: { items: 'own', items_hash: 'h' } } });
		expect(overviewOf({ manifest: own, rows: [] })).toMatchObject({ source_run: null, item_set: 'own' });
	});
});

describe('progress timeline', () => {
	it('counts rows done by their finish time, from the start, ending on all rows', () => {
		const at = (unit: string, t: string) => ({ ...row(unit, 'ok'), finished_at: t });
		const run: RunRecord = { manifest: manifest({}), rows: [at('b', '2026-01-01T00:00:20.000Z'), at('a', '2026-01-01T00:00:10.000Z'), at('c', '2026-01-01T00:01:00.000Z')] };
		expect(progressTimeline(run)).toEqual([
			{ seconds: 0, done: 0 },
			{ seconds: 10, done: 1 },
			{ seconds: 20, done: 2 },
			{ seconds: 60, done: 3 }
		]);
		expect(progressTimeline(run, 2).at(-1)).toEqual({ seconds: 60, done: 3 });
		expect(progressTimeline({ manifest: manifest({}), rows: [] })).toEqual([]);
	});
});
