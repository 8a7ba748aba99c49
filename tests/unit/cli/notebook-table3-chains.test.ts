// table3-self-correction takes exactly the chains `covw self-correct` takes, on the same items:
// beside a seed chain made by `covw self-correct` lies a completion run of other items (an evolved
// set) with an ordinary judge run by the same model (zero-shot) and a rule judge run. That judge
// run is no self-detection chain (self-correct never ran on the pair: no self-repair run), and the
// notebook's figures for the model are the CLI's, with the same n — never the two runs pooled.
// Against the TEST DOUBLE (realistic answers, not a model).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { selfCorrectCommand } from '../../../src/cli/commands/self-correct.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { itemsToArrowStream } from '../../../src/lib/node/coveval/items-arrow.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { TEST_KEY, tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(__dirname, '../../..');
const item = (set: Item['set'], n: number, marker: string): Item => ({
	item_id: `completion/${set}/CWE-78/t3chain/${n}`, task: 'completion', set, cwe: 'CWE-78', language: 'python', scenario: 't3chain',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/cli/notebook-table3-chains.test.ts'
});
const seed = [item('seed', 0, 'INSECURE_ME'), item('seed', 1, 'SECURE_ME'), item('seed', 2, 'INSECURE_ME'), item('seed', 3, 'SECURE_ME'), item('seed', 4, 'SECURE_ME')];
const evolved = [item('vul-evol', 10, 'INSECURE_ME'), item('vul-evol', 11, 'INSECURE_ME'), item('vul-evol', 12, 'INSECURE_ME')];

let server: TestServer;
let work: { path: string; remove: () => void };
let cli: { recall: number; recallOf: number; acc: number; n: number; sr1: number; repairsJudged: number; repairs: number; recallCi: number[]; sr1Ci: number[] };

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-nb-t3c-');
	cpSync(join(root, 'datasets/paper'), join(work.path, 'datasets/paper'), { recursive: true });
	mkdirSync(join(work.path, 'datasets/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'datasets/coveval/items.arrow'), itemsToArrowStream(seed));
	const runsDir = join(work.path, 'runs');
	const config = testConfig(server.url);
	const configFile = join(work.path, 'covw.config.json');
	writeFileSync(configFile, JSON.stringify({ endpoints: { local: { baseURL: server.url, apiKeyEnv: 'COVW_TEST_KEY', models: { 'test-model': {} } } } }));
	const templates = (await loadTemplates(join(root, 'datasets/templates'))).templates;
	// The seed chain, as a user makes it: completion run, rule judge, then `covw self-correct`.
	await runGeneration({ runsDir, config, items: seed, task: 'completion', model: 'local/test-model', templates, runId: 'gen-seed', onWarning: () => {} });
	await runJudge({ runsDir, judge: 'rules', sourceRunId: 'gen-seed', config, templates, runId: 'ref-seed', onWarning: () => {} });
	const env = { COVW_TEST_KEY: TEST_KEY, COVW_RUNS: runsDir, COVW_CACHE: join(work.path, 'cache'), COVW_DATA: join(work.path, 'datasets') };
	const ctx = fakeContext(['gen-seed', '--judge-run', 'ref-seed', '--config', configFile, '--no-cache'], { root, cwd: work.path, env });
	expect(await selfCorrectCommand.run(ctx), ctx.err.join('')).toBe(0);
	const out = ctx.out.join('');
	const d = /recall ([\d.]+)% \((\d+) of (\d+) program\(s\)[^)]*\), accuracy ([\d.]+)% \([^)]*?\bn (\d+);/.exec(out);
	const r = /self-repair SR@1 ([\d.]+)% .*coverage (\d+)\/(\d+);/.exec(out);
	// the CLI's 95% Wilson intervals: recall's (first on its line), then self-repair SR@1's
	const rc = /recall [^\n]*?Wilson interval \[([\d.]+), ([\d.]+)\]/.exec(out);
	const sc = /self-repair SR@1 [^\n]*?Wilson interval \[([\d.]+), ([\d.]+)\]/.exec(out);
	if (!d || !r || !rc || !sc) throw new Error(`unexpected self-correct output:\n${out}`);
	cli = { recall: Number(d[1]), recallOf: Number(d[3]), acc: Number(d[4]), n: Number(d[5]), sr1: Number(r[1]), repairsJudged: Number(r[2]), repairs: Number(r[3]), recallCi: [Number(rc[1]), Number(rc[2])], sr1Ci: [Number(sc[1]), Number(sc[2])] };
	// Other items, the same model: a completion run, a rule judge run, and an ordinary judge run by
	// the model itself with the zero-shot template — self-correct is never run on them.
	await runGeneration({ runsDir, config, items: evolved, task: 'completion', model: 'local/test-model', templates, runId: 'gen-evolved', onWarning: () => {} });
	await runJudge({ runsDir, judge: 'rules', sourceRunId: 'gen-evolved', config, templates, runId: 'ref-evolved', onWarning: () => {} });
	await runJudge({ runsDir, judge: 'local/test-model', template: 'zeroshot', sourceRunId: 'gen-evolved', config, templates, onWarning: () => {} });
}, 90_000);
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('table3-self-correction: the chains covw self-correct takes', () => {
	it('shows the CLI`s figures for the model, each with its n, and no pooled evolved run', async () => {
		expect(cli.n).toBe(seed.length);
		expect(cli.recallOf).toBeGreaterThan(0);
		const env = { COVW_DATA: join(work.path, 'datasets'), COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') };
		const ctx = fakeContext(['notebooks/table3-self-correction.md', '--json'], { root, cwd: root, env });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		const failed = report.cells.filter((c: { status: string }) => c.status !== 'ok').map((c: { id: string; error: unknown }) => [c.id, c.error]);
		expect(failed).toEqual([]);
		expect(status).toBe(0);
		const rows = (id: string) => report.cells.find((c: { id: string }) => c.id === id).rows;
		expect(rows('chains').map((c: { completion_run: string; reference_run: string }) => [c.completion_run, c.reference_run])).toEqual([['gen-seed', 'ref-seed']]);
		expect(rows('self_detection')).toEqual([
			expect.objectContaining({
				model: 'local/test-model', item_set: 'seed', reference: 'rules',
				n: cli.n, judge_vulnerable: cli.recallOf, self_detection_recall: cli.recall, self_detection_acc: cli.acc
			})
		]);
		const ours = rows('beside_table3').filter((r: { source: string }) => r.source.startsWith('yours'));
		// the point carries the CLI's Wilson intervals, and the legend (source) names the judge
		expect(ours).toEqual([
			{
				source: 'yours · judge rules', model: 'local/test-model', items: 'seed', judge: 'rules',
				n: cli.n, judge_vulnerable: cli.recallOf, self_detection_recall: cli.recall, self_detection_acc: cli.acc,
				repairs: cli.repairs, repairs_judged: cli.repairsJudged, self_repair_sr1: cli.sr1,
				recall_low: cli.recallCi[0], recall_high: cli.recallCi[1], sr1_low: cli.sr1Ci[0], sr1_high: cli.sr1Ci[1],
				label: `local/test-model (n=${cli.recallOf} / ${cli.repairsJudged})`
			}
		]);
	}, 120_000);
});
