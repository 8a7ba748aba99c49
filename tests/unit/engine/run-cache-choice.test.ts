// A run made without the response cache (--no-cache: a null cache) keeps off it in its later
// sessions: the manifest records `response_cache: false`, and a resume given a cache neither
// reads another run's answer from it nor writes its own into it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	process.env.COVW_TEST_KEY = 'sk-test-cache-choice';
	server = await startTestServer();
	dir = tempDir('covw-cache-choice-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

describe('a run\'s cache choice', () => {
	it('holds for its resume: no answer from the cache, none into it', async () => {
		const config = testConfig(server.url);
		const units = testUnits(4);
		const first = await runUnits({ runId: 'no-cache-run', runsDir: dir.path, config, units: units.slice(0, 2), params: { t: 'nc' }, cache: null, compactTo: null });
		expect(first.manifest.response_cache).toBe(false);
		const cache = new ResponseCache(join(dir.path, 'cache'));
		try {
			// Another run's answer to unit 3's request is in the cache.
			const u = units[2];
			cache.put(cacheKey(config.endpoints.get(u.endpoint)!.baseURL, u.request, u.sample), { text: 'from elsewhere', tokens_in: 1, tokens_out: 1, finish_reason: 'stop', model: 'test-model' });
			const sent = server.requests.length;
			const second = await runUnits({ runId: 'no-cache-run', runsDir: dir.path, config, units, params: { t: 'nc' }, cache, compactTo: null });
			expect(second.manifest.counts).toMatchObject({ ok: 4, cached: 0, pending: 0 });
			expect(server.requests.length - sent).toBe(2);
			expect(second.rows.get(u.id)!.response).not.toBe('from elsewhere');
			expect(cache.get(cacheKey(config.endpoints.get(units[3].endpoint)!.baseURL, units[3].request, units[3].sample))).toBeNull();
			expect(JSON.parse(readFileSync(join(dir.path, 'no-cache-run', 'manifest.json'), 'utf8')).response_cache).toBe(false);
			// A run made with the cache uses it, and says nothing of it in its manifest.
			const other = await runUnits({ runId: 'cache-run', runsDir: dir.path, config, units: [u], params: { t: 'c' }, cache, compactTo: null });
			expect(other.manifest.counts).toMatchObject({ ok: 1, cached: 1 });
			expect('response_cache' in other.manifest).toBe(false);
		} finally {
			cache.close();
		}
	});
});
