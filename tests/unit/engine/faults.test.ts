// Every fault the test double (tests/support/openai-test-server.ts) can inject ends as a
// retry-then-success or an 'error' row with the reason — never a crash, never a verdict.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { UNIT_BUDGET_TIMEOUTS } from '../../../src/lib/engine/request-retry.ts';
import { type Fault, onAttempts, startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits, type EndpointOverrides } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 2 });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

// Fast retries so the suite stays quick; the delays' shape is tested in scheduling.test.ts.
const retry = { baseDelayMs: 5, maxDelayMs: 20 };

async function runWith(fault: Fault, attempts: number[], overrides: EndpointOverrides = {}, units = 3, maxRateLimitedAttempts = 30) {
	server.setFaults(onAttempts(attempts, fault));
	try {
		const us = testUnits(units).map((u) => ({ ...u, id: `${u.id}-${++n}` }));
		const result = await runUnits({ runId: `fault-${n}`, runsDir: dir.path, config: testConfig(server.url, overrides), units: us, retry: { ...retry, maxRateLimitedAttempts }, onWarning: () => {} });
		return { result, units: us };
	} finally {
		server.setFaults(null);
	}
}

const cases: [string, Fault, EndpointOverrides][] = [
	['429 with retry-after-ms', { kind: 'rate_limit', retryAfterMs: 30 }, {}],
	['500', { kind: 'server_error' }, {}],
	['503', { kind: 'server_error', status: 503 }, {}],
	['hang past the timeout', { kind: 'hang' }, { timeoutMs: 300 }],
	['malformed JSON', { kind: 'malformed_json' }, {}],
	['connection reset', { kind: 'reset' }, {}],
	['stream cut mid-way', { kind: 'stream_cut' }, { stream: true }],
	['hang while streaming', { kind: 'hang' }, { stream: true, timeoutMs: 300 }]
];

describe('injected faults', () => {
	for (const [name, fault, overrides] of cases) {
		it(`${name}: retried, then succeeds`, async () => {
			const { result, units } = await runWith(fault, [1, 2], overrides);
			expect(result.state).toBe('completed');
			for (const u of units) {
				expect(result.rows.get(u.id)).toMatchObject({ status: 'ok', attempts: 3, error: null });
				expect(server.requestsFor(u.id)).toBe(3);
				expect(server.answersFor(u.id)).toBe(1);
			}
		});

		it(`${name}: every attempt fails → an 'error' row with the reason`, async () => {
			// 429s have their own budget; give both budgets 3 here.
			const { result, units } = await runWith(fault, [1, 2, 3, 4, 5, 6, 7, 8], { ...overrides, maxAttempts: 3 }, 2, 3);
			expect(result.state).toBe('completed');
			for (const u of units) {
				const row = result.rows.get(u.id)!;
				expect(row.status).toBe('error');
				expect(row.response).toBeNull();
				expect(row.error).toMatch(/gave up after \d+ attempt/);
				expect(row.attempts).toBe(3);
				expect(server.requestsFor(u.id)).toBe(3);
			}
			expect(result.manifest.counts).toMatchObject({ ok: 0, error: 2, pending: 0 });
		});
	}

	it('an endpoint that answers too slowly every time: an "endpoint too slow" row once the attempts took 3 × the timeout', async () => {
		// Each attempt runs into the 300 ms timeout (as a 1 byte/s drip runs into 120 s); 6 attempts
		// are allowed, but the failed attempts together may take UNIT_BUDGET_TIMEOUTS × 300 ms.
		// (The run's GET /models check gets the same timeout: at 100 ms a loaded CI machine missed it.)
		const { result, units } = await runWith({ kind: 'hang' }, [1, 2, 3, 4, 5, 6], { timeoutMs: 300, maxAttempts: 6 }, 1);
		const row = result.rows.get(units[0].id)!;
		expect(row.status).toBe('error');
		expect(row.error).toMatch(/^endpoint too slow: 3 attempt\(s\) took [\d.]+ s together, the unit's budget is 0\.9 s \(3 × the 0\.3 s attempt timeout\); last: timeout: /);
		expect(row.attempts).toBe(UNIT_BUDGET_TIMEOUTS);
		expect(server.requestsFor(units[0].id)).toBe(UNIT_BUDGET_TIMEOUTS);
	});

	it('429 retries use their own budget, not maxAttempts', async () => {
		const { result, units } = await runWith({ kind: 'rate_limit', retryAfterMs: 5 }, [1, 2, 3, 4], { maxAttempts: 2 }, 1);
		expect(result.rows.get(units[0].id)).toMatchObject({ status: 'ok', attempts: 5 });
	});

	it('retry-after in seconds is honoured', async () => {
		const t0 = Date.now();
		const { result, units } = await runWith({ kind: 'rate_limit', retryAfterS: 1 }, [1], {}, 1);
		expect(result.rows.get(units[0].id)!.status).toBe('ok');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
	});

	it('a 4xx other than 429 is not retried', async () => {
		const { result, units } = await runWith({ kind: 'server_error', status: 400 }, [1, 2, 3], {}, 1);
		const row = result.rows.get(units[0].id)!;
		expect(row).toMatchObject({ status: 'error', attempts: 1 });
		expect(row.error).toMatch(/^rejected: not retryable: HTTP 400/);
		expect(server.requestsFor(units[0].id)).toBe(1);
	});

	it('error reasons name the failure kind', async () => {
		const kinds: [Fault, EndpointOverrides, RegExp][] = [
			[{ kind: 'hang' }, { timeoutMs: 300 }, /^timeout: /],
			[{ kind: 'malformed_json' }, {}, /^malformed: /],
			[{ kind: 'reset' }, {}, /^connection: /],
			[{ kind: 'server_error' }, {}, /^server: .*HTTP 500/]
		];
		for (const [fault, overrides, pattern] of kinds) {
			const { result, units } = await runWith(fault, [1, 2], { ...overrides, maxAttempts: 2 }, 1);
			expect(result.rows.get(units[0].id)!.error).toMatch(pattern);
		}
	});
});

describe('cancel', () => {
	it('aborts in-flight requests, leaves them without rows, and a resume finishes them', async () => {
		server.setLatency(200);
		try {
			const controller = new AbortController();
			const units = testUnits(8).map((u) => ({ ...u, id: `${u.id}-cancel` }));
			const config = testConfig(server.url, { concurrency: 2 });
			const runsDir = join(dir.path, 'cancel');
			setTimeout(() => controller.abort(), 300);
			const first = await runUnits({ runId: 'c', runsDir, config, units, signal: controller.signal, onWarning: () => {} });
			expect(first.state).toBe('cancelled');
			expect(first.rows.size).toBeGreaterThan(0);
			expect(first.rows.size).toBeLessThan(8);
			expect(first.manifest.counts.pending).toBe(8 - first.rows.size);
			const done = new Set(first.rows.keys());
			server.setLatency(2);
			const second = await runUnits({ runId: 'c', runsDir, config, units, onWarning: () => {} });
			expect(second.state).toBe('completed');
			expect(second.rows.size).toBe(8);
			for (const id of done) expect(server.answersFor(id)).toBe(1);
		} finally {
			server.setLatency(2);
		}
	});
});
