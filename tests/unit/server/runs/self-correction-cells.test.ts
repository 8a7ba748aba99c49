// Table 3 from run cells, end to end against the TEST DOUBLE in its realistic mode (not a model):
// a notebook with a completion run cell (judged) and self-detection / self-repair cells reading
// it by "from". Opening it sends nothing; starting the cells through the server's RunManager runs
// the chain; self-repair sends ONLY the programs the cell's judge found vulnerable; the cells'
// views then hold the model's verdicts on its own programs and the judged repairs.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { parseNotebook } from '../../../../src/lib/notebook/format.ts';
import { runNotebook, type CellResult } from '../../../../src/lib/notebook/executor.ts';
import type { RunSpec } from '../../../../src/lib/notebook/run-spec.ts';
import { createHeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { runTablesIPC, RUN_TABLE_NAMES } from '../../../../src/lib/runs/run-tables.ts';
import { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager, type RunEvent } from '../../../../src/lib/server/runs/run-manager.ts';
import { runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const root = resolve(__dirname, '../../../..');
const item = (n: number, marker: string): Item => ({
	item_id: `completion/seed/CWE-78/cells/${n}`, task: 'completion', set: 'seed', cwe: 'CWE-78', language: 'python', scenario: 'cells',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/server/runs/self-correction-cells.test.ts'
});
// Two insecure, one secure, one refusal (no code: never judged, never repaired).
const ITEMS = [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME'), item(3, 'REFUSE_ME')];
const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n\n';
const NOTEBOOK =
	fence('run id=gen', '{"task": "completion", "model": "test-model", "set": ["seed"], "judge": "test-model", "template": "direct"}') +
	fence('run id=self', '{"task": "self-detection", "from": "gen"}') +
	fence('run id=fix', '{"task": "self-repair", "from": "gen", "judge": "rules"}');

let server: TestServer;
let work: { path: string; remove: () => void };
let runs: ProjectRuns;
let manager: RunManager;

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-cells-t3-');
	cpSync(join(root, 'datasets/templates'), join(work.path, 'datasets/templates'), { recursive: true });
	mkdirSync(join(work.path, 'data/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'data/coveval/items.arrow'), itemsToArrowStream(ITEMS));
	runs = new ProjectRuns({
		root: work.path,
		runsDir: join(work.path, 'runs'),
		cacheDir: join(work.path, 'cache'),
		dataDir: join(work.path, 'data'),
		env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-cells-test' }
	});
	manager = new RunManager(runs);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

/** The notebook on a fresh engine over the runs folder, as `covw notebook run` and a page do. */
async function openNotebook(): Promise<Map<string, CellResult>> {
	const engine = await createHeadlessEngine();
	try {
		const tables = runTablesIPC(join(work.path, 'runs'));
		for (const name of RUN_TABLE_NAMES) engine.loadArrowTable(name, tables[name]);
		const { results } = await runNotebook(parseNotebook(NOTEBOOK), engine, { runs });
		return new Map(results.map((r) => [r.cellId!, r]));
	} finally {
		engine.close();
	}
}

async function startAndWait(spec: RunSpec): Promise<RunEvent> {
	const started = await manager.start(spec);
	for (let i = 0; i < 600; i++) {
		const event = manager.get(started.plan.generationRunId)!;
		if (event.state !== 'running') return event;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('run did not finish');
}

const column = (r: CellResult, name: string) => Array.from({ length: r.table!.numRows }, (_, i) => r.table!.getChild(name)!.get(i));

describe('self-detection and self-repair run cells', () => {
	it('open with no rows and send nothing; refuse to start before their source cell ran', async () => {
		const cells = await openNotebook();
		expect([...cells.values()].map((r) => [r.cellId, r.status, r.rowCount])).toEqual([['gen', 'ok', 0], ['self', 'ok', 0], ['fix', 'ok', 0]]);
		expect(server.requests).toHaveLength(0);
		const plan = cells.get('fix')!.run!.plan;
		expect(plan).toMatchObject({ kind: 'self-repair', sourceRunId: cells.get('gen')!.run!.plan.generationRunId, referenceRunId: cells.get('gen')!.run!.plan.judgeRunId });
		const early = await startAndWait(cells.get('self')!.run!.spec);
		expect(early.state).toBe('failed');
		expect(early.error).toMatch(/^run cell "gen" has not finished: its completion run gen-completion-\S+ is not started; start that cell first$/);
		expect(server.requests).toHaveLength(0);
		// A reference that is the model judging itself zero-shot would be compared with itself.
		const selfJudged = { task: 'completion' as const, model: 'test-model', set: ['seed'], judge: 'test-model' };
		await expect(runs.plan({ task: 'self-detection', from: 'own', source: selfJudged })).rejects.toThrow(
			'run cell "own" is judged by its own model with the zeroshot template: that judge run is self-detection itself, so it cannot be the reference; give "own" another judge or template'
		);
	}, 60_000);

	it('run the chain from the cells: self-repair sends only the programs the judge found vulnerable', async () => {
		let cells = await openNotebook();
		const gen = await startAndWait(cells.get('gen')!.run!.spec);
		expect(gen.state).toBe('completed');
		const reference = readRun(join(work.path, 'runs'), gen.plan.judgeRunId!)!;
		const vulnerable = reference.rows.filter((r) => r.meta.vulnerable === true).map((r) => r.meta.item_id).sort();
		expect(vulnerable).toEqual([ITEMS[0].item_id, ITEMS[2].item_id]);

		const self = await startAndWait(cells.get('self')!.run!.spec);
		expect(self.state).toBe('completed');
		expect(self.plan.generationRunId).toBe(cells.get('self')!.run!.plan.generationRunId);

		const before = server.requests.length;
		const fix = await startAndWait(cells.get('fix')!.run!.spec);
		expect(fix.state).toBe('completed');
		// Two repairs and nothing else: the judge of the repairs is the rule judge (no request).
		expect(server.requests.length - before).toBe(2);
		const repairs = readRun(join(work.path, 'runs'), fix.plan.generationRunId)!;
		expect(repairs.manifest.params.task).toBe('repair');
		expect(repairs.rows.map((r) => r.meta.item_id).sort()).toEqual(vulnerable.map((id) => `${id}/self-0`));

		cells = await openNotebook();
		// Self-detection: one row per program the model judged (the refusal has no code: never asked).
		const detection = cells.get('self')!;
		expect(detection.rowCount).toBe(3);
		expect(column(detection, 'self_vulnerable')).toEqual(column(detection, 'reference_vulnerable'));
		expect(column(detection, 'self_vulnerable').filter(Boolean)).toHaveLength(2);
		// Self-repair: the repairs with the rule judge's verdicts on them.
		const repaired = cells.get('fix')!;
		expect(repaired.rowCount).toBe(2);
		expect(column(repaired, 'judge')).toEqual(['rules', 'rules']);
		expect(column(repaired, 'verdict_status')).toEqual(['ok', 'ok']);

		// Again: every step resumes, nothing is sent twice.
		const again = server.requests.length;
		expect((await startAndWait(cells.get('fix')!.run!.spec)).state).toBe('completed');
		expect((await startAndWait(cells.get('self')!.run!.spec)).state).toBe('completed');
		expect(server.requests.length).toBe(again);

		// The runs page offers no plain-spec resume for the derived repair run (it would name another run).
		const detail = await runDetail(join(work.path, 'runs'), fix.plan.generationRunId, manager, runs);
		expect(detail!.resume).toEqual({ unavailable: 'derived from another run: resume it from the run cell or covw command that started it' });
		const source = await runDetail(join(work.path, 'runs'), gen.plan.generationRunId, manager, runs);
		expect(source!.resume).toHaveProperty('spec');
	}, 120_000);
});
