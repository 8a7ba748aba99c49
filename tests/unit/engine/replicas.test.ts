// Replicas: one endpoint served by several servers. Requests go to the least outstanding
// replica; a replica failing with 5xx / connection errors is drained for a cool-down, then tried
// again on probation. Against two test-double instances: a healthy pair shares the load, and a
// faulty one is drained after a few failures while every unit still gets its answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drainedReplicaLines, ReplicaSet } from '../../../src/lib/engine/replicas.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';
import { downReplica, replicaConfig as replicaSetup } from '../../support/replica-config.ts';

const replicaConfig = (urls: string[], concurrency = 4) => replicaSetup('local', urls, { concurrency, maxAttempts: 4 });

describe('ReplicaSet', () => {
	it('sends to the least outstanding replica, ties to the one sent fewer', () => {
		const set = new ReplicaSet(['http://a', 'http://b', 'http://c']);
		const a = set.pick();
		const b = set.pick();
		const c = set.pick();
		expect([a.url, b.url, c.url]).toEqual(['http://a', 'http://b', 'http://c']);
		set.release(b, 'ok');
		expect(set.pick().url).toBe('http://b'); // the only one with nothing outstanding
		set.release(a, 'ok');
		set.release(c, 'ok');
		// a and c: 0 outstanding, each sent once; b has one outstanding.
		expect(set.pick().url).toBe('http://a');
	});

	it('drains a replica after failures within the window, brings it back after the cool-down, on probation', () => {
		let now = 1_000;
		const set = new ReplicaSet(['http://bad', 'http://good'], { windowMs: 1_000, failures: 3, cooldownMs: 5_000 }, () => now);
		const bad = set.replicas[0];
		// Two failures, then one outside the window: not drained.
		set.release((bad.outstanding++, bad), 'down');
		set.release((bad.outstanding++, bad), 'down');
		now += 1_500;
		set.release((bad.outstanding++, bad), 'down');
		expect(set.drained()).toEqual([]);
		// 4xx/429 ('other') do not count; two more failures inside the window drain it.
		set.release((bad.outstanding++, bad), 'other');
		set.release((bad.outstanding++, bad), 'down');
		set.release((bad.outstanding++, bad), 'down');
		expect(set.drained()).toEqual(['http://bad']);
		for (let i = 0; i < 5; i++) expect(set.pick().url).toBe('http://good');
		now += 5_001;
		expect(set.drained()).toEqual([]);
		// Probation: one failure drains it again at once.
		set.release((bad.outstanding++, bad), 'down');
		expect(set.drained()).toEqual(['http://bad']);
		// Drained again in a row: twice the cool-down.
		now += 5_001;
		expect(set.drained()).toEqual(['http://bad']);
		now += 5_000;
		set.release((bad.outstanding++, bad), 'ok');
		set.release((bad.outstanding++, bad), 'down');
		expect(set.drained()).toEqual([]);
	});

	it('probes a replica back from a drain with one request at a time, and keeps a unit\'s retry off the replica that failed it', () => {
		let now = 0;
		const set = new ReplicaSet(['http://a', 'http://b'], { windowMs: 1_000, failures: 1, cooldownMs: 100 }, () => now);
		const [a, b] = set.replicas;
		set.release((b.outstanding++, b), 'down'); // b drained until 100
		now = 200;
		a.outstanding = 5; // a busy: b (back, on probation) is the least loaded
		expect(set.pick()).toBe(b); // the probe
		expect(set.pick()).toBe(a); // not a second one while the probe is out
		// A unit that failed on b is retried on a even though b would be chosen otherwise.
		set.release(b, 'ok');
		expect(set.pick(new Set([b]))).toBe(a);
		// Every replica failed it: the ordinary choice.
		expect(set.pick(new Set([a, b]))).toBe(b);
		// Cool-downs double for a replica drained again and again, up to MAX_COOLDOWN_FACTOR×.
		const c = new ReplicaSet(['http://c', 'http://d'], { windowMs: 1_000, failures: 1, cooldownMs: 100 }, () => now);
		const waits: number[] = [];
		for (let i = 0; i < 6; i++) {
			c.release((c.replicas[0].outstanding++, c.replicas[0]), 'down');
			waits.push(c.replicas[0].drainedUntil - now);
			now = c.replicas[0].drainedUntil;
		}
		expect(waits).toEqual([100, 200, 400, 800, 800, 800]);
	});

	it('uses the replica back soonest when every one is drained', () => {
		let now = 0;
		const set = new ReplicaSet(['http://a', 'http://b'], { windowMs: 1_000, failures: 1, cooldownMs: 10_000 }, () => now);
		set.release(set.pick(), 'down'); // a drained until 10,000
		now = 2_000;
		set.release(set.pick(), 'down'); // b drained until 12,000
		expect(set.drained()).toEqual(['http://a', 'http://b']);
		expect(set.pick().url).toBe('http://a');
	});
});

describe('config: replicas', () => {
	it('takes replicas instead of baseURL, concurrency per replica, and shows them without credentials', () => {
		const config = replicaConfig(['http://u:p@127.0.0.1:1/v1/', 'http://127.0.0.1:2/v1'], 3);
		const e = config.endpoints.get('local')!;
		expect(e.replicas).toEqual(['http://u:p@127.0.0.1:1/v1', 'http://127.0.0.1:2/v1']);
		expect(e.baseURL).toBe('http://u:p@127.0.0.1:1/v1');
		expect(e.concurrency).toBe(6);
		expect(JSON.stringify(e.toJSON())).not.toContain('u:p@');
	});

	it('names the field of a bad replica list', () => {
		const bad = (local: Record<string, unknown>) => () => parseEngineConfig(JSON.stringify({ endpoints: { local: { models: { m: {} }, ...local } } }, null, 2), 'c.json', {});
		expect(bad({ replicas: [] })).toThrow(/endpoints\.local\.replicas: must be a list/);
		expect(bad({ replicas: ['http://a/v1', 'ftp://b'] })).toThrow(/endpoints\.local\.replicas\.1: must be an http/);
		expect(bad({ replicas: ['http://a/v1'], baseURL: 'http://a/v1' })).toThrow(/baseURL or replicas, not both/);
		expect(bad({ replicas: ['http://a/v1', 'http://a/v1/'] })).toThrow(/lists a URL twice/);
	});
});

describe('replicas against two test-double instances', () => {
	let a: TestServer;
	let b: TestServer;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		a = await startTestServer({ latencyMs: 15 });
		b = await startTestServer({ latencyMs: 15 });
		dir = tempDir('covw-replicas-');
	});
	afterAll(async () => {
		await a.close();
		await b.close();
		dir.remove();
	});

	it('shares the load of a healthy pair', async () => {
		const units = testUnits(60);
		const result = await runUnits({ runId: 'replicas-shared', runsDir: dir.path, config: replicaConfig([a.url, b.url], 4), units, params: { t: 'shared' }, compactTo: null });
		expect(result.manifest.counts).toMatchObject({ ok: 60, error: 0 });
		expect(a.requests.length + b.requests.length).toBe(60);
		expect(a.requests.length).toBeGreaterThanOrEqual(20);
		expect(b.requests.length).toBeGreaterThanOrEqual(20);
		expect(result.manifest.replicas_drained).toBeUndefined(); // none drained: nothing to report
	});

	it('reports a down replica (nothing listening) in the manifest: which, how often, why', async () => {
		const good = await startTestServer();
		const down = await downReplica();
		try {
			const units = testUnits(30);
			const result = await runUnits({
				runId: 'replicas-down', runsDir: dir.path, config: replicaConfig([down, good.url], 2), units, params: { t: 'down' },
				retry: { baseDelayMs: 1, maxDelayMs: 2 }, compactTo: null
			});
			expect(result.manifest.counts).toMatchObject({ ok: 30, error: 0 });
			const drained = result.manifest.replicas_drained!;
			expect(drained).toHaveLength(1);
			expect(drained[0]).toMatchObject({ endpoint: 'local', url: down });
			expect(drained[0].failures).toBeGreaterThanOrEqual(3);
			expect(drained[0].drains).toBeGreaterThanOrEqual(1);
			expect(drained[0].last_error).toMatch(/ECONNREFUSED|Connection error/);
			// The same in the manifest on disk (what covw runs show reads).
			const onDisk = JSON.parse(readFileSync(join(dir.path, 'replicas-down', 'manifest.json'), 'utf8'));
			expect(onDisk.replicas_drained).toEqual(drained);
			expect(drainedReplicaLines(drained)[0]).toMatch(new RegExp(`^replica ${down.replace(/[.]/g, '\\.')} of endpoint "local" drained \\d+× after \\d+ failed attempt\\(s\\) in the session started ${drained[0].session!.replace(/[.]/g, '\\.')} \\(last: `));
		} finally {
			await good.close();
		}
	});

	it('drains a failing replica: a few requests reach it, every unit is answered by the other', async () => {
		const bad = await startTestServer({ faults: () => ({ kind: 'server_error', status: 503 }) });
		const good = await startTestServer({ latencyMs: 10 });
		try {
			const units = testUnits(40, 2).filter((u) => u.sample === 1);
			const result = await runUnits({
				runId: 'replicas-drain', runsDir: dir.path, config: replicaConfig([bad.url, good.url], 2), units, params: { t: 'drain' },
				retry: { baseDelayMs: 1, maxDelayMs: 2 }, compactTo: null
			});
			expect(result.manifest.counts).toMatchObject({ ok: 40, error: 0 });
			for (const u of units) expect(good.answersFor(u.id)).toBe(1);
			// Drained after 3 failures (plus whatever was already in flight: at most the endpoint's limit).
			expect(bad.requests.length).toBeGreaterThanOrEqual(3);
			expect(bad.requests.length).toBeLessThanOrEqual(3 + 4);
			expect(good.requests.length).toBe(40);
		} finally {
			await bad.close();
			await good.close();
		}
	});
});
