// A page back after a server restart asks for every run's rows in one request, not one per run:
// the server answers several runs' changed rows in one Arrow stream with a trailer saying what
// came of each (run-tables-cache.ts changesOfRuns, workbench/runs/run-rows-frame.ts), and the
// statements the page runs (run-rows-sync.ts) leave its DuckDB table equal to the whole table
// fetched afresh — after a restart (every run full), a live run's new rows (a delta) and a run
// whose folder went away.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import { connectNodeDuckDB, type BlockingConnection } from '../../../../src/lib/node/headless/engine.ts';
import { RunTablesCache, type RunRowsAsk } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { parseRunRows, runRowsTrailer } from '../../../../src/lib/workbench/runs/run-rows-frame.ts';
import { inGroups, runRowsAsks, runRowsStatements } from '../../../../src/lib/workbench/runs/run-rows-sync.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const dir = tempDir('covw-run-rows-');
let conn: BlockingConnection;
beforeAll(async () => void (conn = await connectNodeDuckDB()));
afterAll(() => {
	conn?.close();
	dir.remove();
});

const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }, ...extra
});

function plantRun(runId: string, rows: ResultRow[], state: 'completed' | 'running', startedAt: string): void {
	const runDir = join(dir.path, runId);
	mkdirSync(runDir, { recursive: true });
	writeFileSync(
		join(runDir, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [], state, started_at: startedAt, sessions: [startedAt],
			finished_at: state === 'completed' ? startedAt : null, counts: { total: 9, ok: 0, error: 0, unparsed: 0, pending: 9, cached: 0 },
			tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	writeFileSync(join(runDir, 'log.jsonl'), rows.map(rowToLine).join(''));
	if (state === 'running') writeFileSync(join(runDir, 'lock'), String(process.pid)); // a live writer: this process
}

/** What the route answers: the stream's parts, then the trailer (as the page receives it). */
async function answerOf(cache: RunTablesCache, asks: RunRowsAsk[]): Promise<Uint8Array> {
	const { parts, done } = await cache.changesOfRuns('generations', asks);
	const chunks: Uint8Array[] = [];
	for await (const part of parts) chunks.push(part);
	chunks.push(runRowsTrailer(done()));
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const c of chunks) (out.set(c, at), (at += c.length));
	return out;
}

/** The page's side: apply one answer to its loaded table, as browser-engine.ts applyRunsRows does. */
function apply(body: Uint8Array) {
	const { ipc, runs } = parseRunRows(body);
	conn.query('DROP TABLE IF EXISTS changes');
	if (runs.some((r) => r.count > 0)) conn.insertArrowFromIPCStream(ipc, { name: 'changes', create: true });
	for (const sql of runRowsStatements('generations', 'changes', runs)) conn.query(sql);
	return runs;
}

const rowsOf = (table: string) =>
	conn.query(`SELECT run_id, unit_id, status, response FROM ${table} ORDER BY run_id, unit_id`).toArray().map((r) => JSON.stringify(r.toJSON()));

describe('several runs\' rows in one answer', () => {
	it('brings a page\'s table up to date after a restart, a live run\'s rows and a deleted run, one request each time', async () => {
		for (let i = 0; i < 12; i++) plantRun(`done-${String(i).padStart(2, '0')}`, [row('a'), row('b'), row(`only-${i}`)], 'completed', `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`);
		plantRun('live', [row('x')], 'running', '2026-01-01T00:01:00.000Z');

		// The page before the restart: the whole table, and the versions it holds.
		const before = new RunTablesCache(dir.path);
		const status = await before.status();
		conn.insertArrowFromIPCStream(await before.ipc('generations'), { name: 'generations', create: true });
		const held = new Map(status.tables.generations.runs.map((r) => [r.run_id, { epoch: r.epoch, seq: r.seq }]));
		expect(rowsOf('generations')).toHaveLength(12 * 3 + 1);
		before.close();

		// Restarted: every run's epoch is new, so every run is asked — in one request.
		const after = new RunTablesCache(dir.path);
		try {
			const restarted = await after.status();
			// A tab compares versions first: a restarted server never answers the version it held.
			expect(restarted.version).not.toBe(status.version);
			const asks = runRowsAsks(held, restarted.tables.generations.runs);
			expect(asks).toHaveLength(13);
			expect(inGroups(asks)).toHaveLength(1);
			const runs = apply(await answerOf(after, asks));
			expect(runs.map((r) => r.run_id)).toEqual(asks.map((a) => a.run));
			expect(runs.every((r) => r.full)).toBe(true);
			for (const r of runs) held.set(r.run_id, { epoch: r.epoch, seq: r.seq });
			conn.insertArrowFromIPCStream(await after.ipc('generations'), { name: 'fresh1', create: true });
			expect(rowsOf('generations')).toEqual(rowsOf('fresh1'));

			// Nothing changed: nothing to ask.
			expect(runRowsAsks(held, (await after.status()).tables.generations.runs)).toEqual([]);

			// The live run writes a row again for x (now an error, then ok) and a new unit: a delta of that run alone.
			appendFileSync(join(dir.path, 'live', 'log.jsonl'), rowToLine(row('x', { response: 'answer x, again' })) + rowToLine(row('y')));
			const growing = await after.status();
			const deltaAsks = runRowsAsks(held, growing.tables.generations.runs);
			expect(deltaAsks.map((a) => a.run)).toEqual(['live']);
			const delta = apply(await answerOf(after, deltaAsks));
			expect(delta).toEqual([expect.objectContaining({ run_id: 'live', full: false, count: 2 })]);
			for (const r of delta) held.set(r.run_id, { epoch: r.epoch, seq: r.seq });
			conn.insertArrowFromIPCStream(await after.ipc('generations'), { name: 'fresh2', create: true });
			expect(rowsOf('generations')).toEqual(rowsOf('fresh2'));
			expect(rowsOf('generations').filter((r) => r.includes('"live"'))).toHaveLength(2);

			// A run asked for that is gone by the time it is read: full with no rows, its rows go.
			rmSync(join(dir.path, 'done-03'), { recursive: true });
			const gone = apply(await answerOf(after, [{ run: 'done-03', epoch: held.get('done-03')!.epoch, after: 0 }]));
			expect(gone).toEqual([{ run_id: 'done-03', full: true, count: 0, epoch: '', seq: 0 }]);
			expect(rowsOf('generations').some((r) => r.includes('"done-03"'))).toBe(false);

			// A run that cannot be read (a damaged file) holds back no other run, and the page keeps its rows.
			const damaged = (after as unknown as { set: { source(id: string): { changes: () => Promise<never> } } }).set.source('done-05');
			damaged.changes = async () => {
				throw new Error('generations.arrow: damaged');
			};
			const twoAsks = [{ run: 'done-05', epoch: 'old', after: 0 }, { run: 'done-06', epoch: 'old', after: 0 }];
			const mixed = apply(await answerOf(after, twoAsks));
			expect(mixed[0]).toEqual({ run_id: 'done-05', full: false, count: 0, epoch: 'old', seq: 0, error: 'generations.arrow: damaged' });
			expect(mixed[1]).toMatchObject({ run_id: 'done-06', full: true, count: 3 });
			expect(rowsOf('generations').filter((r) => r.includes('"done-05"'))).toHaveLength(3);
			expect(rowsOf('generations').filter((r) => r.includes('"done-06"'))).toHaveLength(3);
		} finally {
			after.close();
		}
	});

	it('groups thousands of runs into a few requests', () => {
		const runs = Array.from({ length: 1_201 }, (_, i) => ({ run_id: `r${i}`, epoch: 'e2', seq: 1 }));
		const asks = runRowsAsks(new Map(runs.map((r) => [r.run_id, { epoch: 'e1', seq: 1 }])), runs);
		expect(asks).toHaveLength(1_201);
		expect(asks[0]).toEqual({ run: 'r0', epoch: 'e1', after: 1 });
		expect(inGroups(asks).map((g) => g.length)).toEqual([500, 500, 201]);
	});

	it('reads a trailer-less body as an error, not as rows', () => {
		expect(() => parseRunRows(new Uint8Array([1, 2]))).toThrow(/too short/);
		expect(() => parseRunRows(new Uint8Array([0, 0, 0, 0, 200, 0, 0, 0]))).toThrow(/trailer of 200 bytes/);
	});
});
