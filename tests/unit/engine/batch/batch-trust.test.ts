// What a batch run trusts, and what it makes sure of: the server a run folder records for a
// batch must be one of the endpoint's replicas in the config (else nothing is sent, with the
// endpoint's key, to a URL the config does not name); a batch create that succeeded on the
// server but failed for the client (500, timeout) is found by its file before create is tried
// again, so one batch is paid for once; `covw batch export` writes no cached row for a unit
// still in an unfinished batch, as the run path does not.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchRecords, exportBatchRun, runBatchUnits } from '../../../../src/lib/engine/batch/batch-run.ts';
import { BATCH_DIR, BATCHES_FILE } from '../../../../src/lib/engine/batch/batch-store.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { cacheKey, ResponseCache } from '../../../../src/lib/engine/response-cache.ts';
import { RunSetupError } from '../../../../src/lib/engine/run-errors.ts';
import { defaultAnswer, startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';
import { replicaConfig } from '../../../support/replica-config.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
/** A server that is not in any config: counts what reaches it and answers nothing useful. */
let stranger: Server;
let strangerUrl: string;
let strangerHits = 0;
beforeAll(async () => {
	server = await startTestServer({ batchPolls: 2 });
	dir = tempDir('covw-batch-trust-');
	stranger = createServer((req, res) => {
		strangerHits++;
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end('{"error":{"message":"not here"}}');
	});
	await new Promise<void>((ok) => stranger.listen(0, '127.0.0.1', ok));
	strangerUrl = `http://127.0.0.1:${(stranger.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
	await server.close();
	await new Promise((ok) => stranger.close(ok));
	dir.remove();
});

const poll = { firstMs: 5, maxMs: 20 };
const own = (prefix: string, n: number, samples = 1, endpoint = 'local') => testUnits(n, samples, endpoint).map((u) => ({ ...u, id: `${prefix}-${u.id}` }));

/** Rewrites a run folder's batch records (what an edited or copied folder holds). */
function editRecords(runId: string, change: (r: Record<string, unknown>) => void): void {
	const path = join(dir.path, runId, BATCH_DIR, BATCHES_FILE);
	const data = JSON.parse(readFileSync(path, 'utf8')) as { batches: Record<string, unknown>[] };
	for (const r of data.batches) change(r);
	writeFileSync(path, JSON.stringify(data));
}

describe('the server a run folder records for a batch', () => {
	it('is refused, naming the run, the URL and the replicas, when the config does not name it; nothing goes there', async () => {
		const config = replicaConfig('farm', [server.url], { apiKey: 'sk-farm-key', maxAttempts: 2 }, 'farm.covw.config.json');
		const units = own('trust', 3, 1, 'farm');
		const stop = new AbortController();
		// Submitted, then stopped while polling: the record keeps the batch and its server.
		const first = await runBatchUnits({
			runId: 'batch-moved', runsDir: dir.path, config, units, params: { t: 'moved', batch: true }, signal: stop.signal,
			poll: { firstMs: 10_000, maxMs: 10_000 }, onBatch: (_r, phase) => phase === 'polled' && stop.abort()
		});
		expect(first.state).toBe('cancelled');
		editRecords('batch-moved', (r) => (r.server = strangerUrl));

		const before = server.requests.length;
		const batchesBefore = server.batches.length;
		const run = runBatchUnits({ runId: 'batch-moved', runsDir: dir.path, config, units, params: { t: 'moved', batch: true }, poll, onWarning: () => {} });
		await expect(run).rejects.toBeInstanceOf(RunSetupError);
		const message = await run.catch((e: Error) => e.message);
		expect(message).toContain('run "batch-moved"');
		expect(message).toContain(strangerUrl);
		expect(message).toContain(`not a replica of endpoint "farm" (${server.url})`);
		expect(message).toMatch(/put that URL back in the endpoint's replicas .* or run this folder with the config it was made with/);
		expect(strangerHits).toBe(0);
		expect(server.batches.length).toBe(batchesBefore);
		expect(server.requests.length).toBe(before);

		// Put back, the same call collects the batch without submitting anything again.
		editRecords('batch-moved', (r) => (r.server = server.url));
		const again = await runBatchUnits({ runId: 'batch-moved', runsDir: dir.path, config, units, params: { t: 'moved', batch: true }, poll, onWarning: () => {} });
		expect(again.manifest.counts).toMatchObject({ ok: 3, error: 0, pending: 0 });
		expect(server.batches.length).toBe(batchesBefore);
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
	});

	it('is refused for an uploaded but not created batch too (create, list: nothing sent)', async () => {
		const config = testConfig(server.url);
		const units = own('trust-up', 2);
		// The first create fails after creating; the run stops after its attempts with the record "uploaded"…
		server.failBatchCreates(5);
		const cfg = testConfig(server.url, { maxAttempts: 1 });
		await expect(runBatchUnits({ runId: 'batch-up', runsDir: dir.path, config: cfg, units, params: { t: 'up', batch: true }, poll, onWarning: () => {}, random: () => 0 })).rejects.toThrow(/batch API/);
		server.failBatchCreates(0);
		expect(batchRecords(dir.path, 'batch-up')[0]).toMatchObject({ status: 'uploaded', batch_id: null });
		// …and its folder now names a server the config does not.
		editRecords('batch-up', (r) => (r.server = strangerUrl));
		await expect(runBatchUnits({ runId: 'batch-up', runsDir: dir.path, config, units, params: { t: 'up', batch: true }, poll, onWarning: () => {} })).rejects.toThrow(
			/run "batch-up": batch #1 is recorded .* on server http:\/\/127\.0\.0\.1:\d+\/v1, which is not a replica of endpoint "local"/
		);
		expect(strangerHits).toBe(0);
	});
});

describe('a batch create that succeeded on the server but failed for the client', () => {
	it('after a 500: the retry finds the batch by its file and adopts it; one batch, each unit answered once', async () => {
		const config = testConfig(server.url, { maxAttempts: 3 });
		const units = own('create500', 4);
		const before = server.batches.length;
		server.failBatchCreates(1, 'server_error');
		const result = await runBatchUnits({ runId: 'batch-create-500', runsDir: dir.path, config, units, params: { t: 'c500', batch: true }, poll, random: () => 0 });
		expect(result.state).toBe('completed');
		expect(result.manifest.counts).toMatchObject({ total: 4, ok: 4, error: 0 });
		expect(server.batches.length).toBe(before + 1);
		expect(batchRecords(dir.path, 'batch-create-500')[0].batch_id).toBe(server.batches[before].id);
		for (const u of units) {
			expect(server.batchLinesFor(u.id)).toBe(1);
			expect(server.answersFor(u.id)).toBe(1);
		}
	});

	it('after a timeout: the same', async () => {
		const config = testConfig(server.url, { maxAttempts: 3, timeoutMs: 300 });
		const units = own('createhang', 3);
		const before = server.batches.length;
		server.failBatchCreates(1, 'hang');
		const result = await runBatchUnits({ runId: 'batch-create-hang', runsDir: dir.path, config, units, params: { t: 'chang', batch: true }, poll, random: () => 0 });
		expect(result.manifest.counts).toMatchObject({ total: 3, ok: 3, error: 0 });
		expect(server.batches.length).toBe(before + 1);
		expect(batchRecords(dir.path, 'batch-create-hang')[0].batch_id).toBe(server.batches[before].id);
	});
});

describe('covw batch export on a run with an unfinished batch', () => {
	it('writes no cached row for a unit still in that batch; the batch\'s answers are the rows', async () => {
		const config = testConfig(server.url);
		const units = own('inflight', 4);
		const stop = new AbortController();
		const first = await runBatchUnits({
			runId: 'batch-inflight', runsDir: dir.path, config, units, params: { t: 'inflight', batch: true }, signal: stop.signal,
			poll: { firstMs: 10_000, maxMs: 10_000 }, onBatch: (_r, phase) => phase === 'polled' && stop.abort()
		});
		expect(first.state).toBe('cancelled');
		const cache = new ResponseCache(join(dir.path, 'cache-inflight'));
		try {
			for (const u of units) {
				cache.put(cacheKey(config.endpoints.get(u.endpoint)!.baseURL, u.request, u.sample), { text: 'from the cache', tokens_in: 1, tokens_out: 1, finish_reason: 'stop', model: 'test-model' });
			}
			const exported = exportBatchRun({ runsDir: dir.path, runId: 'batch-inflight', config, cache });
			expect(exported.fromCache).toBe(0);
			expect(readRunLog(join(dir.path, 'batch-inflight', 'log.jsonl')).rows.filter((r) => r.cached)).toEqual([]);
		} finally {
			cache.close();
		}
		const done = await runBatchUnits({ runId: 'batch-inflight', runsDir: dir.path, config, units, params: { t: 'inflight', batch: true }, poll });
		expect(done.manifest.counts).toMatchObject({ ok: 4, cached: 0 });
		for (const u of units) expect(done.rows.get(u.id)!.response).toBe(defaultAnswer(u.request.messages[0].content));
	});
});
