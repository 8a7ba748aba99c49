// released-results on real data: the benchmark and the released CoV-Eval results from
// ../shared/coveval (read at run time, never copied) imported into a temp folder, the imported
// answers judged by the rule judge, then the notebook run headless. Its figures must equal the
// core metrics' on the same runs, and the paper-mode detection F1 the released score file's.
// Skipped with a message when the data is absent.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
			// GPT-4o's two cut-off completion answers are listed (kept as unreadable verdicts).
			expect(r.problems.filter((p) => p.field !== 'meta_data.judge_by_gpt4')).toEqual([]);
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

		// SOURCES.md: llama completion 4 safe / 50 unsafe, qwen 33 / 21, llama repair 285 / 192 (vul_eval,
		// the harness reading); GPT-4o's own answers read strictly: 4 / 48 + 2 unreadable, 33 / 21, 290 / 187.
		type Sr = { sr1_gpt4o: number; coverage: string; secure_of_judged: string; no_code: number; verdict_unreadable: number; paper_sr1: number; difference: number; wilson95_low: number; wilson95_high: number };
		const sr = new Map<string, Sr>(rows('sr_vs_table1').map((r: Sr & { model: string; task: string; reading: string }) => [`${r.model} ${r.task} ${r.reading}`, r]));
		const llamaCompletion = sr.get('llama3.1-8b-instruct completion GPT-4o answer (strict)')!;
		const srRows = rows('released_sr');
		for (const r of srRows) expect(r.judged + r.no_code + r.error + r.verdict_unreadable).toBe(r.total);
		expect(llamaCompletion.paper_sr1).toBeCloseTo(53.7, 2);
		expect(llamaCompletion).toMatchObject({ sr1_gpt4o: 7.69, secure_of_judged: '4/52', verdict_unreadable: 2, wilson95_low: 3.03, wilson95_high: 18.17 });
		expect(sr.get('llama3.1-8b-instruct completion harness reading')).toMatchObject({ sr1_gpt4o: 7.41, secure_of_judged: '4/54', verdict_unreadable: 0 });
		expect(sr.get('llama3.1-8b-instruct repair GPT-4o answer (strict)')).toMatchObject({ sr1_gpt4o: 60.8, secure_of_judged: '290/477', difference: 2.1, wilson95_low: 56.35, wilson95_high: 65.07 });
		// Wilson from the counts, not from the rounded rate (285/477: 59.75 [55.29, 64.05]; from 59.75 the high end is 64.06)
		expect(sr.get('llama3.1-8b-instruct repair harness reading')).toMatchObject({ sr1_gpt4o: 59.75, difference: 1.05, wilson95_high: 64.05 });
		expect(sr.get('qwen2.5-7b-instruct completion harness reading')).toMatchObject({ sr1_gpt4o: 61.11, wilson95_low: 47.79, wilson95_high: 72.96 });
		for (const r of sr.values()) expect(r.wilson95_low < r.sr1_gpt4o && r.sr1_gpt4o < r.wilson95_high).toBe(true);
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
			['llama3.1-8b-instruct', 'completion', 54],
			['qwen2.5-7b-instruct', 'completion', 54],
			['qwen2.5-7b-instruct', 'completion', 54],
			['llama3.1-8b-instruct', 'repair', 477],
			['llama3.1-8b-instruct', 'repair', 477]
		]);
		expect(srRows.map((r: { reading: string }) => r.reading)).toEqual(['GPT-4o answer (strict)', 'harness reading', 'GPT-4o answer (strict)', 'harness reading', 'GPT-4o answer (strict)', 'harness reading']);

		const agreement = rows('agreement_with_gpt4o');
		// One row per judge and task: completion and repair security rates are never pooled.
		expect(agreement.map((r: { judge: string; task: string }) => [r.judge, r.task])).toEqual([
			['rules', 'completion'],
			['rules', 'repair']
		]);
		// n beside not_scored, and the per-CWE plot's judge labelled with its n (the answers both judged)
		// (GPT-4o's two unreadable llama completion answers pair with nothing)
		for (const r of agreement) expect(r.n + (r.task === 'completion' ? 2 : 0)).toBe(rows('judge_coverage').find((c: { judge: string; task: string }) => c.judge === r.judge && c.task === r.task).with_verdict);
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

	it('an old import (vul_eval stored as openai/gpt-4o) is shown as the harness reading of an old import, never as GPT-4o\'s answers', async () => {
		// As imports before GPT-4o's answers were read wrote it: the harness run, named openai/gpt-4o, no `reading`.
		const harness = readAllRuns(runs).find((r) => r.manifest.params.judge === 'openai/gpt-4o · harness reading' && String((r.manifest.params.source as { run: string }).run).includes('repair'))!;
		const oldId = 'import-judge-openai_gpt-4o-old-repair';
		cpSync(join(runs, harness.manifest.run_id), join(runs, oldId), { recursive: true });
		rmSync(join(runs, oldId, 'verdicts.arrow'), { force: true });
		const manifest = JSON.parse(readFileSync(join(runs, oldId, 'manifest.json'), 'utf8'));
		delete manifest.params.reading;
		manifest.params.judge = 'openai/gpt-4o';
		manifest.run_id = oldId;
		writeFileSync(join(runs, oldId, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
		const log = readFileSync(join(runs, oldId, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
		writeFileSync(join(runs, oldId, 'log.jsonl'), log.map((row) => JSON.stringify({ ...row, judge: 'openai/gpt-4o' })).join('\n') + '\n');
		try {
			const ctx = fakeContext(['notebooks/released-results.md', '--json', '--max-rows', '200'], { root, cwd: root, env });
			expect(await notebookRunCommand.run(ctx)).toBe(0);
			const report = JSON.parse(ctx.out.join(''));
			const rows = (id: string) => report.cells.find((c: { id: string }) => c.id === id).rows;
			const repair = rows('sr_vs_table1').filter((r: { task: string }) => r.task === 'repair').map((r: { reading: string; sr1_gpt4o: number }) => [r.reading, r.sr1_gpt4o]);
			expect(repair).toEqual([
				['GPT-4o answer (strict)', 60.8],
				['harness reading', 59.75],
				['harness reading (old import)', 59.75]
			]);
			// the strict reading is the one the other judges are compared with, never the old run
			expect(rows('other_verdicts').some((r: { judge: string }) => r.judge.startsWith('openai/gpt-4o'))).toBe(false);
		} finally {
			rmSync(join(runs, oldId), { recursive: true, force: true });
		}
	});
});
