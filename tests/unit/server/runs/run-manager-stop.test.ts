// Stop on a page-started run is graceful, as Ctrl-C in the CLI: the first cancel starts nothing
// new and saves the requests in flight (the run ends cancelled), a second abandons them. The
// manager runs the real engine against the local TEST DOUBLE (tests/support/openai-test-server.ts,
// 500 ms per answer); the project (plan, start) is a stand-in that runs 20 units.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlan } from '../../../../src/lib/notebook/executor.ts';
import type { RunSpec } from '../../../../src/lib/notebook/run-spec.ts';
import { runUnits } from '../../../../src/lib/engine/run-units.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager, type RunEvent } from '../../../../src/lib/server/runs/run-manager.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

let server: TestServer;
let work: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 500 });
	work = tempDir('covw-stop-');
});
afterAll(async () => {
	await server.close();
	work.remove();
});

/** A project whose one run (id = the spec's model) is 20 units at concurrency 8. */
function project(): ProjectRuns {
	const units = testUnits(20);
	return {
		plan: async (spec: RunSpec) => ({ generationRunId: (spec as unknown as { model: string }).model }) as unknown as RunPlan,
		start: async (spec: RunSpec, o: { signal: AbortSignal }) =>
			runUnits({ runId: (spec as unknown as { model: string }).model, runsDir: work.path, config: testConfig(server.url, { concurrency: 8, timeoutMs: 10_000 }), units, signal: o.signal, compactTo: null, onWarning: () => {} })
	} as unknown as ProjectRuns;
}

const rows = (runId: string) => readFileSync(join(work.path, runId, 'log.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;

async function startWatched(manager: RunManager, runId: string) {
	const events: RunEvent[] = [];
	manager.subscribe(runId, (e) => events.push(e));
	const before = server.requests.length;
	await manager.start({ model: runId } as unknown as RunSpec);
	await expect.poll(() => server.requests.length - before, { timeout: 30_000, interval: 20 }).toBe(8);
	return { events, sent: () => server.requests.length - before };
}

describe('Stop on a page-started run', () => {
	it('the first saves the requests in flight and ends the run cancelled; nothing is sent after it', async () => {
		const manager = new RunManager(project());
		const run = await startWatched(manager, 'stop-once');
		expect(manager.cancel('stop-once')).toBe(true);
		expect(manager.get('stop-once')).toMatchObject({ state: 'running', stopping: true });
		await expect.poll(() => manager.get('stop-once')!.state, { timeout: 30_000, interval: 50 }).toBe('cancelled');
		expect(run.sent()).toBe(8);
		expect(rows('stop-once')).toBe(8);
		expect(run.events.some((e) => e.stopping)).toBe(true);
	}, 60_000);

	it('a second plain cancel (a double click, another tab) still saves them; abandon throws them away: no row', async () => {
		const manager = new RunManager(project());
		const twice = await startWatched(manager, 'stop-twice');
		manager.cancel('stop-twice');
		expect(manager.cancel('stop-twice')).toBe(true);
		await expect.poll(() => manager.get('stop-twice')!.state, { timeout: 30_000, interval: 50 }).toBe('cancelled');
		expect(twice.sent()).toBe(8);
		expect(rows('stop-twice')).toBe(8);

		const abandoned = await startWatched(manager, 'stop-abandon');
		manager.cancel('stop-abandon');
		expect(manager.cancel('stop-abandon', { abandon: true })).toBe(true);
		await expect.poll(() => manager.get('stop-abandon')!.state, { timeout: 30_000, interval: 50 }).toBe('cancelled');
		expect(abandoned.sent()).toBe(8);
		expect(rows('stop-abandon')).toBe(0);
	}, 90_000);
});
