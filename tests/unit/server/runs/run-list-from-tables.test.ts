// The runs list (/api/runs, what a run cell's totals and the runs page show) comes from the run
// tables' counts, not from reading every log again: the same lines as reading the logs gives,
// for finished, live (growing) and interrupted runs; a live run's new rows show on the next
// ask, with the tokens of its rows so far; `ids` picks runs; and a log line changed in place after it was read is not read again.
// The status a page polls carries at most STATUS_WARNINGS warnings (and a count of the rest).
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import { readAllRuns } from '../../../../src/lib/runs/run-list.ts';
import { overviewOf } from '../../../../src/lib/runs/run-overview.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { listRuns } from '../../../../src/lib/server/runs/run-pages.ts';
import { RunTablesCache, STATUS_WARNINGS } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' },
	...extra
});

function plantRun(runId: string, opts: { kind?: string; state?: string; finished?: boolean; rows: ResultRow[]; startedAt: string; params?: Record<string, unknown> }): string {
	const runDir = join(dir.path, runId);
	mkdirSync(runDir, { recursive: true });
	writeFileSync(
		join(runDir, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: opts.kind ?? 'generation', params: opts.params ?? { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [],
			state: opts.state ?? 'running', started_at: opts.startedAt, sessions: [opts.startedAt], finished_at: opts.finished ? '2026-01-01T00:01:00.000Z' : null,
			counts: { total: 6, ok: 0, error: 0, unparsed: 0, pending: 6, cached: 0 }, tokens: { in: 10, out: 20, cached_in: 0, cached_out: 0 }, cost_usd: 0.5, log_warnings: []
		})
	);
	writeFileSync(join(runDir, 'log.jsonl'), opts.rows.map(rowToLine).join(''));
	// A running run has a writer: its lock, held by this (live) process.
	if ((opts.state ?? 'running') === 'running') writeFileSync(join(runDir, 'lock'), String(process.pid));
	return runDir;
}

const manager = new RunManager(null as unknown as ProjectRuns);
/** What reading every log gives (the list before the run tables served it), newest first. */
const fromLogs = () => readAllRuns(dir.path).map((r) => overviewOf(r)).reverse();
const withoutTime = <T extends { duration_ms: number | null; state: string }>(xs: T[]) => xs.map((x) => (x.state === 'running' ? { ...x, duration_ms: null } : x));

describe('the runs list from the run tables', () => {
	it('gives the lines reading the logs gives, and a live run’s new rows on the next ask', async () => {
		plantRun('done', { state: 'completed', finished: true, startedAt: '2026-01-01T00:00:01.000Z', rows: [row('a'), row('b', { status: 'error', error: 'HTTP 500' }), row('b'), row('c', { cached: true })] });
		plantRun('judge', { kind: 'judge', state: 'completed', finished: true, startedAt: '2026-01-01T00:00:02.000Z', params: { judge: 'rules', source: { run: 'done' } }, rows: [row('a', { status: 'unparsed' })] });
		const liveDir = plantRun('live', { startedAt: '2026-01-01T00:00:03.000Z', rows: [row('x')] });
		// Stopped without finishing (a killed process): its duration runs to its last row.
		plantRun('stopped', { state: 'interrupted', startedAt: '2026-01-01T00:00:04.000Z', rows: [row('y', { finished_at: '2026-01-01T00:00:44.000Z' }), row('z', { status: 'no_code' })] });
		const tables = new RunTablesCache(dir.path);

		const listed = await listRuns(tables, manager);
		expect(listed.map((r) => r.run_id)).toEqual(['stopped', 'live', 'judge', 'done']);
		expect(withoutTime(listed)).toEqual(withoutTime(fromLogs()));
		expect(listed.find((r) => r.run_id === 'done')!.counts).toEqual({ total: 6, ok: 3, error: 0, unparsed: 0, no_code: 0, pending: 3, cached: 1 });
		expect(listed.find((r) => r.run_id === 'stopped')!.duration_ms).toBe(40_000);
		// Tokens of the rows so far (one final row per unit, cached rows left out), beside the manifest's totals.
		expect(listed.find((r) => r.run_id === 'done')!.row_tokens).toEqual({ in: 6, out: 8 });
		expect(listed.find((r) => r.run_id === 'live')!.row_tokens).toEqual({ in: 3, out: 4 });

		appendFileSync(join(liveDir, 'log.jsonl'), rowToLine(row('w')) + rowToLine(row('v', { status: 'error', error: 'timeout' })));
		const [live] = await listRuns(tables, manager, ['live', 'absent']);
		expect(live.counts).toMatchObject({ ok: 2, error: 1, pending: 3 });
		expect(live.row_tokens).toEqual({ in: 9, out: 12 });
		expect(withoutTime([live])).toEqual(withoutTime(fromLogs().filter((r) => r.run_id === 'live')));
	});

	it('does not read a live run’s log again from the start', async () => {
		const liveDir = plantRun('live', { startedAt: '2026-01-01T00:00:03.000Z', rows: [row('x'), row('y')] });
		const tables = new RunTablesCache(dir.path);
		expect((await listRuns(tables, manager, ['live']))[0].counts.ok).toBe(2);
		// The first line garbled in place (same size): a reader starting over would skip it.
		const fd = openSync(join(liveDir, 'log.jsonl'), 'r+');
		writeSync(fd, '#', 0);
		closeSync(fd);
		appendFileSync(join(liveDir, 'log.jsonl'), rowToLine(row('z')));
		expect((await listRuns(tables, manager, ['live']))[0].counts.ok).toBe(3);
		expect(readAllRuns(dir.path)[0].rows.length).toBe(2); // what reading the log again would say
	});

	it('leaves out a run whose folder went, and one without a readable manifest', async () => {
		const gone = plantRun('gone', { state: 'completed', finished: true, startedAt: '2026-01-01T00:00:01.000Z', rows: [row('a')] });
		const broken = plantRun('broken', { state: 'completed', finished: true, startedAt: '2026-01-01T00:00:02.000Z', rows: [row('a')] });
		const tables = new RunTablesCache(dir.path);
		expect((await listRuns(tables, manager)).map((r) => r.run_id)).toEqual(['broken', 'gone']);
		rmSync(gone, { recursive: true });
		writeFileSync(join(broken, 'manifest.json'), readFileSync(join(broken, 'manifest.json'), 'utf8').slice(0, 20));
		expect(await listRuns(tables, manager)).toEqual([]);
	});
});

describe('the run tables status', () => {
	it('carries the first warnings and a count of the rest, the table list all of them', async () => {
		const runDir = plantRun('noisy', { startedAt: '2026-01-01T00:00:01.000Z', rows: [row('a')] });
		appendFileSync(join(runDir, 'log.jsonl'), Array.from({ length: STATUS_WARNINGS + 5 }, (_, i) => `not json ${i}\n`).join(''));
		const tables = new RunTablesCache(dir.path);
		const { warnings } = await tables.status();
		expect(warnings).toHaveLength(STATUS_WARNINGS + 1);
		expect(warnings[0]).toMatch(/noisy\/log\.jsonl:2: skipped/);
		expect(warnings.at(-1)).toBe('… and 5 more warnings (the table list has them all)');
		expect((await tables.list()).find((t) => t.name === 'generations')!.warnings).toHaveLength(STATUS_WARNINGS + 5);
	});
});

describe('asking for some runs only', () => {
	it('brings those runs up to date and finds a run started since', async () => {
		const liveDir = plantRun('live', { startedAt: '2026-01-01T00:00:01.000Z', rows: [row('a')] });
		const otherDir = plantRun('other', { startedAt: '2026-01-01T00:00:02.000Z', rows: [row('a')] });
		const tables = new RunTablesCache(dir.path);
		const { version } = await tables.status();
		appendFileSync(join(liveDir, 'log.jsonl'), rowToLine(row('b')));
		appendFileSync(join(otherDir, 'log.jsonl'), rowToLine(row('b')));
		expect((await listRuns(tables, manager, ['live']))[0].counts.ok).toBe(2);
		// The run's new rows, as a page asks for them after the status.
		const held = (await tables.status()).tables.generations.runs.find((r) => r.run_id === 'live')!;
		appendFileSync(join(liveDir, 'log.jsonl'), rowToLine(row('c')));
		const delta = await tables.changes('generations', 'live', held.epoch, held.seq);
		expect({ full: delta.full, count: delta.count }).toEqual({ full: false, count: 1 });
		// A run started after the last refresh, asked for by id, is found.
		plantRun('newer', { startedAt: '2026-01-01T00:00:03.000Z', rows: [row('a'), row('b'), row('c')] });
		expect((await listRuns(tables, manager, ['newer', 'not-there', '../x']))[0]).toMatchObject({ run_id: 'newer', counts: { ok: 3 } });
		const status = await tables.status();
		expect(status.version).toBeGreaterThan(version);
		expect(status.tables.generations.runs.map((r) => [r.run_id, r.rows])).toEqual([['live', 3], ['other', 2], ['newer', 3]]);
	});
});
