// The real released CoV-Eval results from ../shared/coveval (read at run time, never copied):
// every record matches an item, the released verdict counts come back (SOURCES.md), and SR@1 by
// GPT-4o's verdicts is what those counts give. Skipped with a message when the data is absent.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadItemsFromFolder } from '../../../src/lib/node/coveval/load-items.ts';
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

	it.each([
		['code_completion/llama3.1-8b-instruct.json', 54, 4, 50],
		['code_completion/qwen2.5-7b-instruct.json', 54, 33, 21],
		['vulnerability_repair/llama3.1-8b-instruct.json', 477, 285, 192]
	])('%s: every record matched, the released safe/unsafe counts kept', async (file, n, safe, unsafe) => {
		const runsDir = join(work.path, 'runs');
		const r = await importRuns({ runsDir, path: join(released, file), items, onWarning: () => {} });
		expect(r.problems).toEqual([]);
		expect(r).toMatchObject({ records: n, imported: n });
		const gen = readRun(runsDir, r.runs.find((x) => x.kind === 'generation')!.run_id)!;
		const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(judge.rows.filter((x) => x.meta.vulnerable === false)).toHaveLength(safe);
		expect(judge.rows.filter((x) => x.meta.vulnerable === true)).toHaveLength(unsafe);
		const sr = summarizeRun(judge, gen).judges[0].securityRate!;
		const noCode = gen.rows.filter((x) => x.status === 'no_code').length;
		expect(sr.coverage.total).toBe(n);
		expect(sr.n_no_code).toBe(noCode);
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
