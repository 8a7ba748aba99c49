// table3-self-correction headless with TWO chains for one model (two reference judges, each with
// its own self-repair run judged by it): beside_table3 puts each chain's SR@1 on its own row.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { itemsToArrowStream } from '../../../src/lib/node/coveval/items-arrow.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { runSelfDetection, runSelfRepair } from '../../../src/lib/runs/self-correction.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(__dirname, '../../..');
const item = (n: number, marker: string): Item => ({
	item_id: `completion/seed/CWE-78/nb3/${n}`, task: 'completion', set: 'seed', cwe: 'CWE-78', language: 'python', scenario: 'nb3',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/cli/notebook-table3.test.ts'
});

let server: TestServer;
let work: { path: string; remove: () => void };
const repairRuns: Record<string, string> = {};

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-nb-t3b-');
	cpSync(join(root, 'datasets/paper'), join(work.path, 'datasets/paper'), { recursive: true });
	mkdirSync(join(work.path, 'datasets/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'datasets/coveval/items.arrow'), itemsToArrowStream([item(0, 'INSECURE_ME'), item(1, 'SECURE_ME')]));
	const runsDir = join(work.path, 'runs');
	const config = testConfig(server.url);
	const templates = (await loadTemplates(join(root, 'datasets/templates'))).templates;
	const items = [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME'), item(3, 'SECURE_ME')];
	await runGeneration({ runsDir, config, items, task: 'completion', model: 'local/test-model', templates, runId: 'gen-nb3', onWarning: () => {} });
	// Two reference judges: the model itself with the direct template, and the rule judge.
	for (const [key, judge, template] of [['direct', 'local/test-model', 'direct'], ['rules', 'rules', undefined]] as const) {
		const judgeRunId = `ref-${key}`;
		await runJudge({ runsDir, judge, template, sourceRunId: 'gen-nb3', config, templates, runId: judgeRunId, onWarning: () => {} });
		const options = { runsDir, config, templates, sourceRunId: 'gen-nb3', judgeRunId, onWarning: () => {} };
		await runSelfDetection(options);
		const repair = await runSelfRepair(options);
		repairRuns[key] = repair.generation!.runId;
		await runJudge({ runsDir, judge, template, sourceRunId: repair.generation!.runId, config, templates, onWarning: () => {} });
	}
}, 60_000);
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('table3-self-correction with two reference judges', () => {
	it('joins each self-repair run to its own chain (model and reference judge)', async () => {
		const env = { COVW_DATA: join(work.path, 'datasets'), COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') };
		const ctx = fakeContext(['notebooks/table3-self-correction.md', '--json'], { root, cwd: root, env });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		const failed = report.cells.filter((c: { status: string }) => c.status !== 'ok').map((c: { id: string; error: unknown }) => [c.id, c.error]);
		expect(failed).toEqual([]);
		expect(status).toBe(0);
		const rows = (id: string) => report.cells.find((c: { id: string }) => c.id === id).rows;
		expect(rows('repair_chains').map((r: { reference_run: string; self_repair_run: string }) => [r.reference_run, r.self_repair_run]).sort()).toEqual([
			['ref-direct', repairRuns.direct],
			['ref-rules', repairRuns.rules]
		]);
		const ours = rows('beside_table3').filter((r: { source: string }) => r.source.startsWith('yours'));
		// One row per chain: joined on model alone, each chain would also get the other's SR@1 (4 rows).
		expect(ours.map((r: { judge: string }) => r.judge).sort()).toEqual(['local/test-model · direct', 'rules']);
		for (const r of ours) {
			const own = rows('self_repair').find((s: { self_repair_run: string }) => s.self_repair_run === repairRuns[r.judge === 'rules' ? 'rules' : 'direct']);
			expect(r.self_repair_sr1).toBe(own.self_repair_sr1);
			// each figure with its n: the repairs with a verdict behind the SR@1
			expect(r.repairs_judged).toBe(own.judged);
			expect(r.judge_vulnerable).toBeGreaterThan(0);
			expect(r.label).toBe(`${r.model} (n=${r.judge_vulnerable} / ${own.judged})`);
		}
	}, 120_000);
});
