// released-results on real data: the benchmark and the released CoV-Eval results from
// ../shared/coveval (read at run time, never copied) imported into a temp folder, the imported
// answers judged by the rule judge, then the notebook run headless. Its figures must equal the
// core metrics' on the same runs, and the paper-mode detection F1 the released score file's.
// Skipped with a message when the data is absent.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../src/cli/commands/data.ts';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { readItemsArrow } from '../../../src/lib/node/coveval/items-arrow.ts';
import { importRuns } from '../../../src/lib/runs/import/import-runs.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readAllRuns, readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = resolve(root, '../shared/coveval');
const released = join(shared, 'cov-eval/released_results');
const present = existsSync(released);
if (!present) console.warn(`skipping released-results notebook: ${released} not found`);

const FILES = [
	'code_completion/llama3.1-8b-instruct.json',
	'code_completion/qwen2.5-7b-instruct.json',
	'vulnerability_repair/llama3.1-8b-instruct.json',
	'vulnerability_detection_classification/llama3.1-8b-instruct.json'
];

describe.skipIf(!present)('released-results on the released CoV-Eval outputs', { timeout: 240_000 }, () => {
	const work = mkdtempSync(join(tmpdir(), 'covw-released-nb-'));
	const data = join(work, 'datasets');
	const runs = join(work, 'runs');
	const env = { COVW_DATA: data, COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') };

	beforeAll(async () => {
		cpSync(join(root, 'datasets/paper'), join(data, 'paper'), { recursive: true });
		const imported = fakeContext([shared, '--out', join(data, 'coveval')], { root, cwd: root });
		expect(await dataImportCommand.run(imported)).toBe(0);
		const items = await readItemsArrow(join(data, 'coveval/items.arrow'));
		for (const file of FILES) {
			const r = await importRuns({ runsDir: runs, path: join(released, file), items, onWarning: () => {} });
			expect(r.problems).toEqual([]);
			for (const gen of r.runs.filter((x) => x.kind === 'generation' && x.task !== 'detection')) {
				await runJudge({ runsDir: runs, judge: 'rules', sourceRunId: gen.run_id, onWarning: () => {} });
			}
		}
	});
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('runs every cell headless; SR@1, coverage and detection F1 are what the data gives', async () => {
		const ctx = fakeContext(['notebooks/released-results.md', '--json', '--max-rows', '200'], { root, cwd: root, env });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		const failed = report.cells.filter((c: { status: string }) => c.status !== 'ok').map((c: { id: string; error: unknown }) => [c.id, c.error]);
		expect(failed).toEqual([]);
		expect(status).toBe(0);
		const rows = (id: string) => report.cells.find((c: { id: string }) => c.id === id).rows;

		// SOURCES.md: llama completion 4 safe / 50 unsafe, qwen 33 / 21, llama repair 285 / 192.
		const sr = new Map(rows('sr_vs_table1').map((r: { model: string; task: string }) => [`${r.model} ${r.task}`, r]));
		const llamaCompletion = sr.get('llama3.1-8b-instruct completion') as { sr1_gpt4o: number; coverage: string; no_code: number; paper_sr1: number };
		const srRows = rows('released_sr');
		for (const r of srRows) expect(r.judged + r.no_code + r.error + r.verdict_unreadable).toBe(r.total);
		expect(llamaCompletion.paper_sr1).toBeCloseTo(53.7, 2);
		// each released SR@1 with its 95% interval (Wilson, over the judged answers)
		for (const r of rows('sr_vs_table1')) expect(r.low < r.sr1_gpt4o && r.sr1_gpt4o < r.high).toBe(true);
		// The same SR@1 and coverage as the core metric over the imported GPT-4o judge run.
		const gptRun = readAllRuns(runs).find((r) => r.manifest.params.judge === 'openai/gpt-4o' && String(r.manifest.params.source && (r.manifest.params.source as { run: string }).run).includes('completion-llama3.1'))!;
		const core = summarizeRun(gptRun, readRun(runs, (gptRun.manifest.params.source as { run: string }).run)).judges[0].securityRate!;
		expect(llamaCompletion.sr1_gpt4o).toBeCloseTo(core.sr, 2);
		expect(llamaCompletion.coverage).toBe(`${core.coverage.judged}/${core.coverage.total}`);
		if (process.env.COVW_PRINT) for (const id of ['sr_vs_table1', 'agreement_with_gpt4o', 'detection_f1', 'readings_differ']) console.log(id, JSON.stringify(rows(id)));
		expect(llamaCompletion.coverage).toMatch(/^\d+\/54$/);
		const totals = srRows.map((r: { model: string; task: string; total: number }) => [r.model, r.task, r.total]);
		expect(totals).toEqual([
			['llama3.1-8b-instruct', 'completion', 54],
			['qwen2.5-7b-instruct', 'completion', 54],
			['llama3.1-8b-instruct', 'repair', 477]
		]);

		const agreement = rows('agreement_with_gpt4o');
		// One row per judge and task: completion and repair security rates are never pooled.
		expect(agreement.map((r: { judge: string; task: string }) => [r.judge, r.task])).toEqual([
			['rules', 'completion'],
			['rules', 'repair']
		]);
		// n beside not_scored, and the per-CWE plot's judge labelled with its n (the answers both judged)
		for (const r of agreement) expect(r.n + r.not_scored).toBe(rows('judge_coverage').find((c: { judge: string; task: string }) => c.judge === r.judge && c.task === r.task).with_verdict + r.not_scored);
		const perCwe = rows('agreement_per_cwe');
		const pairedN = agreement.reduce((sum: number, r: { n: number }) => sum + r.n, 0);
		expect(new Set(perCwe.map((r: { judge: string }) => r.judge))).toEqual(new Set([`rules (n=${pairedN})`]));

		const f1 = rows('detection_f1');
		expect(f1.map((r: { reading: string }) => r.reading)).toEqual(['strict (default)', 'paper-compatible']);
		const scores = JSON.parse(readFileSync(join(released, 'vulnerability_detection_classification/llama3.1-8b-instruct_scores.json'), 'utf8'));
		expect(f1[1].detection_f1).toBeCloseTo(100 * scores.binary_class_f1, 1);
		// Table 1's figures for llama3.1-8b-instruct beside the released answers' own
		expect(f1[1]).toMatchObject({ paper_detection_f1: 92.89, paper_recall: 95.81, paper_classification_accuracy: 34.27 });
		expect(rows('readings_differ')[0].answers).toBe(531);
	});
});
