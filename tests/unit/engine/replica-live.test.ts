// A run's live progress says which replicas are drained right now and what the engine knows of
// each (how long, after how many failed attempts, the last failure) — the workbench's run page
// and run cell show it while the run goes. The URL loses its credentials and query string, and
// the failure is redacted. Then a real run against the TEST DOUBLE with one replica on a dead port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/lib/engine/adaptive-limit.ts';
import { Redactor } from '../../../src/lib/engine/redact.ts';
import { ReplicaSet, replicasOf, withoutUserinfo } from '../../../src/lib/engine/replicas.ts';
import { ProgressTally, type Progress } from '../../../src/lib/engine/run-progress.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { liveDrainedLines } from '../../../src/lib/workbench/runs/run-format.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';
import { downReplica, replicaConfig } from '../../support/replica-config.ts';

describe('drained replicas in the live progress', () => {
	it('gives each drained replica with its drain, its failures and its redacted last failure; URL without credentials or query', () => {
		let now = 1_000;
		const secretUrl = 'http://alice:pw-9876@10.0.0.7:8000/v1?api-version=2024&key=sk-live-abcdef123456';
		const set = new ReplicaSet(['http://10.0.0.6:8000/v1', secretUrl], { windowMs: 30_000, failures: 3, cooldownMs: 30_000 }, () => now);
		const bad = set.replicas[1];
		for (let i = 0; i < 3; i++) {
			bad.outstanding++;
			set.release(bad, 'down', `Connection error. (key sk-live-abcdef123456) — cannot fetch ${secretUrl}`);
		}
		now += 12_000;
		const redactor = new Redactor(['sk-live-abcdef123456']);
		const tally = new ProgressTally('r', 10, new Map([['farm', new AdaptiveLimit(4)]]), new Map([['farm', set]]), (t) => redactor.text(t));
		const [endpoint] = tally.snapshot().endpoints;
		expect(endpoint.drained_replicas).toEqual([{ url: 'http://10.0.0.7:8000/v1', for_ms: 30_000, back_in_ms: 18_000, failures: 3, drains: 1, last_error: expect.stringMatching(/^Connection error\. \(key (?!.*abcdef).* — cannot fetch http:\/\/10\.0\.0\.7:8000\/v1\?/) }]);
		expect(JSON.stringify(endpoint)).not.toMatch(/alice|pw-9876|abcdef123456/);
		expect(liveDrainedLines(tally.snapshot().endpoints)).toEqual([
			`replica http://10.0.0.7:8000/v1 of endpoint "farm" drained for 30 s (next probe in 18 s) after 3 failed attempts; its requests go to the other replicas — last failure: ${endpoint.drained_replicas![0].last_error}`
		]);
		// Back from the drain: no longer listed.
		now += 18_000;
		expect(tally.snapshot().endpoints[0].drained_replicas).toEqual([]);
		expect(liveDrainedLines(tally.snapshot().endpoints)).toEqual([]);
	});

	it('without a redactor the last failure is not given; one server has no replica list', () => {
		let now = 0;
		const set = new ReplicaSet(['http://a/v1', 'http://b/v1'], { windowMs: 1000, failures: 1, cooldownMs: 500 }, () => now);
		set.release((set.replicas[0].outstanding++, set.replicas[0]), 'down', 'boom');
		const tally = new ProgressTally('r', 1, new Map([['x', new AdaptiveLimit(1)], ['y', new AdaptiveLimit(1)]]), new Map([['x', set], ['y', null]]));
		const [x, y] = tally.snapshot().endpoints;
		expect(x.drained_replicas).toEqual([{ url: 'http://a/v1', for_ms: 500, back_in_ms: 500, failures: 1, drains: 1, last_error: null }]);
		expect(y.drained_replicas).toBeUndefined();
		// An engine that sent only the URLs: the replica is still named.
		expect(liveDrainedLines([{ name: 'x', drained: ['http://a/v1'] }])).toEqual(['replica http://a/v1 of endpoint "x" drained; its requests go to the other replicas']);
	});
});

describe('a run with one replica on a dead port', () => {
	let up: TestServer;
	let down: string;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		up = await startTestServer({ latencyMs: 2 });
		down = await downReplica();
		dir = tempDir('covw-replica-live-');
	});
	afterAll(async () => {
		await up.close();
		dir.remove();
	});

	it('reports the dead replica drained in its progress events while it runs', async () => {
		const config = replicaConfig('local', [up.url, down], { concurrency: 2 }, 'live.covw.config.json');
		replicasOf(config.endpoints.get('local')!, { windowMs: 10_000, failures: 2, cooldownMs: 30_000 });
		const events: Progress[] = [];
		const result = await runUnits({ runId: 'live-drain', runsDir: dir.path, config, units: testUnits(30), params: { t: 'live' }, retry: { baseDelayMs: 5, maxDelayMs: 10 }, compactTo: null, onProgress: (p) => events.push(p) });
		expect(result.manifest.counts).toMatchObject({ ok: 30, error: 0 });
		const seen = events.flatMap((e) => e.endpoints.flatMap((x) => x.drained_replicas ?? []));
		expect(seen.length).toBeGreaterThan(0);
		expect(seen[0]).toMatchObject({ url: down, for_ms: 30_000, drains: 1 });
		expect(seen[0].failures).toBeGreaterThanOrEqual(2);
		expect(seen[0].last_error).toMatch(/ECONNREFUSED|Connection error/);
	});
});

describe('withoutUserinfo', () => {
	it('drops the credentials of every URL in a failure text, nothing else', () => {
		expect(withoutUserinfo('Request cannot be constructed from a URL that includes credentials: http://user:pw@127.0.0.1:9/v1?a=1 and https://tok@h/x')).toBe(
			'Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:9/v1?a=1 and https://h/x'
		);
		expect(withoutUserinfo('mail me at a@b.org; http://h/v1')).toBe('mail me at a@b.org; http://h/v1');
	});

	it('drops a password with a raw @ in it whole (user:p@ss@host), not only up to its first @', () => {
		expect(withoutUserinfo('fetch failed: http://user:p@ss@10.0.0.1:8000/v1 refused')).toBe('fetch failed: http://10.0.0.1:8000/v1 refused');
		expect(withoutUserinfo('http://u:a@b@c@host')).toBe('http://host');
	});
});
