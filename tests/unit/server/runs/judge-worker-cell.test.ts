// A run cell judged by the rule judge, started through the server's RunManager: ProjectRuns hands
// its judge run to the worker threads it was given (the server's, server/app-objects.ts), the run
// completes with its rows, and Stop reaches the worker. Against the TEST DOUBLE in its realistic
// mode (not a model). Nothing is timed.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import type { RunSpec } from '../../../../src/lib/notebook/run-spec.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import type { DirectComputer } from '../../../../src/lib/runs/direct-run.ts';
import type { DirectComputeRequest } from '../../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { judgeWorkerComputer } from '../../../../src/lib/server/runs/judge-worker.ts';
import { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager, type RunEvent } from '../../../../src/lib/server/runs/run-manager.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const root = resolve(__dirname, '../../../..');
const item = (n: number, marker: string): Item => ({
	item_id: `completion/seed/CWE-78/worker/${n}`, task: 'completion', set: 'seed', cwe: 'CWE-78', language: 'python', scenario: 'worker',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/server/runs/judge-worker-cell.test.ts'
});
const ITEMS = [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME'), item(3, 'SECURE_ME')];

let server: TestServer;
let work: { path: string; remove: () => void };
beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-worker-cell-');
	cpSync(join(root, 'datasets/templates'), join(work.path, 'datasets/templates'), { recursive: true });
	mkdirSync(join(work.path, 'data/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'data/coveval/items.arrow'), itemsToArrowStream(ITEMS));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

/** The project, its direct judge runs computed by the worker threads, each row reported to `seen` first. */
function project(seen: (unitId: string) => void): ProjectRuns {
	const workers = judgeWorkerComputer();
	const watched = (request: DirectComputeRequest): DirectComputer => {
		const computer = workers(request);
		return { compute: (units, onRow, signal) => computer.compute(units, (u, out, ms) => (seen(u.id), onRow(u, out, ms)), signal) };
	};
	const folders = { root: work.path, runsDir: join(work.path, 'runs'), cacheDir: join(work.path, 'cache'), dataDir: join(work.path, 'data'), env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-worker-test' } };
	return new ProjectRuns(folders, watched);
}

async function finished(manager: RunManager, id: string): Promise<RunEvent> {
	await expect.poll(() => manager.get(id)?.state, { timeout: 120_000, interval: 50 }).not.toBe('running');
	return manager.get(id)!;
}

describe('a run cell judged by the rule judge, from the server', () => {
	it('its judge run is computed by the worker threads and completes with every row', async () => {
		const seen: string[] = [];
		const manager = new RunManager(project((id) => seen.push(id)));
		const spec = { task: 'completion', model: 'test-model', set: ['seed'], judge: 'rules' } as RunSpec;
		const started = await manager.start(spec);
		const done = await finished(manager, started.plan.generationRunId);
		expect(done.state).toBe('completed');
		const judged = readRun(join(work.path, 'runs'), done.plan.judgeRunId!)!;
		expect(judged.manifest.state).toBe('completed');
		expect(judged.rows.length).toBeGreaterThan(0);
		expect(judged.rows.map((r) => r.unit_id).sort()).toEqual([...seen].sort());
	}, 180_000);

	it('Stop reaches the worker: the rows back are kept, the run is cancelled, a second start judges only the rest', async () => {
		let manager: RunManager;
		let id = '';
		const first: string[] = [];
		const runs = project((unit) => (first.push(unit), first.length === 1 && manager.cancel(id)));
		manager = new RunManager(runs);
		const spec = { task: 'completion', model: 'test-model', set: ['seed'], judge: 'rules', samples: 2 } as RunSpec;
		id = (await runs.plan(spec)).generationRunId;
		await manager.start(spec);
		const stopped = await finished(manager, id);
		expect(stopped.state).toBe('cancelled');
		const judgeRunId = stopped.plan.judgeRunId!;
		const kept = readRun(join(work.path, 'runs'), judgeRunId)!;
		expect(kept.manifest.state).toBe('cancelled');
		expect(kept.rows.map((r) => r.unit_id)).toEqual(first.slice(0, 1));

		const rest: string[] = [];
		manager = new RunManager(project((unit) => rest.push(unit)));
		await manager.start(spec);
		expect((await finished(manager, id)).state).toBe('completed');
		expect(rest).not.toContain(first[0]);
		expect(readRun(join(work.path, 'runs'), judgeRunId)!.rows).toHaveLength(rest.length + 1);
	}, 180_000);
});
