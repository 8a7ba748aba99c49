// A run against the local test double (tests/support/openai-test-server.ts) completes with one
// correct row per unit; samples are distinct calls; the cache makes a re-run send nothing.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { defaultAnswer, startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 5, rules: [{ match: 'adds 3 ', reply: 'def add3(x): return x + 3' }] });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

describe('a run against the test server', () => {
	it('completes with one correct row per unit, logged and compacted', async () => {
		const units = testUnits(6);
		const result = await runUnits({ runId: 'basic', runsDir: dir.path, config: testConfig(server.url), units, params: { t: 1 } });
		expect(result.state).toBe('completed');
		expect(result.rows.size).toBe(6);
		for (const [i, u] of units.entries()) {
			const row = result.rows.get(u.id)!;
			const expected = i === 3 ? 'def add3(x): return x + 3' : defaultAnswer(u.request.messages[0].content);
			expect(row).toMatchObject({ status: 'ok', response: expected, cached: false, attempts: 1, error: null, sample: 0 });
			expect(row.meta).toEqual({ item_id: `item-${i}`, model: 'test-model' });
			// The double counts ceil(chars/4) tokens.
			expect(row.tokens_in).toBe(Math.ceil(u.request.messages[0].content.length / 4));
			expect(row.tokens_out).toBe(Math.ceil(expected.length / 4));
			expect(server.requestsFor(u.id)).toBe(1);
		}
		const log = readRunLog(join(dir.path, 'basic', 'log.jsonl'));
		expect(log.rows.map((r) => r.unit_id).sort()).toEqual(units.map((u) => u.id).sort());
		expect(log.warnings).toEqual([]);
		const manifest = JSON.parse(readFileSync(join(dir.path, 'basic', 'manifest.json'), 'utf8'));
		expect(manifest).toMatchObject({ run_id: 'basic', state: 'completed', counts: { total: 6, ok: 6, error: 0, pending: 0 } });
		expect(manifest.finished_at).not.toBeNull();
		const table = tableFromIPC(readFileSync(join(dir.path, 'basic', 'generations.arrow')));
		expect(table.numRows).toBe(6);
		expect(table.getChild('item_id')!.toArray()).toContain('item-3');
		expect(existsSync(join(dir.path, 'basic', 'lock'))).toBe(false);
	});

	it('sends two samples of one prompt as two requests', async () => {
		const units = testUnits(2, 2);
		const before = server.requests.length;
		const result = await runUnits({ runId: 'samples', runsDir: dir.path, config: testConfig(server.url), units, cache: new ResponseCache(join(dir.path, 'cache-s')) });
		expect(result.rows.size).toBe(4);
		expect(server.requests.length - before).toBe(4);
		const samples = server.requests.slice(before).map((r) => `${r.unit}:${r.sample}`);
		expect(new Set(samples).size).toBe(4);
		expect([...result.rows.values()].every((r) => !r.cached)).toBe(true);
	});

	it('re-run from the cache sends nothing and marks rows cached', async () => {
		const cache = new ResponseCache(join(dir.path, 'cache-c'));
		const units = testUnits(5, 2);
		const first = await runUnits({ runId: 'c1', runsDir: dir.path, config: testConfig(server.url), units, cache });
		const before = server.requests.length;
		const second = await runUnits({ runId: 'c2', runsDir: dir.path, config: testConfig(server.url), units, cache });
		expect(server.requests.length).toBe(before);
		expect(second.requests).toBe(0);
		for (const u of units) {
			expect(second.rows.get(u.id)).toMatchObject({ status: 'ok', cached: true, attempts: 0, response: first.rows.get(u.id)!.response });
		}
		expect(second.manifest.counts.cached).toBe(10);
		expect(second.manifest.tokens.in).toBe(0);
		expect(second.manifest.tokens.cached_in).toBe(first.manifest.tokens.in);
	});

	it('streams answers (SSE) into the same rows', async () => {
		const units = testUnits(3);
		const result = await runUnits({ runId: 'stream', runsDir: dir.path, config: testConfig(server.url, { stream: true }), units });
		for (const u of units) {
			expect(result.rows.get(u.id)).toMatchObject({ status: 'ok', response: defaultAnswer(u.request.messages[0].content) });
			expect(result.rows.get(u.id)!.tokens_out).toBeGreaterThan(0);
		}
		expect(server.requests.slice(-3).every((r) => r.stream)).toBe(true);
	});
});
