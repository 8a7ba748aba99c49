// Batch runs on an endpoint with replicas, and a Batch API that stops answering: a batch goes to
// the first replica that answers (the down one is skipped at once, warned of and reported in the
// manifest), every later call for it goes to that replica; a Batch API that does not answer
// stops the run with a BatchApiError, keeps the recorded batch id, and the same call resumes it
// without submitting anything again.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchRecords, runBatchUnits } from '../../../../src/lib/engine/batch/batch-run.ts';
import { EndpointUnreachableError } from '../../../../src/lib/engine/model-listing.ts';
import { BatchApiError } from '../../../../src/lib/engine/run-errors.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';
import { downReplica, replicaConfig } from '../../../support/replica-config.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ batchPolls: 2 });
	dir = tempDir('covw-batch-replicas-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

const poll = { firstMs: 5, maxMs: 20 };


describe('batch runs and replicas', () => {
	it('sends the batch to a replica that answers, says which, and reports the down one', async () => {
		const down = await downReplica();
		const config = replicaConfig('farm2', [down, server.url], {}, 'farm.covw.config.json');
		const units = testUnits(5, 1, 'farm2').map((u) => ({ ...u, id: `farm-${u.id}` }));
		const warnings: string[] = [];
		const before = server.batches.length;
		const result = await runBatchUnits({ runId: 'batch-farm', runsDir: dir.path, config, units, params: { t: 'farm' }, poll, onWarning: (m) => warnings.push(m) });
		expect(result.state).toBe('completed');
		expect(result.manifest.counts).toMatchObject({ ok: 5, error: 0, pending: 0 });
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
		expect(server.batches.length).toBe(before + 1);
		const [record] = batchRecords(dir.path, 'batch-farm');
		expect(record.server).toBe(server.url);
		expect(warnings.some((w) => w.includes(`replica ${down} of endpoint "farm2" does not answer`))).toBe(true);
		expect(result.manifest.replicas_drained).toEqual([expect.objectContaining({ endpoint: 'farm2', url: down, failures: 1 })]);
		expect(result.manifest.replicas_drained![0].last_error).toMatch(/ECONNREFUSED|Connection error/);
	});

	it('refuses a new batch run when no replica answers, before its folder is made (the endpoint probe)', async () => {
		const a = await downReplica();
		const b = await downReplica();
		const config = replicaConfig('farm2', [a, b], { maxAttempts: 2 }, 'farm.covw.config.json');
		const run = runBatchUnits({ runId: 'batch-nofarm', runsDir: dir.path, config, units: testUnits(2, 1, 'farm2'), params: { t: 'nofarm' }, poll, onWarning: () => {}, random: () => 0 });
		await expect(run).rejects.toBeInstanceOf(EndpointUnreachableError);
		const message = await run.catch((e: Error) => e.message);
		expect(message).toContain('endpoint "farm2" does not answer (farm.covw.config.json)');
		expect(message).toContain(a);
		expect(message).toContain(b);
		expect(existsSync(join(dir.path, 'batch-nofarm'))).toBe(false);
	});

	it('a Batch API that stops answering mid-poll stops the run, keeps the batch id, and the same call resumes without resubmitting', async () => {
		const config = testConfig(server.url, { maxAttempts: 2 });
		// Ids of their own: the double counts uploaded lines per custom_id across every test.
		const units = testUnits(6).map((u) => ({ ...u, id: `gone-${u.id}` }));
		const before = server.batches.length;
		const run = runBatchUnits({
			runId: 'batch-gone', runsDir: dir.path, config, units, params: { t: 'gone' }, poll, random: () => 0, onWarning: () => {},
			onBatch: (_r, phase) => phase === 'submitted' && server.setDown(true)
		});
		try {
			await expect(run).rejects.toBeInstanceOf(BatchApiError);
		} finally {
			server.setDown(false);
		}
		expect(await run.catch((e: Error) => e.message)).toMatch(/^local: batch API: .* \(after 2 attempt\(s\)\); the batch record is kept: run the same command again to resume$/);
		const [record] = batchRecords(dir.path, 'batch-gone');
		expect(record.batch_id).toBe(server.batches[server.batches.length - 1].id);
		expect(JSON.parse(readFileSync(join(dir.path, 'batch-gone', 'manifest.json'), 'utf8')).state).toBe('failed');

		const again = await runBatchUnits({ runId: 'batch-gone', runsDir: dir.path, config, units, params: { t: 'gone' }, poll, onWarning: () => {} });
		expect(again.state).toBe('completed');
		expect(again.manifest.counts).toMatchObject({ ok: 6, error: 0, pending: 0 });
		expect(server.batches.length).toBe(before + 1);
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
	});
});
