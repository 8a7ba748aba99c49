// figure5-evaluators on real data: the benchmark imported from ../shared/coveval into a temp
// folder, the Pearce programs judged by the rule judge, then the notebook run headless. Its SQL
// agreement figures must equal the core metric's (evaluatorScore) on the same verdicts — with a
// second rule-judge run over the same programs counted once (its latest verdicts), and the
// per-model figures kept apart by task (released completion and repair answers, each judged).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../src/cli/commands/data.ts';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { evaluatorScore } from '../../../src/lib/core/metrics/evaluator.ts';
import { readItemsArrow } from '../../../src/lib/node/coveval/items-arrow.ts';
import { importRuns } from '../../../src/lib/runs/import/import-runs.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { fakeContext } from './fake-context.ts';
import { writeVerdictRuns } from '../../support/verdict-runs.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = resolve(root, '../shared/coveval');
const present = existsSync(shared);
if (!present) console.warn(`skipping figure5-evaluators on real data: ${shared} not found`);

describe.skipIf(!present)('figure5-evaluators on the Pearce labels', { timeout: 180_000 }, () => {
	const work = mkdtempSync(join(tmpdir(), 'covw-figure5-'));
	const data = join(work, 'datasets');
	const runs = join(work, 'runs');
	const env = { COVW_DATA: data, COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') };
	let runId = '';
	const released = join(shared, 'cov-eval/released_results');

	beforeAll(async () => {
		cpSync(join(root, 'datasets/paper'), join(data, 'paper'), { recursive: true });
		const imported = fakeContext([shared, '--out', join(data, 'coveval')], { root, cwd: root });
		expect(await dataImportCommand.run(imported)).toBe(0);
		const items = await readItemsArrow(join(data, 'coveval/items.arrow'));
		runId = (await runJudge({ runsDir: runs, judge: 'rules', itemSet: 'pearce', items })).runId;
		// The same judge again over the same programs (a second run, as after a rules change).
		await runJudge({ runsDir: runs, judge: 'rules', itemSet: 'pearce', items, runId: 'judge-rules-pearce-again' });
		// A judge whose every row is an error (a tool that could not run) on three programs.
		const firstThree = items.filter((i) => i.set === 'pearce').slice(0, 3);
		writeVerdictRuns(runs, firstThree.map((i) => ({ run_id: 'judge-clang-all-errors', target_id: i.item_id, judge: 'clang', template: null, vulnerable: null, predicted_cwe: null, status: 'error' as const })));
		// Released answers of one model for two tasks (each with GPT-4o's verdicts), judged by the
		// rule judge — the completions twice.
		for (const file of ['code_completion/llama3.1-8b-instruct.json', 'vulnerability_repair/llama3.1-8b-instruct.json']) {
			const r = await importRuns({ runsDir: runs, path: join(released, file), items, onWarning: () => {} });
			for (const gen of r.runs.filter((x) => x.kind === 'generation')) {
				await runJudge({ runsDir: runs, judge: 'rules', sourceRunId: gen.run_id, onWarning: () => {} });
				if (gen.task === 'completion') await runJudge({ runsDir: runs, judge: 'rules', sourceRunId: gen.run_id, runId: 'judge-rules-completion-again', onWarning: () => {} });
			}
		}
	});
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('runs every cell, and its consistency, Diff and kappa are the core metric`s', async () => {
		const ctx = fakeContext(['notebooks/figure5-evaluators.md', '--json', '--max-rows', '100'], { root, cwd: root, env });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		const failed = report.cells.filter((c: { status: string }) => c.status !== 'ok').map((c: { id: string; error: unknown }) => [c.id, c.error]);
		expect(failed).toEqual([]);
		expect(status).toBe(0);

		const agreement = report.cells.find((c: { id: string }) => c.id === 'agreement').rows;
		// every judge with a run keeps its row, an all-error one with n 0, and each is labelled with its n
		expect(agreement.map((r: Record<string, unknown>) => [r.evaluator, r.n, r.errors, r.evaluator_n])).toEqual([
			['rules', 1087, 0, 'rules (n=1087)'],
			['clang', 0, 3, 'clang (n=0 of 3)']
		]);
		const perCwe = report.cells.find((c: { id: string }) => c.id === 'per_cwe').rows as Record<string, unknown>[];
		const clangCells = perCwe.filter((r) => r.evaluator === 'clang (n=0 of 3)');
		expect(clangCells.length).toBeGreaterThan(0);
		for (const r of clangCells) expect(r).toMatchObject({ n: 0, consistency: null, consistency_label: '–' });
		// a per-CWE cell is labelled with its own CWE's consistency, not the judge's overall one
		const rulesCells = perCwe.filter((r) => r.evaluator === 'rules (n=1087)');
		expect(rulesCells.reduce((sum, r) => sum + Number(r.n), 0)).toBe(1087);
		expect(new Set(rulesCells.map((r) => r.consistency_label)).size).toBeGreaterThan(1);
		// CWEs in numeric order (the plots draw them in the rows' order): CWE-20 before CWE-119
		for (const id of ['per_cwe', 'sr_by_cwe']) {
			const rows = report.cells.find((c: { id: string }) => c.id === id).rows as { cwe: string }[];
			const order = [...new Set(rows.map((r) => r.cwe))];
			expect(order.length).toBe(18);
			expect(order).toEqual([...order].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
		}
		const verdicts = readRun(runs, runId)!.rows;
		const score = evaluatorScore(
			verdicts.map((row) => ({
				judge: row.meta.vulnerable === null ? null : Boolean(row.meta.vulnerable),
				judge_status: row.status,
				reference: row.meta.label === 'vulnerable'
			})),
			{ resamples: 10 }
		);
		expect(agreement[0].n).toBe(1087);
		expect(agreement[0].consistency).toBeCloseTo(score.consistency, 2);
		expect(agreement[0].diff).toBeCloseTo(score.diff, 2);
		expect(agreement[0].kappa).toBeCloseTo(score.kappa, 3);

		// The SQL split is the rule judge's own (src/lib/core/judges/rules/pearce-split.ts).
		const { heldOutScenarios } = await import('../../../src/lib/core/judges/rules/pearce-split.ts');
		const items = await readItemsArrow(join(data, 'coveval/items.arrow'));
		const pearce = items.filter((i) => i.set === 'pearce');
		const held = heldOutScenarios(pearce);
		const heldCount = pearce.filter((i) => held.has(`${i.cwe.toLowerCase()}/${i.scenario}`)).length;
		const bySplit = report.cells.find((c: { id: string }) => c.id === 'agreement_by_split').rows;
		expect(bySplit.filter((r: { evaluator: string }) => r.evaluator === 'rules').map((r: { split: string; n: number }) => [r.split, r.n])).toEqual([
			['dev', pearce.length - heldCount],
			['held-out', heldCount]
		]);

		const alignment = report.cells.find((c: { id: string }) => c.id === 'ranking_alignment').rows;
		expect(alignment.find((r: { group: string }) => r.group === 'rules (n=1087)')).toMatchObject({ n: 18 });

		// Per model: one row per task, model and judge; a completion SR never beside a repair SR in
		// one group, and the completions judged twice by the rule judge counted once.
		const modelSr = report.cells.find((c: { id: string }) => c.id === 'model_sr').rows as { task: string; model: string; evaluator: string; n: number; not_scored: number; sr: number; n_label: string }[];
		for (const r of modelSr) expect(r.n_label).toBe(`n=${r.n}${r.not_scored > 0 ? ` of ${r.n + r.not_scored}` : ''}`);
		const got = modelSr.map((r) => [r.task, r.model, r.evaluator, r.n]);
		// GPT-4o in both readings of the released files: its answers read strictly, and vul_eval.
		expect(got).toEqual([
			['completion · seed', 'llama3.1-8b-instruct', 'openai/gpt-4o · fewshot', 52],
			['completion · seed', 'llama3.1-8b-instruct', 'openai/gpt-4o · harness reading · fewshot', 54],
			['completion · seed', 'llama3.1-8b-instruct', 'rules', expect.any(Number)],
			['repair', 'llama3.1-8b-instruct', 'openai/gpt-4o · harness reading · zeroshot', 477],
			['repair', 'llama3.1-8b-instruct', 'openai/gpt-4o · zeroshot', 477],
			['repair', 'llama3.1-8b-instruct', 'rules', expect.any(Number)]
		]);
		// One plot row per task and judge: a task lists only the judges that judged it (no empty rows).
		expect(new Set(modelSr.map((r) => (r as unknown as { task_evaluator: string }).task_evaluator)).size).toBe(6);
		// SOURCES.md: 54 completions, 477 repairs; the rule judge reads every answer with code.
		expect(modelSr[2].n).toBeLessThanOrEqual(54);
		expect(modelSr[5].n).toBeLessThanOrEqual(477);
		expect(modelSr[5].n).toBeGreaterThan(54);
		// The plot's n labels: one per judge and task (not one per model's dot), saying the models' n.
		const nLabels = report.cells.find((c: { id: string }) => c.id === 'model_sr_n').rows as { task: string; evaluator: string; n_label: string }[];
		expect(nLabels).toHaveLength(new Set(modelSr.map((r) => `${r.task}|${r.evaluator}`)).size);
		for (const l of nLabels) {
			const mine = modelSr.filter((r) => r.task === l.task && r.evaluator === l.evaluator);
			const ns = mine.map((r) => r.n);
			const notScored = mine.reduce((sum, r) => sum + r.not_scored, 0);
			expect(l.n_label).toBe(`n=${Math.min(...ns)}${Math.max(...ns) > Math.min(...ns) ? `–${Math.max(...ns)}` : ''} per model${notScored > 0 ? `, ${notScored} not scored` : ''}`);
		}
		const reference = report.cells.find((c: { id: string }) => c.id === 'model_reference').rows as { task: string; comparison: string }[];
		for (const r of reference) expect(r.comparison.endsWith(r.task)).toBe(true);
	});
});
