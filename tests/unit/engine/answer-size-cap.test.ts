// One answer's size is capped (4 MB by default, `maxAnswerBytes` per endpoint in the config): a
// hostile or runaway endpoint's 50 MB answers must not fill the CLI's memory, the run log and the
// cache. An answer over the cap is an 'error' row saying so — never saved, never cut short into
// an answer — whether the endpoint declares its length or streams it in pieces.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { type Fault, startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 1 });
	dir = tempDir('covw-cap-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

function config(maxAnswerBytes?: number) {
	const endpoint = { baseURL: server.url, apiKeyEnv: 'COVW_CAP_KEY', concurrency: 2, timeoutMs: 10_000, maxAttempts: 3, models: { 'test-model': {} }, ...(maxAnswerBytes ? { maxAnswerBytes } : {}) };
	return parseEngineConfig(JSON.stringify({ endpoints: { local: endpoint } }), 'cap.covw.config.json', { COVW_CAP_KEY: 'sk-test-cap' });
}

async function runWith(fault: Fault | null, maxAnswerBytes?: number) {
	server.setFaults(fault ? () => fault : null);
	const cache = new ResponseCache(join(dir.path, `cache-${++n}`));
	try {
		const units = testUnits(2).map((u) => ({ ...u, id: `${u.id}-${n}` }));
		const result = await runUnits({ runId: `cap-${n}`, runsDir: dir.path, config: config(maxAnswerBytes), units, cache, compactTo: null, retry: { baseDelayMs: 5, maxDelayMs: 10 }, onWarning: () => {} });
		return { result, units, log: join(dir.path, `cap-${n}`, 'log.jsonl'), cache };
	} finally {
		server.setFaults(null);
	}
}

describe('the size of one answer is capped', () => {
	for (const chunked of [false, true]) {
		it(`a 5 MB answer${chunked ? ' with no content-length' : ''} is an error row, not saved, not retried`, async () => {
			const { result, units, log, cache } = await runWith({ kind: 'huge_answer', bytes: 5 * 1024 * 1024, chunked });
			for (const u of units) {
				const row = result.rows.get(u.id)!;
				expect(row).toMatchObject({ status: 'error', response: null, attempts: 1 });
				expect(row.error).toContain('answer larger than 4 MB: not saved');
				expect(server.requestsFor(u.id)).toBe(1);
			}
			expect(statSync(log).size).toBeLessThan(10_000);
			expect(readFileSync(log, 'utf8')).not.toContain('xxxxxxxxxx');
			expect(cache.dir && statSync(cache.dir, { throwIfNoEntry: false })).toBeFalsy();
		}, 60_000);
	}

	it('an endpoint sets its own cap (maxAnswerBytes); an answer within it is an answer', async () => {
		const over = await runWith({ kind: 'huge_answer', bytes: 100_000, chunked: true }, 65_536);
		for (const u of over.units) expect(over.result.rows.get(u.id)!.error).toContain('answer larger than 65536 bytes: not saved');
		const within = await runWith({ kind: 'huge_answer', bytes: 30_000 }, 65_536);
		for (const u of within.units) expect(within.result.rows.get(u.id)!).toMatchObject({ status: 'ok', response: 'x'.repeat(30_000) });
		const plain = await runWith(null, 65_536);
		for (const u of plain.units) expect(plain.result.rows.get(u.id)!.status).toBe('ok');
	}, 60_000);

	it('a cap below 1 kB is a config error naming the field', () => {
		expect(() => config(10)).toThrow(/maxAnswerBytes/);
	});
});
