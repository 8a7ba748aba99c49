// notebooks/judges-real.md, headless: without judged runs every cell still runs and the first
// table says how to make them; with ../shared/sven present, the two SVEN splits are imported as
// labelled sets, judged by the rule judge, and the notebook's figures must be those of the
// bench's scorer (measure-sets.ts) on the same verdicts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../../src/cli/commands/import.ts';
import { judgeCommand } from '../../../src/cli/commands/judge.ts';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { parseSven } from '../../../src/lib/judges/rules/sven-split.ts';
import { scoreSet } from '../../../src/lib/judges/rules/measure-sets.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import type { RowStatus } from '../../../src/lib/engine/types.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const svenFile = resolve(root, '../shared/sven/train.jsonl');
const present = existsSync(svenFile);
if (!present) console.warn(`skipping judges-real on SVEN: ${svenFile} not found`);

interface Report {
	cells: { id: string; status: string; error?: unknown; rows: Record<string, unknown>[] }[];
}

async function runNotebook(env: Record<string, string>): Promise<{ status: number; report: Report }> {
	const ctx = fakeContext(['notebooks/judges-real.md', '--json', '--max-rows', '1000'], { root, cwd: root, env });
	const status = await notebookRunCommand.run(ctx);
	return { status, report: JSON.parse(ctx.out.join('')) };
}

const cell = (report: Report, id: string) => report.cells.find((c) => c.id === id)!;


/** The notebook prints figures rounded to `digits` decimals: equal to the exact value once rounded (31.25 may print 31.3). */
function shownAs(shown: unknown, exact: number, digits: number): void {
	expect(Math.abs(Number(shown) - exact)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
}

describe('judges-real notebook', { timeout: 400_000 }, () => {
	const work = mkdtempSync(join(tmpdir(), 'covw-judges-real-'));
	const env = { COVW_DATA: join(work, 'datasets'), COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache') };
	mkdirSync(env.COVW_DATA, { recursive: true });
	afterAll(() => rmSync(work, { recursive: true, force: true }));

	it('opens cleanly without judged runs and says how to make them', async () => {
		const { status, report } = await runNotebook(env);
		expect(report.cells.filter((c) => c.status !== 'ok').map((c) => [c.id, c.error])).toEqual([]);
		expect(status).toBe(0);
		const sets = cell(report, 'judged_sets').rows;
		expect(sets.map((r) => [r.labelled_set, r.judges])).toEqual([
			['pearce', 0],
			['sven-dev', 0],
			['sven-held-out', 0]
		]);
		expect(String(sets[1].to_make_it)).toContain('covw -- judge --items sven-dev --judge rules');
		expect(cell(report, 'judge_table').rows).toEqual([]);
	});

	describe.skipIf(!present)('on the SVEN splits judged by the rule judge', () => {
		const programs = present ? parseSven(readFileSync(svenFile, 'utf8'), svenFile).filter((p) => p.language !== 'cpp') : [];
		beforeAll(async () => {
			for (const split of ['dev', 'held-out'] as const) {
				const file = join(work, `sven-${split}.jsonl`);
				const lines = programs.filter((p) => p.split === split).map((p) => JSON.stringify({ id: p.id, pair_id: p.pairId, cwe: p.cwe, language: p.language, label: p.vulnerable ? 'vulnerable' : 'secure', code: p.code }));
				writeFileSync(file, lines.join('\n') + '\n');
				expect(await importCommand.run(fakeContext(['--labelled', `sven-${split}`, file], { root, cwd: root, env }))).toBe(0);
				expect(await judgeCommand.run(fakeContext(['--items', `sven-${split}`, '--judge', 'rules'], { root, cwd: root, env }))).toBe(0);
			}
		}, 400_000);

		it('gives every figure per set, language and CWE, equal to the bench scorer`s', async () => {
			const { status, report } = await runNotebook(env);
			expect(report.cells.filter((c) => c.status !== 'ok').map((c) => [c.id, c.error])).toEqual([]);
			expect(status).toBe(0);
			expect(cell(report, 'judged_sets').rows.map((r) => [r.labelled_set, r.judged_by])).toEqual([
				['pearce', ''],
				['sven-dev', 'rules'],
				['sven-held-out', 'rules']
			]);
			const metrics = cell(report, 'judge_metrics').rows;
			const figure = (set: string, grp: string, metric: string) => metrics.find((r) => r.labelled_set === set && r.grp === grp && r.metric === metric)!;
			// the same verdicts, scored by the bench's scorer
			const { createTreeRuleJudge } = await import('../../../src/lib/judges/rules/judge.ts');
			const judge = await createTreeRuleJudge();
			for (const split of ['dev', 'held-out'] as const) {
				const rows = programs
					.filter((p) => p.split === split)
					.map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: judge.judge({ code: p.code, language: p.language as 'c' | 'python', cwe: p.cwe }).vulnerable, status: 'ok' as const }));
				for (const score of scoreSet(rows)) {
					const set = `sven-${split}`;
					const c = figure(set, score.group, 'consistency');
					expect(c.n, `${set} ${score.group}`).toBe(score.score.n);
					shownAs(c.value, score.score.consistency, 1);
					expect(Number(c.low)).toBeLessThanOrEqual(Number(c.value));
					expect(Number(c.high)).toBeGreaterThanOrEqual(Number(c.value));
					shownAs(figure(set, score.group, 'Diff').value, score.score.diff, 1);
					shownAs(figure(set, score.group, 'kappa').value, score.score.kappa, 2);
					if (Number.isFinite(score.tpr)) shownAs(figure(set, score.group, 'TPR').value, score.tpr, 1);
					if (score.pairs > 0) {
						const pair = figure(set, score.group, 'pair accuracy');
						expect(pair.of_n).toBe(score.pairs);
						shownAs(pair.value, score.pair_accuracy, 1);
					}
				}
			}
		});
	});

	describe('a user`s own labelled set, named as imported, paired by pair_id', () => {
		const work3 = mkdtempSync(join(tmpdir(), 'covw-judges-real-own-'));
		const env3 = { COVW_DATA: join(work3, 'datasets'), COVW_RUNS: join(work3, 'runs'), COVW_CACHE: join(work3, 'cache') };
		mkdirSync(env3.COVW_DATA, { recursive: true });
		afterAll(() => rmSync(work3, { recursive: true, force: true }));
		// Our own programs: two before/after pairs whose ids say nothing of the pair (as PrimeVul's
		// do not), and one program with no pair.
		const programs = [
			{ id: 'mine-100', pair_id: 'commit-a', cwe: 'CWE-89', language: 'python', label: 'vulnerable', code: 'def find(db, name):\n    return db.execute("SELECT * FROM people WHERE name = \'" + name + "\'")\n' },
			{ id: 'mine-101', pair_id: 'commit-a', cwe: 'CWE-89', language: 'python', label: 'secure', code: 'def find(db, name):\n    return db.execute("SELECT * FROM people WHERE name = ?", (name,))\n' },
			{ id: 'mine-200', pair_id: 'commit-b', cwe: 'CWE-787', language: 'c', label: 'vulnerable', code: '#include <string.h>\nvoid keep(char *dst, const char *src) {\n  char box[8];\n  strcpy(box, src);\n  memcpy(dst, box, 8);\n}\n' },
			{ id: 'mine-201', pair_id: 'commit-b', cwe: 'CWE-787', language: 'c', label: 'secure', code: '#include <string.h>\nvoid keep(char *dst, const char *src) {\n  char box[8];\n  strncpy(box, src, sizeof box - 1);\n  box[7] = 0;\n  memcpy(dst, box, 8);\n}\n' },
			{ id: 'mine-300', cwe: 'CWE-78', language: 'python', label: 'vulnerable', code: 'import os\ndef show(path):\n    os.system("cat " + path)\n' }
		];
		beforeAll(async () => {
			const file = join(work3, 'own.jsonl');
			writeFileSync(file, programs.map((p) => JSON.stringify(p)).join('\n') + '\n');
			expect(await importCommand.run(fakeContext(['--labelled', 'own', file], { root, cwd: root, env: env3 }))).toBe(0);
			expect(await judgeCommand.run(fakeContext(['--items', 'own', '--judge', 'rules'], { root, cwd: root, env: env3 }))).toBe(0);
		}, 120_000);

		it('reports the set by its name, per CWE and language with n, pairs from the pair ids', async () => {
			const { status, report } = await runNotebook(env3);
			expect(report.cells.filter((c) => c.status !== 'ok').map((c) => [c.id, c.error])).toEqual([]);
			expect(status).toBe(0);
			expect(cell(report, 'judged_sets').rows.map((r) => [r.labelled_set, r.judged_by])).toEqual([
				['own', 'rules'],
				['pearce', ''],
				['sven-dev', ''],
				['sven-held-out', '']
			]);
			const verdicts = cell(report, 'real_verdicts').rows;
			expect(verdicts.map((r) => [r.item_id, r.pair]).sort()).toEqual([
				['own/mine-100', 'pair:commit-a'],
				['own/mine-101', 'pair:commit-a'],
				['own/mine-200', 'pair:commit-b'],
				['own/mine-201', 'pair:commit-b'],
				['own/mine-300', 'item:own/mine-300']
			]);
			const table = cell(report, 'judge_table').rows.filter((r) => r.labelled_set === 'own');
			expect(table.map((r) => [r.grp, r.n])).toEqual([
				['overall', 5],
				['lang:c', 2],
				['lang:python', 3],
				['CWE-78', 1],
				['CWE-787', 2],
				['CWE-89', 2]
			]);
			// pair accuracy: of the two pairs, those whose before is called vulnerable and after secure
			const verdictOf = new Map(verdicts.map((r) => [r.item_id, r.vulnerable]));
			const good = [['own/mine-100', 'own/mine-101'], ['own/mine-200', 'own/mine-201']].filter(([b, a]) => verdictOf.get(b) === true && verdictOf.get(a) === false).length;
			const pairs = cell(report, 'judge_metrics').rows.find((r) => r.labelled_set === 'own' && r.grp === 'overall' && r.metric === 'pair accuracy')!;
			expect(pairs.of_n).toBe(2);
			shownAs(pairs.value, (100 * good) / 2, 1);
			const consistency = cell(report, 'judge_metrics').rows.find((r) => r.labelled_set === 'own' && r.grp === 'overall' && r.metric === 'consistency')!;
			const agree = programs.filter((p) => verdictOf.get(`own/${p.id}`) === (p.label === 'vulnerable')).length;
			shownAs(consistency.value, (100 * agree) / 5, 1);
			// 5 programs: κ and Diff are shown without an interval (a normal approximation collapses there)
			const small = cell(report, 'judge_metrics').rows.filter((r) => r.labelled_set === 'own' && r.grp === 'overall' && (r.metric === 'kappa' || r.metric === 'Diff'));
			expect(small.map((r) => [r.metric, r.low, r.high])).toEqual([['kappa', null, null], ['Diff', null, null]]);
			expect(cell(report, 'judge_table').rows.find((r) => r.labelled_set === 'own' && r.grp === 'overall')!.diff).toMatch(/^[+-]\d+\.\d \[n < 10: no interval\]$/);
			// one program of CWE-78: one label, one answer; κ says nothing there and the table says why
			expect(table.find((r) => r.grp === 'CWE-78')!.kappa).toMatch(/^— \(the (judge gave one answer on every program|labels are all one class)\)$/);
		});
	});

	describe('coverage: every judge with a run on a set, with n and not scored', () => {
		const work2 = mkdtempSync(join(tmpdir(), 'covw-judges-real-cov-'));
		const env2 = { COVW_DATA: join(work2, 'datasets'), COVW_RUNS: join(work2, 'runs'), COVW_CACHE: join(work2, 'cache') };
		mkdirSync(env2.COVW_DATA, { recursive: true });
		afterAll(() => rmSync(work2, { recursive: true, force: true }));
		// Four programs of sven-held-out (two pairs): rules judges all four, clang fails on both C
		// programs (error rows only), the ensemble has a verdict on two of four.
		const programs = [
			{ id: 'sven-held-out/p1-before', cwe: 'CWE-787', language: 'c', label: 'vulnerable' },
			{ id: 'sven-held-out/p1-after', cwe: 'CWE-787', language: 'c', label: 'non_vulnerable' },
			{ id: 'sven-held-out/p2-before', cwe: 'CWE-89', language: 'python', label: 'vulnerable' },
			{ id: 'sven-held-out/p2-after', cwe: 'CWE-89', language: 'python', label: 'non_vulnerable' }
		];
		function plant(judge: string, rows: { status: RowStatus; vulnerable: boolean | null }[], only?: string, run = 'held-out', ids?: string[]) {
			const chosen = programs.filter((p) => (!only || p.language === only) && (!ids || ids.includes(p.id)));
			writeDirectRun({
				runsDir: env2.COVW_RUNS,
				runId: `judge-${judge.replace(/[^a-z0-9-]/gi, '-')}-${run}`,
				kind: 'judge',
				params: { kind: 'judge', judge, items: 'sven-held-out' },
				datasetHash: null,
				units: chosen.map((p, i) => ({
					id: `${judge}-${i}`,
					sample: 0,
					meta: { target_id: p.id, item_id: p.id, judge, task: 'reference', cwe: p.cwe, language: p.language, label: p.label, label_class: p.label === 'vulnerable' ? p.cwe : 'non_vulnerable' },
					compute: () => ({ status: rows[i].status, response: null, error: rows[i].status === 'ok' ? null : 'clang failed', fields: { vulnerable: rows[i].vulnerable } })
				}))
			});
		}
		beforeAll(() => {
			plant('rules', [{ status: 'ok', vulnerable: true }, { status: 'ok', vulnerable: false }, { status: 'ok', vulnerable: true }, { status: 'ok', vulnerable: true }]);
			plant('clang', [{ status: 'error', vulnerable: null }, { status: 'error', vulnerable: null }], 'c');
			plant('ensemble:any:rules+clang', [{ status: 'error', vulnerable: null }, { status: 'error', vulnerable: null }, { status: 'ok', vulnerable: true }, { status: 'ok', vulnerable: false }]);
			// An older run of a judge judged both C programs; its latest run (another version of the
			// judge: an analyzer that now skips a CWE, say) judges one.
			plant('flawfinder', [{ status: 'ok', vulnerable: false }, { status: 'ok', vulnerable: false }], 'c', 'a-older');
			plant('flawfinder', [{ status: 'ok', vulnerable: true }], 'c', 'b-latest', ['sven-held-out/p1-before']);
		});

		it('counts a judge by its latest run only: programs only an older run judged are left out', async () => {
			const { report } = await runNotebook(env2);
			const flawfinder = cell(report, 'judge_table').rows.find((r) => r.grp === 'overall' && r.judge === 'flawfinder')!;
			expect([flawfinder.n, flawfinder.not_scored, flawfinder.programs]).toEqual([1, 0, 1]);
		});

		it('keeps an all-error judge in the table and both plots, and shows n beside every figure', async () => {
			const { status, report } = await runNotebook(env2);
			expect(report.cells.filter((c) => c.status !== 'ok').map((c) => [c.id, c.error])).toEqual([]);
			expect(status).toBe(0);
			const overall = cell(report, 'judge_table').rows.filter((r) => r.grp === 'overall' && r.judge !== 'flawfinder');
			expect(overall.map((r) => [r.judge, r.n, r.not_scored, r.programs, r.coverage])).toEqual([
				['clang', 0, 2, 2, 'no verdict: all 2 not scored'],
				['ensemble:any:rules+clang', 2, 2, 4, 'scored on 2 of 4 (50%)'],
				['rules', 4, 0, 4, '']
			]);
			expect(overall[0].consistency).toBeNull();
			expect(overall[2].consistency).toBe('75.0 [30.1, 95.4]');
			// the consistency plot's rows: clang's say it has no verdict, the others carry n
			const byLanguage = cell(report, 'consistency_by_language').rows;
			const clangAll = byLanguage.find((r) => r.judge === 'clang' && r.scope === 'all')!;
			expect(clangAll).toMatchObject({ value: null, no_verdict: 'n=0: no verdict, 2 not scored', no_verdict_x: 0 });
			expect(byLanguage.find((r) => r.judge === 'ensemble:any:rules+clang' && r.scope === 'all')).toMatchObject({ n_label: 'n=2 of 4' });
			expect(byLanguage.find((r) => r.judge === 'rules' && r.scope === 'all')).toMatchObject({ n_label: 'n=4' });
			// the per-CWE heatmap: an "n judged" row per judge and a "–" where a judge gave no verdict
			const perCwe = cell(report, 'cwe_consistency').rows;
			const nRow = (judge: string) => perCwe.find((r) => r.judge === judge && r.cwe === 'n judged')!.value_label;
			expect([nRow('clang'), nRow('ensemble:any:rules+clang'), nRow('rules')]).toEqual(['0\nof 2', '2\nof 4', '4']);
			expect(perCwe.find((r) => r.judge === 'clang' && r.cwe === 'CWE-787')).toMatchObject({ value_label: '–', n: 0, not_scored: 2 });
		});
	});
});

describe('judges-real per-CWE heatmap: a column only where a judge ran on the set', { timeout: 200_000 }, () => {
	const work = mkdtempSync(join(tmpdir(), 'covw-judges-real-cols-'));
	const env = { COVW_DATA: join(work, 'datasets'), COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache') };
	mkdirSync(env.COVW_DATA, { recursive: true });
	afterAll(() => rmSync(work, { recursive: true, force: true }));
	// Two sets of our own, each judged by a judge the other never saw (rules on set-a, flawfinder
	// on set-b), and rules on set-b too.
	function plant(set: string, judge: string) {
		const programs = [
			{ id: `${set}/p1-before`, cwe: 'CWE-787', language: 'c', label: 'vulnerable' },
			{ id: `${set}/p1-after`, cwe: 'CWE-787', language: 'c', label: 'non_vulnerable' }
		];
		writeDirectRun({
			runsDir: env.COVW_RUNS,
			runId: `judge-${judge}-${set}`,
			kind: 'judge',
			params: { kind: 'judge', judge, items: set },
			datasetHash: null,
			units: programs.map((p, i) => ({
				id: `${judge}-${set}-${i}`,
				sample: 0,
				meta: { target_id: p.id, item_id: p.id, judge, task: 'reference', cwe: p.cwe, language: p.language, label: p.label, label_class: p.label === 'vulnerable' ? p.cwe : 'non_vulnerable' },
				compute: () => ({ status: 'ok' as RowStatus, response: null, error: null, fields: { vulnerable: i === 0 } })
			}))
		});
	}
	beforeAll(() => {
		plant('set-a', 'rules');
		plant('set-b', 'flawfinder');
		plant('set-b', 'rules');
	});

	it('the plot draws one x value per (set, judge) that ran, in one plot with no shared facet domain', async () => {
		const { status, report } = await runNotebook(env);
		expect(status).toBe(0);
		const rows = cell(report, 'cwe_consistency').rows;
		const columns = [...new Set(rows.map((r) => r.set_judge))].sort();
		// No 'set-a · flawfinder': flawfinder never ran on set-a.
		expect(columns).toEqual(['set-a · rules', 'set-b · flawfinder', 'set-b · rules']);
		// The spec reads those columns as x, with no fx facet (Plot's facets share the x domain, so a
		// facet per set would give set-a an empty flawfinder column).
		const text = readFileSync(join(root, 'notebooks/judges-real.md'), 'utf8');
		const spec = JSON.parse(/```plot id=cwe_plot[^\n]*\n([\s\S]*?)\n```/.exec(text)![1]);
		expect(spec.fx).toBeUndefined();
		for (const mark of spec.marks) {
			expect(mark.x).toBe('set_judge');
			expect(mark.fx).toBeUndefined();
			expect(mark.fy).toBeUndefined();
		}
	});
});
