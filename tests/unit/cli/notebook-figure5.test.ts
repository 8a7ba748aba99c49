// figure5-evaluators on real data: the benchmark imported from ../shared/coveval into a temp
// folder, the Pearce programs judged by the rule judge, then the notebook run headless. Its SQL
// agreement figures must equal the core metric's (evaluatorScore) on the same verdicts.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../src/cli/commands/data.ts';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { evaluatorScore } from '../../../src/lib/core/metrics/evaluator.ts';
import { readItemsArrow } from '../../../src/lib/node/coveval/items-arrow.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { fakeContext } from './fake-context.ts';

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

	beforeAll(async () => {
		cpSync(join(root, 'datasets/paper'), join(data, 'paper'), { recursive: true });
		const imported = fakeContext([shared, '--out', join(data, 'coveval')], { root, cwd: root });
		expect(await dataImportCommand.run(imported)).toBe(0);
		const items = await readItemsArrow(join(data, 'coveval/items.arrow'));
		runId = (await runJudge({ runsDir: runs, judge: 'rules', itemSet: 'pearce', items })).runId;
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
		expect(agreement.map((r: { evaluator: string }) => r.evaluator)).toEqual(['rules']);
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
		expect(bySplit.map((r: { split: string; n: number }) => [r.split, r.n])).toEqual([
			['dev', pearce.length - heldCount],
			['held-out', heldCount]
		]);

		const alignment = report.cells.find((c: { id: string }) => c.id === 'ranking_alignment').rows;
		expect(alignment[0]).toMatchObject({ group: 'rules', n: 18 });
	});
});
