// A server's retry-after is bounded (MAX_RETRY_AFTER_MS) and counts in the unit's time budget:
// a 429 saying "retry-after: 100000" must not pause a run for 28 hours, and an endpoint that
// keeps asking to wait ends the unit with an 'endpoint too slow' row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/lib/engine/adaptive-limit.ts';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../src/lib/engine/failure.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

describe('retry-after is bounded', () => {
	it('a delay past the bound, in any form, is taken as the bound', () => {
		expect(MAX_RETRY_AFTER_MS).toBe(60_000);
		expect(retryAfterMs(new Headers({ 'retry-after': '100000' }))).toBe(MAX_RETRY_AFTER_MS);
		expect(retryAfterMs(new Headers({ 'retry-after-ms': '1e12' }))).toBe(MAX_RETRY_AFTER_MS);
		const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
		expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }), now)).toBe(MAX_RETRY_AFTER_MS);
		expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
	});

	it('the endpoint-wide pause after a 429 is bounded too', async () => {
		let now = 1_000_000;
		const limit = new AdaptiveLimit(2, 1, () => now);
		limit.release(await limit.acquire(), 'rate_limited', 100_000_000);
		expect(limit.pausedForMs).toBe(MAX_RETRY_AFTER_MS);
		now += MAX_RETRY_AFTER_MS;
		expect(limit.pausedForMs).toBe(0);
	});
});

describe('waits the server asks for count in the unit budget', () => {
	let server: TestServer;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		server = await startTestServer({ latencyMs: 1 });
		dir = tempDir();
	});
	afterAll(async () => {
		await server.close();
		dir.remove();
	});

	it('429s that each ask for a wait end the unit once the waits pass 3 × the attempt timeout', async () => {
		// Budget 3 × 100 ms; every answer is a 429 asking for 60 ms. Without counting the waits the
		// unit would go on for all 30 rate-limited attempts.
		server.setFaults(() => ({ kind: 'rate_limit', retryAfterMs: 60 }));
		try {
			const units = testUnits(1).map((u) => ({ ...u, id: `${u.id}-budget` }));
			const result = await runUnits({ runId: 'retry-after-budget', runsDir: dir.path, config: testConfig(server.url, { timeoutMs: 100 }), units, retry: { baseDelayMs: 5, maxDelayMs: 20, maxRateLimitedAttempts: 30 }, onWarning: () => {} });
			const row = result.rows.get(units[0].id)!;
			expect(row.status).toBe('error');
			expect(row.error).toMatch(/^endpoint too slow: \d attempt\(s\) took [\d.]+ s together and the server asked to wait [\d.]+ s between them, the unit's budget is 0\.3 s \(3 × the 0\.1 s attempt timeout\); last: rate_limited: HTTP 429/);
			expect(row.attempts).toBeLessThanOrEqual(5);
			expect(server.requestsFor(units[0].id)).toBe(row.attempts);
		} finally {
			server.setFaults(null);
		}
	});
});
