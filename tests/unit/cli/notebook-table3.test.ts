// table3-self-correction headless, on a chain run against the TEST DOUBLE (realistic mode, not
// a model): its self-detection recall/accuracy and self-repair SR@1 must be the library's.
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

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-nb-t3-');
	cpSync(join(root, 'datasets/paper'), join(work.path, 'datasets/paper'), { recursive: true });
	// The notebook's run cells plan their runs over the imported items (here: ours, set seed).
	mkdirSync(join(work.path, 'datasets/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'datasets/coveval/items.arrow'), itemsToArrowStream([item(0, 'INSECURE_ME'), item(1, 'SECURE_ME')]));
	const runsDir = join(work.path, 'runs');
	const config = testConfig(server.url);
	const templates = (await loadTemplates(join(root, 'datasets/templates'))).templates;
	const items = [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME'), item(3, 'SECURE_ME')];
	await runGeneration({ runsDir, config, items, task: 'completion', model: 'local/test-model', templates, runId: 'gen-nb3', onWarning: () => {} });
	await runJudge({ runsDir, judge: 'local/test-model', template: 'direct', sourceRunId: 'gen-nb3', config, templates, runId: 'ref-nb3', onWarning: () => {} });
	const options = { runsDir, config, templates, sourceRunId: 'gen-nb3', judgeRunId: 'ref-nb3', onWarning: () => {} };
	await runSelfDetection(options);
	const repair = await runSelfRepair(options);
	await runJudge({ runsDir, judge: 'local/test-model', template: 'direct', sourceRunId: repair.generation!.runId, config, templates, onWarning: () => {} });
}, 60_000);
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('table3-self-correction', () => {
	it('runs headless: self-detection and self-repair beside the paper`s Table 3', async () => {
		const env = { COVW_DATA: join(work.path, 'datasets'), COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') };
		const ctx = fakeContext(['notebooks/table3-self-correction.md', '--json'], { root, cwd: root, env });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		const failed = report.cells.filter((c: { status: string }) => c.status !== 'ok').map((c: { id: string; error: unknown }) => [c.id, c.error]);
		expect(failed).toEqual([]);
		expect(status).toBe(0);
		const rows = (id: string) => report.cells.find((c: { id: string }) => c.id === id).rows;
		expect(rows('self_detection')).toEqual([
			{
				model: 'local/test-model', item_set: 'seed', reference: 'local/test-model · direct', completion_run: 'gen-nb3', reference_run: 'ref-nb3',
				n: 4, judge_vulnerable: 2, self_flagged: 2, self_detection_recall: 100, self_detection_acc: 100, self_no_verdict: 0
			}
		]);
		expect(rows('self_repair')).toEqual([
			expect.objectContaining({ model: 'local/test-model', repairs: 2, judged: 2, no_code: 0, error: 0, self_repair_sr1: 100 })
		]);
		// The run cells name their runs and start nothing: no rows yet, and the summary of them is empty.
		const cell = (id: string) => report.cells.find((c: { id: string }) => c.id === id);
		expect(['gen_mini', 'self_detect_mini', 'self_repair_mini'].map((id) => [id, cell(id).kind, cell(id).status, cell(id).rowCount])).toEqual([
			['gen_mini', 'run', 'ok', 0],
			['self_detect_mini', 'run', 'ok', 0],
			['self_repair_mini', 'run', 'ok', 0]
		]);
		expect(rows('from_cells')).toEqual([{ model: null, self_judged: 0, judge_vulnerable: 0, self_flagged: 0, self_detection_recall: null, self_detection_acc: null, repairs: 0, repairs_judged: 0, self_repair_sr1: null }]);
		const beside = rows('beside_table3');
		expect(beside.filter((r: { source: string }) => r.source === 'paper Table 3 · GPT-4o').length).toBeGreaterThan(10);
	}, 120_000);
});
