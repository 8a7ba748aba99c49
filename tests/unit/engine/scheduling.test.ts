// Adaptive concurrency (halve on 429, recover additively), backoff timing, the parse hook,
// and resume semantics ('error' rows are retried, finished rows are not).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveLimit, CancelledError } from '../../../src/lib/engine/adaptive-limit.ts';
import { backoffDelay } from '../../../src/lib/engine/backoff.ts';
import { retryAfterMs } from '../../../src/lib/engine/failure.ts';
import { runUnits, RunSetupError, type Progress } from '../../../src/lib/engine/run-units.ts';
import { onAttempts, startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

describe('AdaptiveLimit', () => {
	it('admits up to the limit and queues the rest in order', async () => {
		const limit = new AdaptiveLimit(2);
		const a = await limit.acquire();
		await limit.acquire();
		const order: string[] = [];
		const c = limit.acquire().then(() => order.push('c'));
		const d = limit.acquire().then(() => order.push('d'));
		await Promise.resolve();
		expect(limit.inFlight).toBe(2);
		limit.release(a, 'ok');
		await c;
		expect(order).toEqual(['c']);
		expect(limit.inFlight).toBe(2);
		void d;
	});

	it('halves once per window of 429s, then climbs back about one per window of successes', async () => {
		const limit = new AdaptiveLimit(8);
		const slots = await Promise.all(Array.from({ length: 8 }, () => limit.acquire()));
		// Eight 429s from requests sent in the same window count as one signal.
		for (const s of slots) limit.release(s, 'rate_limited');
		expect(limit.limit).toBe(4);
		const s2 = await limit.acquire();
		limit.release(s2, 'rate_limited'); // sent after the decrease: a new signal
		expect(limit.limit).toBe(2);
		// Additive increase: each success adds 1/limit. From 2 (computed in Python):
		// 2.5, 2.9, 3.245 → 3 after three successes; 3.553, 3.834, 4.095 → 4 after three more.
		for (let i = 0; i < 2; i++) limit.release(await limit.acquire(), 'ok');
		expect(limit.limit).toBe(2);
		limit.release(await limit.acquire(), 'ok');
		expect(limit.limit).toBe(3);
		for (let i = 0; i < 3; i++) limit.release(await limit.acquire(), 'ok');
		expect(limit.limit).toBe(4);
		for (let i = 0; i < 100; i++) limit.release(await limit.acquire(), 'ok');
		expect(limit.limit).toBe(8); // never above the configured maximum
	});

	it('never drops below 1, and pauses new requests for retry-after', async () => {
		const limit = new AdaptiveLimit(1);
		limit.release(await limit.acquire(), 'rate_limited', 120);
		expect(limit.limit).toBe(1);
		const t0 = Date.now();
		await limit.acquire();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
	});

	it('rejects waiters when cancelled', async () => {
		const limit = new AdaptiveLimit(1);
		await limit.acquire();
		const c = new AbortController();
		const waiting = limit.acquire(c.signal);
		c.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
	});
});

describe('backoff and retry-after', () => {
	it('doubles per retry with equal jitter, capped', () => {
		const p = { baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(1, p, () => 0)).toBe(50);
		expect(backoffDelay(1, p, () => 1)).toBe(100);
		expect(backoffDelay(3, p, () => 0.5)).toBe(300); // ceiling 400: 200 + 0.5·200
		expect(backoffDelay(10, p, () => 1)).toBe(1000);
	});

	it('reads retry-after-ms before retry-after (seconds or an HTTP date)', () => {
		expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
		expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
		expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:05 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
		expect(retryAfterMs(new Headers({}))).toBeNull();
	});
});

describe('runs', () => {
	let server: TestServer;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		server = await startTestServer({ latencyMs: 20, rules: [{ match: 'adds 1 ', reply: '???' }] });
		dir = tempDir();
	});
	afterAll(async () => {
		await server.close();
		dir.remove();
	});

	it('lowers an endpoint’s concurrency under 429s and still finishes every unit', async () => {
		server.setFaults((ctx) => (ctx.requestNo <= 12 ? { kind: 'rate_limit', retryAfterMs: 20 } : null));
		const limits: number[] = [];
		const units = testUnits(20).map((u) => ({ ...u, id: `${u.id}-429` }));
		const result = await runUnits({
			runId: 'adaptive', runsDir: dir.path, config: testConfig(server.url, { concurrency: 8 }), units,
			retry: { baseDelayMs: 5, maxDelayMs: 20 },
			onProgress: (p: Progress) => limits.push(p.endpoints[0].limit)
		});
		server.setFaults(null);
		expect(result.manifest.counts).toMatchObject({ ok: 20, error: 0 });
		expect(Math.min(...limits)).toBeLessThan(8);
	});

	it('marks answers a parse hook cannot read as unparsed, with its extra columns', async () => {
		const units = testUnits(3).map((u) => ({ ...u, id: `${u.id}-parse` }));
		const result = await runUnits({
			runId: 'parse', runsDir: dir.path, config: testConfig(server.url), units,
			parse: (text) => (text === '???' ? { status: 'unparsed' } : { status: 'ok', fields: { vulnerable: text.length % 2 === 0 } })
		});
		const rows = units.map((u) => result.rows.get(u.id)!);
		expect(rows.map((r) => r.status)).toEqual(['ok', 'unparsed', 'ok']);
		expect(typeof rows[0].meta.vulnerable).toBe('boolean');
		expect(result.manifest.counts).toMatchObject({ ok: 2, unparsed: 1 });
	});

	it('resume retries error rows and skips finished ones', async () => {
		const units = testUnits(4).map((u) => ({ ...u, id: `${u.id}-resume` }));
		const config = testConfig(server.url, { maxAttempts: 1 });
		server.setFaults((ctx) => (ctx.unit === units[0].id ? { kind: 'server_error' } : null));
		const first = await runUnits({ runId: 'resume', runsDir: dir.path, config, units });
		server.setFaults(null);
		expect(first.rows.get(units[0].id)!.status).toBe('error');
		const second = await runUnits({ runId: 'resume', runsDir: dir.path, config, units });
		expect(second.requests).toBe(1);
		expect(second.rows.get(units[0].id)!.status).toBe('ok');
		expect(units.map((u) => server.answersFor(u.id))).toEqual([1, 1, 1, 1]);
		expect(second.manifest.counts).toMatchObject({ ok: 4, error: 0 });
	});

	it('refuses to resume a run id with different params, and bad units', async () => {
		const units = testUnits(1).map((u) => ({ ...u, id: `${u.id}-params` }));
		await runUnits({ runId: 'p', runsDir: dir.path, config: testConfig(server.url), units, params: { a: 1 } });
		await expect(runUnits({ runId: 'p', runsDir: dir.path, config: testConfig(server.url), units, params: { a: 2 } })).rejects.toThrow(/exists with different params/);
		await expect(runUnits({ runId: '../x', runsDir: dir.path, config: testConfig(server.url), units })).rejects.toThrow(RunSetupError);
		await expect(runUnits({ runId: 'q', runsDir: dir.path, config: testConfig(server.url), units: [units[0], units[0]] })).rejects.toThrow(/duplicate unit id/);
		await expect(runUnits({ runId: 'q', runsDir: dir.path, config: testConfig(server.url), units: [{ ...units[0], meta: { status: 'x' } }] })).rejects.toThrow(/meta key "status"/);
		await expect(runUnits({ runId: 'q', runsDir: join(dir.path), config: testConfig(server.url), units: [{ ...units[0], endpoint: 'nope' }] })).rejects.toThrow(/endpoint "nope"/);
	});

	it('computes cost from configured prices on uncached tokens', async () => {
		const units = testUnits(2).map((u) => ({ ...u, id: `${u.id}-cost` }));
		const result = await runUnits({ runId: 'cost', runsDir: dir.path, config: testConfig(server.url, { prices: { inputPer1M: 3, outputPer1M: 15 } }), units });
		const t = result.manifest.tokens;
		expect(t.in).toBeGreaterThan(0);
		expect(result.manifest.cost_usd).toBeCloseTo((t.in * 3 + t.out * 15) / 1e6, 12);
	});
});
