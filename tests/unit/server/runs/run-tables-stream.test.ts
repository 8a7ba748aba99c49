// A whole run table served as a stream (GET /api/tables/generations: every notebook that reads
// the table waits on it) ends, whatever the runs on disk: a finished run with no rows (cancelled
// before its first answer) once left the stream waiting for ever — a pull that enqueued nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import { RunTablesCache } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let cache: RunTablesCache | null = null;
beforeEach(() => {
	dir = tempDir();
});
afterEach(() => {
	cache?.close();
	dir.remove();
});

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
});

/** A finished run as a CLI leaves it before the server compacts it: manifest and log. */
function plantRun(runsDir: string, runId: string, units: string[]): void {
	mkdirSync(join(runsDir, runId), { recursive: true });
	const at = '2026-01-01T00:00:01.000Z';
	writeFileSync(
		join(runsDir, runId, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [], state: 'completed',
			started_at: at, sessions: [at], finished_at: at, counts: { total: 2, ok: 0, error: 0, unparsed: 0, pending: 2, cached: 0 },
			tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	writeFileSync(join(runsDir, runId, 'log.jsonl'), units.map((u) => rowToLine(row(u))).join(''));
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
	let at = 0;
	for (const c of chunks) (out.set(c, at), (at += c.length));
	return out;
}

it('ends, with every row, when runs without rows sit between runs with rows', async () => {
	const runsDir = join(dir.path, 'runs');
	plantRun(runsDir, 'a-with-rows', ['x', 'y']);
	plantRun(runsDir, 'b-cancelled-before-any-answer', []);
	plantRun(runsDir, 'c-also-empty', []);
	plantRun(runsDir, 'd-with-rows', ['z']);
	cache = new RunTablesCache(runsDir);
	const bytes = await readAll(await cache.stream('generations'));
	expect(tableFromIPC(bytes).numRows).toBe(3);
}, 20_000);
