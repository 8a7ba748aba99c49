// A session writes the replicas it drains to its manifest while it goes, not only when it ends:
// when a drain starts or ends (looked at every few seconds, one atomic manifest write per change),
// so the run page of a run another process (the CLI) writes says "replica … drained since …"
// during the run. The manifest that ends the session, resume and the manifest's other fields are
// as before. Then a real run against the TEST DOUBLE with one of three replicas on a dead port.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DrainedReplica } from '../../../src/lib/engine/replicas.ts';
import { replicasOf } from '../../../src/lib/engine/replicas.ts';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import type { ProjectRuns } from '../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../src/lib/server/runs/run-manager.ts';
import { runDetail } from '../../../src/lib/server/runs/run-pages.ts';
import { drainedSinceLines } from '../../../src/lib/workbench/runs/run-format.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';
import { downReplica, replicaConfig } from '../../support/replica-config.ts';

const dir = tempDir('covw-drained-live-');
afterAll(() => dir.remove());
afterEach(() => void vi.useRealTimers());

const onDisk = (runId: string) => JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8'));
const raw = (runId: string) => readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8');
const START = '2026-11-29T17:00:00.000Z';
const open = (runId: string) => RunSession.open({ runsDir: dir.path, runId, params: { t: 1 }, unitIds: ['u1', 'u2'], startedAt: new Date(START), onWarning: () => {} });
const drain = (extra: Partial<DrainedReplica> = {}): DrainedReplica => ({ endpoint: 'farm', url: 'http://b/v1', failures: 3, drains: 1, last_error: 'ECONNREFUSED', ...extra });

describe('RunSession.watchDrains', () => {
	it('writes the manifest as running when a drain starts or ends, not for a failure counted meanwhile, nothing after the end; the final manifest is as without it', () => {
		vi.useFakeTimers();
		const session = open('watched');
		const opened = onDisk('watched');
		expect(opened.replicas_drained).toBeUndefined();
		let now: DrainedReplica[] = [];
		session.watchDrains(() => now, 1000);

		// Nothing changed: nothing written.
		vi.advanceTimersByTime(3000);
		expect(onDisk('watched')).toEqual(opened);

		// A drain starts: written at the next look, the other fields as at the open.
		now = [drain({ drained_since: '2026-11-29T17:00:05.000Z' })];
		vi.advanceTimersByTime(999);
		expect(onDisk('watched').replicas_drained).toBeUndefined();
		vi.advanceTimersByTime(1);
		const live = onDisk('watched');
		expect(live.replicas_drained).toEqual([{ ...drain({ drained_since: '2026-11-29T17:00:05.000Z' }), session: START }]);
		const { replicas_drained: _, ...rest } = live;
		expect(rest).toEqual(opened);
		expect(Object.keys(live)).toEqual([...Object.keys(opened), 'replicas_drained']);

		// Only a failure counted while it is drained: no write.
		now = [drain({ failures: 5, drained_since: '2026-11-29T17:00:05.000Z' })];
		vi.advanceTimersByTime(5000);
		expect(onDisk('watched').replicas_drained[0].failures).toBe(3);

		// The drain ends: written again, without `drained_since`.
		now = [drain({ failures: 5 })];
		vi.advanceTimersByTime(1000);
		expect(onDisk('watched').replicas_drained).toEqual([{ ...drain({ failures: 5 }), session: START }]);
		expect(onDisk('watched').state).toBe('running');

		// The end: what the run sets (drainedSince without `now`); a drain still marked is not said "since" in it.
		session.drainedReplicas = [drain({ failures: 6, drained_since: '2026-11-29T17:00:09.000Z' })];
		const final = session.finish('completed');
		expect(final.replicas_drained).toEqual([{ ...drain({ failures: 6 }), session: START }]);
		const ended = raw('watched');
		now = [drain({ drains: 2, drained_since: '2026-11-29T17:00:20.000Z' })];
		vi.advanceTimersByTime(10_000);
		expect(raw('watched')).toBe(ended);

		// The same session without watching ends in the same manifest (but for its id and end time).
		const twin = open('unwatched');
		twin.drainedReplicas = [drain({ failures: 6 })];
		const plain = twin.finish('completed');
		expect({ ...final, run_id: 'x', finished_at: 'x' }).toEqual({ ...plain, run_id: 'x', finished_at: 'x' });
	});

	it('a resume of a session that died while drained keeps its drain, without `drained_since`', () => {
		mkdirSync(join(dir.path, 'died'), { recursive: true });
		const died = open('dying');
		died.watchDrains(() => [], 60_000);
		const manifest = { ...onDisk('dying'), run_id: 'died', replicas_drained: [{ ...drain({ drained_since: '2026-11-29T17:00:05.000Z' }), session: START }] };
		died.finish('completed');
		// What a killed CLI leaves: a running manifest with a live drain, no lock.
		writeFileSync(join(dir.path, 'died', 'manifest.json'), JSON.stringify(manifest, null, 2));
		const resumed = RunSession.open({ runsDir: dir.path, runId: 'died', params: { t: 1 }, unitIds: ['u1', 'u2'], startedAt: new Date('2026-11-29T18:00:00.000Z'), onWarning: () => {} });
		expect(onDisk('died').replicas_drained).toEqual([{ ...drain(), session: START }]);
		expect(onDisk('died').sessions).toEqual([START, '2026-11-29T18:00:00.000Z']);
		expect(resumed.finish('completed').replicas_drained).toEqual([{ ...drain(), session: START }]);
	});
});

describe('a run with one of three replicas on a dead port', () => {
	let a: TestServer;
	let b: TestServer;
	let down: string;
	beforeAll(async () => {
		a = await startTestServer({ latencyMs: 25 });
		b = await startTestServer({ latencyMs: 25 });
		down = await downReplica();
	});
	afterAll(async () => {
		await a.close();
		await b.close();
	});

	it('writes the drain to its manifest before the session ends, and the run page of a run another process writes says it', async () => {
		const config = replicaConfig('local', [a.url, b.url, down], { concurrency: 3 }, 'three.covw.config.json');
		replicasOf(config.endpoints.get('local')!, { windowMs: 10_000, failures: 2, cooldownMs: 60_000 });
		let ended = false;
		const run = runUnits({ runId: 'three-replicas', runsDir: dir.path, config, units: testUnits(60), params: { t: 'three' }, retry: { baseDelayMs: 5, maxDelayMs: 10 }, compactTo: null, drainWriteMs: 20 }).finally(() => (ended = true));

		// While the session goes: the manifest says the dead replica is drained, and since when.
		const live = await vi.waitFor(
			() => {
				const m = onDisk('three-replicas');
				expect(ended).toBe(false);
				expect(m.replicas_drained?.length).toBe(1);
				return m;
			},
			{ timeout: 5000, interval: 10 }
		);
		expect(live.state).toBe('running');
		expect(live.finished_at).toBeNull();
		const [d] = live.replicas_drained;
		expect(d).toMatchObject({ endpoint: 'local', url: down, drains: 1, session: live.sessions[0] });
		expect(d.failures).toBeGreaterThanOrEqual(2);
		expect(Date.parse(d.drained_since)).toBeGreaterThanOrEqual(Date.parse(live.started_at));

		// The run page's data: this server does not run it (the RunManager knows nothing of it).
		const runs = null as unknown as ProjectRuns;
		const detail = await runDetail(dir.path, 'three-replicas', new RunManager(runs), runs);
		expect(detail!.overview).toMatchObject({ state: 'running', live: false, interrupted: false });
		expect(detail!.drained_now).toEqual([expect.objectContaining({ url: down, endpoint: 'local', drained_since: d.drained_since })]);
		const [line] = drainedSinceLines(detail!.drained_now, d.drained_since);
		expect(line).toBe(
			`replica ${down} of endpoint "local" drained since ${d.drained_since.slice(11, 19)} UTC after ${detail!.drained_now[0].failures} failed attempt${detail!.drained_now[0].failures === 1 ? '' : 's'}; its requests go to the other replicas — last failure: ${detail!.drained_now[0].last_error}`
		);
		expect(ended).toBe(false);

		// The end: every unit answered, the drain kept without `drained_since`; the page says it drained nowhere now.
		const result = await run;
		expect(result.manifest.counts).toMatchObject({ ok: 60, error: 0 });
		expect(onDisk('three-replicas').replicas_drained).toEqual([{ endpoint: 'local', url: down, failures: expect.any(Number), drains: 1, last_error: expect.stringMatching(/ECONNREFUSED|Connection error/), session: live.sessions[0] }]);
		const after = await runDetail(dir.path, 'three-replicas', new RunManager(runs), runs);
		expect(after!.drained_now).toEqual([]);
	});
});
