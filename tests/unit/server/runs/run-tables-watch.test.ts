// A refresh of the run tables costs what changed, not a stat of every run on disk: finished
// (compacted) runs are watched and stepped only when their folder changes; live runs are
// stepped at every refresh; a run made by another process (the CLI) shows, and so does a
// finished run it resumes, with no periodic full check to fall back on (fullCheckMs: Infinity).
// Without a runs folder to watch, every refresh is a full one, as before.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compactRun } from '../../../../src/lib/engine/compact-run.ts';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import { RunTablesCache } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let runsDir: string;
const caches: RunTablesCache[] = [];
beforeEach(() => {
	dir = tempDir();
	runsDir = join(dir.path, 'runs');
	mkdirSync(runsDir);
});
afterEach(() => {
	for (const cache of caches.splice(0)) cache.close();
	dir.remove();
});

/** A cache that never falls back on a full check unless told: only events and live runs count. */
function cacheOf(path = runsDir, fullCheckMs = Infinity, maxWatches?: number): RunTablesCache {
	const cache = new RunTablesCache(path, { fullCheckMs, maxWatches });
	caches.push(cache);
	return cache;
}

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
});

function plantRun(runId: string, opts: { state: 'running' | 'completed'; rows: string[]; at?: string; parent?: string }): string {
	const runDir = join(opts.parent ?? runsDir, runId);
	mkdirSync(runDir, { recursive: true });
	const at = opts.at ?? '2026-01-01T00:00:01.000Z';
	writeFileSync(
		join(runDir, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [], state: opts.state,
			started_at: at, sessions: [at], finished_at: opts.state === 'completed' ? at : null,
			counts: { total: 10, ok: 0, error: 0, unparsed: 0, pending: 10, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	writeFileSync(join(runDir, 'log.jsonl'), opts.rows.map((u) => rowToLine(row(u))).join(''));
	if (opts.state === 'running') writeFileSync(join(runDir, 'lock'), String(process.pid));
	else compactRun(runDir, runId, 'generations.arrow'); // as the engine leaves a finished run
	return runDir;
}

/** A resume as another process does it: its lock, its manifest says running, a row appended. */
function resume(runDir: string, unit: string): void {
	writeFileSync(join(runDir, 'lock'), '1');
	const path = join(runDir, 'manifest.json');
	writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), state: 'running', finished_at: null }));
	appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row(unit)));
}

const rowsOf = async (cache: RunTablesCache, runId: string) => (await cache.status()).tables.generations.runs.find((r) => r.run_id === runId)?.rows;

describe('a refresh of the run tables', () => {
	it('steps only the live runs once the finished ones are watched, however many there are', async () => {
		for (let i = 0; i < 12; i++) plantRun(`done-${i}`, { state: 'completed', rows: ['a', 'b'] });
		plantRun('live', { state: 'running', rows: ['x'] });
		const cache = cacheOf();
		await cache.status();
		expect(cache.cost).toEqual({ stepped: 13, watched: 12 });
		await cache.status(); // each finished run once more, now that its folder is watched
		await cache.status();
		expect(cache.cost).toEqual({ stepped: 1, watched: 12 });
		// The live run's new rows are still there at the next refresh, with no event needed.
		appendFileSync(join(runsDir, 'live', 'log.jsonl'), rowToLine(row('y')));
		expect(await rowsOf(cache, 'live')).toBe(2);
		expect((await cache.status()).tables.generations.rows).toBe(12 * 2 + 2);
	});

	it('shows a run another process started, and a finished run it resumes', async () => {
		const doneDir = plantRun('done', { state: 'completed', rows: ['a'] });
		const cache = cacheOf();
		await cache.status();
		await cache.status();
		expect(cache.cost.watched).toBe(1);

		plantRun('from-cli', { state: 'running', rows: ['p', 'q'], at: '2026-01-01T00:00:02.000Z' });
		await vi.waitFor(async () => expect(await rowsOf(cache, 'from-cli')).toBe(2), { timeout: 5000 });

		resume(doneDir, 'b');
		await vi.waitFor(async () => expect(await rowsOf(cache, 'done')).toBe(2), { timeout: 5000 });
		expect(cache.cost.watched).toBe(0); // a live run is stat'ed at every refresh, not watched
		// It keeps growing with no event needed.
		appendFileSync(join(doneDir, 'log.jsonl'), rowToLine(row('c')));
		expect(await rowsOf(cache, 'done')).toBe(3);
	});

	it('drops a finished run whose folder was deleted', async () => {
		const goneDir = plantRun('gone', { state: 'completed', rows: ['a'] });
		plantRun('kept', { state: 'completed', rows: ['b'] });
		const cache = cacheOf();
		await cache.status();
		await cache.status();
		rmSync(goneDir, { recursive: true });
		await vi.waitFor(async () => expect((await cache.status()).tables.generations.runs.map((r) => r.run_id)).toEqual(['kept']), { timeout: 5000 });
		expect(cache.cost.watched).toBe(1);
	});

	it('follows a finished run deleted and made again under the same id, and a resume of it', async () => {
		plantRun('again', { state: 'completed', rows: ['a'] });
		const cache = cacheOf();
		await cache.status();
		await cache.status();
		expect(cache.cost.watched).toBe(1);
		rmSync(join(runsDir, 'again'), { recursive: true });
		const againDir = plantRun('again', { state: 'completed', rows: ['a', 'b'] });
		await vi.waitFor(async () => expect(await rowsOf(cache, 'again')).toBe(2), { timeout: 5000 });
		await vi.waitFor(async () => expect((await cache.status(), cache.cost.watched)).toBe(1), { timeout: 5000 });
		resume(againDir, 'c'); // the CLI resumes the new folder: its watch, not the dead one, must see it
		await vi.waitFor(async () => expect(await rowsOf(cache, 'again')).toBe(3), { timeout: 5000 });
	});

	it('watches at most maxWatches run folders; the others are stepped at every refresh', async () => {
		for (let i = 0; i < 5; i++) plantRun(`done-${i}`, { state: 'completed', rows: ['a'] });
		const cache = cacheOf(runsDir, Infinity, 2);
		await cache.status();
		await cache.status();
		await cache.status();
		expect(cache.cost).toEqual({ stepped: 3, watched: 2 });
		// The three runs beyond the cap show a resume at the next refresh, with no event needed.
		for (let i = 0; i < 5; i++) resume(join(runsDir, `done-${i}`), 'b');
		const runs = (await cache.status()).tables.generations.runs;
		expect(runs.filter((r) => r.rows === 2).length).toBeGreaterThanOrEqual(3);
		await vi.waitFor(async () => expect((await cache.status()).tables.generations.rows).toBe(10), { timeout: 5000 });
	});

	it('with a full check due at every refresh (fullCheckMs 0), steps every run each time', async () => {
		for (let i = 0; i < 3; i++) plantRun(`done-${i}`, { state: 'completed', rows: ['a'] });
		const cache = cacheOf(runsDir, 0);
		await cache.status();
		await cache.status();
		expect(cache.cost.stepped).toBe(3);
	});

	it('with no runs folder to watch yet, refreshes in full: the first run made later shows at once', async () => {
		const later = join(dir.path, 'later-runs');
		const cache = cacheOf(later);
		expect((await cache.status()).tables.generations.runs).toEqual([]);
		plantRun('first', { state: 'completed', rows: ['a', 'b'], parent: later });
		expect(existsSync(join(later, 'first', 'generations.arrow'))).toBe(true);
		expect(await rowsOf(cache, 'first')).toBe(2);
	});
});
