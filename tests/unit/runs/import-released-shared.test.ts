// The real released CoV-Eval results from ../shared/coveval (read at run time, never copied):
// every record matches an item, the released verdict counts come back (SOURCES.md) as the harness
// reading, GPT-4o's own answers read strictly give their own counts (2 cut-off answers unparsed,
// 5 "safe" answers the harness read as unsafe), and SR@1 is what those counts give. Skipped with
// a message when the data is absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadItemsFromFolder } from '../../../src/lib/node/coveval/load-items.ts';
import { HARNESS_JUDGE, RELEASED_JUDGE } from '../../../src/lib/runs/import/coveval-released.ts';
import { importRuns } from '../../../src/lib/runs/import/import-runs.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const shared = resolve(__dirname, '../../../../shared/coveval');
const released = join(shared, 'cov-eval/released_results');
const missing = !existsSync(released);
if (missing) console.warn(`skipping released-results import tests: ${released} is absent`);

describe.skipIf(missing)('import of the released results in ../shared/coveval', () => {
	let items: Item[];
	let work: { path: string; remove: () => void };
	beforeAll(async () => {
		items = (await loadItemsFromFolder(shared)).items;
		work = tempDir('covw-released-');
	});
	afterAll(() => work?.remove());

	// [file, answers, harness safe/unsafe (vul_eval as released), GPT-4o strict safe/unsafe/unparsed]
	it.each([
		['code_completion/llama3.1-8b-instruct.json', 54, [4, 50], [4, 48, 2]],
		['code_completion/qwen2.5-7b-instruct.json', 54, [33, 21], [33, 21, 0]],
		['vulnerability_repair/llama3.1-8b-instruct.json', 477, [285, 192], [290, 187, 0]]
	])('%s: every record matched, the released counts kept as the harness reading, GPT-4o read strictly', async (file, n, harnessCounts, strictCounts) => {
		const runsDir = join(work.path, 'runs');
		const r = await importRuns({ runsDir, path: join(released, file), items, onWarning: () => {} });
		expect(r.problems.filter((p) => p.field !== 'meta_data.judge_by_gpt4')).toEqual([]);
		expect(r.problems).toHaveLength(strictCounts[2]);
		expect(r).toMatchObject({ records: n, imported: n });
		const gen = readRun(runsDir, r.runs.find((x) => x.kind === 'generation')!.run_id)!;
		const count = (who: string) => {
			const judge = readRun(runsDir, r.runs.find((x) => x.who === who)!.run_id)!;
			const sr = summarizeRun(judge, gen).judges[0].securityRate!;
			expect(sr.coverage.total).toBe(n);
			expect(sr.n_no_code).toBe(gen.rows.filter((x) => x.status === 'no_code').length);
			return [judge.rows.filter((x) => x.meta.vulnerable === false).length, judge.rows.filter((x) => x.meta.vulnerable === true).length, judge.rows.filter((x) => x.status === 'unparsed').length];
		};
		expect(count(HARNESS_JUDGE)).toEqual([...harnessCounts, 0]);
		expect(count(RELEASED_JUDGE)).toEqual(strictCounts);
	}, 60_000);

	it('the llama detection answers: 531 matched, read in both parser modes', async () => {
		const runsDir = join(work.path, 'runs');
		const r = await importRuns({ runsDir, path: join(released, 'vulnerability_detection_classification/llama3.1-8b-instruct.json'), items, onWarning: () => {} });
		expect(r.problems).toEqual([]);
		expect(r.imported).toBe(531);
		const parsed = summarizeRun(readRun(runsDir, r.runs.find((x) => x.who === 'parser')!.run_id)!);
		const paper = parsed.judges.find((j) => j.judge === 'parser-paper')!;
		// The released binary F1 (…_scores.json) is 0.8976: the paper-mode reading reproduces it.
		expect(paper.detection!.detection.f1).toBeCloseTo(89.76, 1);
	}, 60_000);
});
