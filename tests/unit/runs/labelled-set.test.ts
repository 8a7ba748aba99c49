// A user's labelled programs as a named item set, end to end: import (our fixture,
// tests/fixtures/import/labelled.jsonl), judge with the rule judge, report TPR/TNR/κ/pairs;
// bad records and unsupported languages listed and counted; an existing set never overwritten.
// Then SVEN's real pairs (../shared/sven, MIT) when present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importLabelledSet, loadLabelledSet } from '../../../src/lib/runs/import/labelled-set.ts';
import { labelledReport } from '../../../src/lib/runs/import/labelled-report.ts';
import { problemText } from '../../../src/lib/runs/import/types.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import type { ItemSet } from '../../../src/lib/core/items/item.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { fakeContext } from '../cli/fake-context.ts';

const FIX = resolve(__dirname, '../../fixtures/import');
const SVEN = resolve(__dirname, '../../../../shared/sven/train.jsonl');
let work: { path: string; remove: () => void };
let dataDir: string;
let runsDir: string;

beforeAll(() => {
	work = tempDir('covw-labelled-');
	dataDir = join(work.path, 'data');
	runsDir = join(work.path, 'runs');
});
afterAll(() => work.remove());

describe('a labelled set from our fixture', () => {
	it('imports the good programs, lists bad ones by line and field, counts unsupported languages', async () => {
		const { meta, written } = await importLabelledSet({ dataDir, path: join(FIX, 'labelled.jsonl'), name: 'mine' });
		expect(written).toBe(true);
		expect(meta).toMatchObject({ name: 'mine', format: 'covw', records: 9, programs: 9, items: 6, vulnerable: 3, secure: 3, pairs: 3, unsupported: { 'c++': 1 }, not_imported: { label: 1, empty: 1 } });
		const text = meta.problems.map(problemText);
		expect(text).toEqual([
			expect.stringMatching(/labelled\.jsonl:7: field "language": "c\+\+" is a language no judge reads/),
			expect.stringMatching(/labelled\.jsonl:8: field "label": must be "vulnerable" or "secure", got "maybe"/),
			expect.stringMatching(/labelled\.jsonl:9: field "code": missing or empty for empty-1; program not imported/)
		]);
		const set = (await loadLabelledSet(dataDir, 'mine'))!;
		expect(set.items.find((i) => i.item_id === 'mine/cmd-1-before')).toMatchObject({ cwe: 'CWE-78', label: 'vulnerable', label_class: 'CWE-78', scenario: 'cmd-1', set: 'mine', task: 'reference' });
	});

	it('is never overwritten by another file of the same name; the same file again is a no-op', async () => {
		await expect(importLabelledSet({ dataDir, path: join(FIX, 'plain-answers.csv'), name: 'mine' })).rejects.toThrow(/labelled set "mine" exists already .* not overwritten/);
		expect((await importLabelledSet({ dataDir, path: join(FIX, 'labelled.jsonl'), name: 'mine' })).written).toBe(false);
		await expect(importLabelledSet({ dataDir, path: join(FIX, 'labelled.jsonl'), name: 'pearce' })).rejects.toThrow(/is a benchmark set/);
	});

	it('is judged by the rule judge and reported: TPR, TNR, kappa, pair accuracy, per CWE and language', async () => {
		const set = (await loadLabelledSet(dataDir, 'mine'))!;
		const out = await runJudge({ runsDir, judge: 'rules', itemSet: 'mine' as ItemSet, items: set.items, onWarning: () => {} });
		expect(out.targets).toBe(6);
		const report = labelledReport(readRun(runsDir, out.runId)!, set);
		expect(report.unsupported).toEqual({ 'c++': 1 });
		const j = report.judges[0];
		expect(j.judge).toBe('rules');
		expect(j.overall.n).toBe(6);
		const { tp, fn, tn, fp } = j.overall;
		expect(tp + fn).toBe(3);
		expect(tn + fp).toBe(3);
		expect(j.overall.tpr).toBeCloseTo((100 * tp) / 3, 10);
		expect(j.overall.tnr).toBeCloseTo((100 * tn) / 3, 10);
		expect(j.per_cwe.map((g) => g.group)).toEqual(['CWE-78', 'CWE-89', 'CWE-787']);
		expect(j.per_language.map((g) => [g.group, g.score.n])).toEqual([['c', 2], ['python', 4]]);
		expect(j.pairs).toMatchObject({ n: 3, n_incomplete: 0 });
		// Intervals: Wilson on every proportion, so 2 of 2 or 0 of 1 keeps its width (a bootstrap
		// of a handful collapses to [100, 100] / [0, 0]); kappa and Diff withheld under 10 programs.
		expect(report.intervals).toMatch(/Wilson score for consistency, TPR, TNR and pair accuracy; bootstrap .* for kappa and Diff, withheld under 10 programs/);
		for (const g of [j.overall, ...j.per_cwe.map((c) => c.score), ...j.per_language.map((c) => c.score)]) {
			for (const i of [g.consistency_ci, g.tpr_ci, g.tnr_ci].filter((i) => Number.isFinite(i.estimate))) {
				expect(i.note).toBe('Wilson score interval');
				expect(i.high - i.low).toBeGreaterThan(20);
				expect(i.low).toBeLessThanOrEqual(i.estimate);
				expect(i.high).toBeGreaterThanOrEqual(i.estimate);
			}
			expect(g.kappa_ci).toMatchObject({ low: NaN, high: NaN, note: expect.stringMatching(/fewer than 10 programs/) });
			expect(g.diff_ci).toMatchObject({ low: NaN, high: NaN, note: expect.stringMatching(/fewer than 10 programs/) });
		}
		expect(j.pairs!.ci.note).toBe('Wilson score interval');
		expect(j.pairs!.ci.high - j.pairs!.ci.low).toBeGreaterThan(20);
		// Each pair is right iff both its sides are: count them from the verdict rows.
		const rows = readRun(runsDir, out.runId)!.rows;
		const v = (id: string) => rows.find((r) => r.meta.item_id === `mine/${id}`)!.meta.vulnerable;
		const right = ['sql-1', 'cmd-1', 'copy-1'].filter((p) => v(`${p}-before`) === true && v(`${p}-after`) === false).length;
		expect(j.pairs!.correct).toBe(right);

		// The evaluators notebook's labelled-set cells agree with the report.
		const root = resolve(__dirname, '../../..');
		const ctx = fakeContext(['notebooks/evaluators.md', '--json', '--cell', 'labelled_agreement'], { root, cwd: root, env: { COVW_DATA: dataDir, COVW_RUNS: runsDir } });
		expect(await notebookRunCommand.run(ctx)).toBe(0);
		const cell = JSON.parse(ctx.out.join('')).cells.find((c: { id: string }) => c.id === 'labelled_agreement');
		expect(cell.rows).toEqual([
			expect.objectContaining({ labelled_set: 'mine', judge: 'rules', n: 6, consistency: Number(j.overall.consistency.toFixed(2)), tpr: Number(j.overall.tpr.toFixed(2)), tnr: Number(j.overall.tnr.toFixed(2)) })
		]);
	}, 60_000);
});

describe('a program of a CWE outside the 18', () => {
	it('is not applicable to the rule judge: no row, counted apart from other languages, never an error', async () => {
		const set = (await loadLabelledSet(dataDir, 'mine'))!;
		const odd = { ...set.items[0], item_id: 'mine/tmp-1', cwe: 'CWE-377' } as (typeof set.items)[number];
		const out = await runJudge({ runsDir: join(work.path, 'runs-377'), judge: 'rules', itemSet: 'mine' as ItemSet, items: [...set.items, odd], onWarning: () => {} });
		expect(out).toMatchObject({ targets: 7, outside: 1, otherLanguage: 0, notApplicable: 1 });
		const rows = readRun(join(work.path, 'runs-377'), out.runId)!.rows;
		expect(rows.map((r) => r.meta.item_id)).not.toContain('mine/tmp-1');
		expect(rows.filter((r) => r.status === 'error')).toEqual([]);
	});
});

describe.skipIf(!existsSync(SVEN))('SVEN train.jsonl (../shared/sven)', () => {
	it('imports 1,330 C/Python programs (665 pairs) and counts the 100 C++ ones (50 pairs) as unsupported', async () => {
		const { meta } = await importLabelledSet({ dataDir, path: SVEN, name: 'sven' });
		expect(meta).toMatchObject({ format: 'covw', records: 1430, programs: 1430, items: 1330, vulnerable: 665, secure: 665, pairs: 665, unsupported: { 'c++': 100 }, not_imported: {} });
		// SVEN holds one function text twice, once as a "before" and once as another pair's "after": both come in, counted.
		expect(meta.conflicting_labels).toBe(1);
		expect(meta.problems.filter((p) => p.field !== 'language')).toEqual([]);
		expect(meta.notes.map((p) => p.message)).toEqual([expect.stringMatching(/^the same code as .*; imported, counted as a conflicting label$/)]);
		const set = (await loadLabelledSet(dataDir, 'sven'))!;
		const out = await runJudge({ runsDir, judge: 'rules', itemSet: 'sven' as ItemSet, items: set.items, onWarning: () => {} });
		const report = labelledReport(readRun(runsDir, out.runId)!, set);
		expect(report.judges[0].overall.n + report.judges[0].overall.n_unparsed + report.judges[0].overall.n_error).toBe(1330);
		expect(report.judges[0].pairs!.n + report.judges[0].pairs!.n_incomplete).toBe(665);
		// Enough programs: kappa and Diff keep their bootstrap interval.
		expect(report.judges[0].overall.kappa_ci.low).toBeLessThan(report.judges[0].overall.kappa_ci.high);
		expect(report.judges[0].overall.diff_ci.note).toBeUndefined();
	}, 120_000);
});
if (!existsSync(SVEN)) console.warn(`skipping the SVEN labelled-set test: ${SVEN} is absent`);
