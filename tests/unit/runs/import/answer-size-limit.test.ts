// An imported answer longer than any function (1,000,000 characters, the limit labelled sets
// have) is a problem naming its line and field, not imported: a 100 MB answer would otherwise be
// in the generations table every notebook loads. The records around it come in as usual.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { MAX_CODE_CHARS, problemText } from '../../../../src/lib/runs/import/types.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { COMPLETION_ITEMS, ALL_ITEMS } from '../fixtures.ts';

let work: { path: string; remove: () => void };
beforeAll(() => {
	work = tempDir('covw-import-cap-');
});
afterAll(() => work.remove());

describe('imported answers are capped', () => {
	it('an answer over 1,000,000 characters is a problem on its line; the others are imported', async () => {
		const file = join(work.path, 'answers.jsonl');
		const record = (i: number, response: string) => JSON.stringify({ item_id: COMPLETION_ITEMS[i].item_id, model: 'cap-model', response, sample: 0 });
		writeFileSync(file, [record(0, 'x = 1'), record(1, 'y'.repeat(MAX_CODE_CHARS + 1)), record(2, 'z = 2')].join('\n') + '\n');
		const r = await importRuns({ runsDir: join(work.path, 'runs'), path: file, items: ALL_ITEMS, onWarning: () => {} });
		expect(r.imported).toBe(2);
		expect(r.problems.map(problemText)).toEqual([`${file}:2: field "response": ${MAX_CODE_CHARS + 1} characters, more than any answer (at most ${MAX_CODE_CHARS}); record not imported`]);
		const gen = readRun(join(work.path, 'runs'), r.runs.find((x) => x.kind === 'generation')!.run_id)!;
		expect(gen.rows.map((row) => row.meta.item_id).sort()).toEqual([COMPLETION_ITEMS[0].item_id, COMPLETION_ITEMS[2].item_id].sort());
		expect(Math.max(...gen.rows.map((row) => row.response!.length))).toBeLessThan(100);
	});
});
