// A replica that stays dead never stalls a run: with [D1 up, D2 down for good], a fresh run and
// a resume finish every unit on D1 — also when D2's drain runs out again and again during the
// run (a short cool-down here stands for the 30 s of a long run): a unit whose attempt failed on
// D2 is retried on D1, and D2 is re-probed by one request at a time, never by the units' retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../../../src/cli/progress.ts';
import { replicasOf } from '../../../src/lib/engine/replicas.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';
import { downReplica, replicaConfig } from '../../support/replica-config.ts';

function deadPairConfig(up: string, down: string) {
	const config = replicaConfig('local', [up, down], { concurrency: 4 }, 'dead.covw.config.json');
	// A cool-down far shorter than the retries' backoff: the drain runs out before every retry.
	replicasOf(config.endpoints.get('local')!, { windowMs: 10_000, failures: 2, cooldownMs: 5 });
	return config;
}

describe('a replica down for good', () => {
	let up: TestServer;
	let down: string;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		up = await startTestServer({ latencyMs: 2 });
		down = await downReplica();
		dir = tempDir('covw-replica-dead-');
	});
	afterAll(async () => {
		await up.close();
		dir.remove();
	});

	it('a fresh run and its resume finish on the live replica, the dead one drained', async () => {
		const units = testUnits(120);
		const retry = { baseDelayMs: 20, maxDelayMs: 40 };
		const first = await runUnits({ runId: 'dead-replica', runsDir: dir.path, config: deadPairConfig(up.url, down), units: units.slice(0, 60), params: { t: 'dead' }, retry, compactTo: null });
		expect(first.manifest.counts).toMatchObject({ ok: 60, error: 0 });
		expect(first.manifest.replicas_drained?.[0]).toMatchObject({ url: down });
		// The resume: a new process (a new config, so a fresh replica set) with the rest to do.
		const lines: string[] = [];
		const second = await runUnits({
			runId: 'dead-replica', runsDir: dir.path, config: deadPairConfig(up.url, down), units, params: { t: 'dead' }, retry, compactTo: null,
			onProgress: (p) => lines.push(progressLine(p, p.done, 1))
		});
		expect(second.manifest.counts).toMatchObject({ ok: 120, error: 0, pending: 0 });
		expect(second.manifest.state).toBe('completed');
		for (const u of units) expect(up.answersFor(u.id)).toBe(1);
		// The drain is on the progress line while it lasts, not only in the summary at the end.
		expect(lines.some((l) => l.endsWith(`| drained ${down}`))).toBe(true);
	});
});
