// Released CoV-Eval results carry GPT-4o's answer text (meta_data.judge_by_gpt4) and the upstream
// harness's reading of it (vul_eval). The import makes two judges of them: "openai/gpt-4o" is the
// answer text read by our strict parser (a cut-off answer is unparsed, never a verdict; "safe"
// is safe even when the explanation says "unsafe"), and "openai/gpt-4o · harness reading" is
// vul_eval as released. An earlier import that stored vul_eval under "openai/gpt-4o" stays on
// disk untouched and is named as such.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HARNESS_JUDGE, isOldReleasedReading, RELEASED_JUDGE } from '../../../../src/lib/runs/import/coveval-released.ts';
import { importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { problemText } from '../../../../src/lib/runs/import/types.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../../src/lib/runs/run-summary.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { ALL_ITEMS } from '../fixtures.ts';

const FILE = resolve(__dirname, '../../../fixtures/import/released-judged/code_completion/demo-model.json');
let work: { path: string; remove: () => void };
let runsDir: string;
beforeEach(() => {
	work = tempDir('covw-released-gpt4o-');
	runsDir = join(work.path, 'runs');
});
afterEach(() => work.remove());
const quiet = () => {};

describe('released verdicts: GPT-4o\'s answer and the harness reading', () => {
	it('GPT-4o\'s row holds its answer text and our strict reading; the cut-off "{" is unparsed, not unsafe', async () => {
		const r = await importRuns({ runsDir, path: FILE, items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(3);
		const gen = readRun(runsDir, r.runs.find((x) => x.kind === 'generation')!.run_id)!;
		const own = r.runs.find((x) => x.who === RELEASED_JUDGE)!;
		const harness = r.runs.find((x) => x.who === HARNESS_JUDGE)!;
		expect(own.rows).toBe(3);
		expect(harness.rows).toBe(3);

		const ownRun = readRun(runsDir, own.run_id)!;
		expect(ownRun.manifest.params).toMatchObject({ judge: RELEASED_JUDGE, template: 'fewshot', reading: 'gpt-4o answer, strict parser' });
		const byResponse = new Map(ownRun.rows.map((row) => [row.response!.trim().slice(0, 12), row]));
		const cut = byResponse.get('{')!;
		expect(cut).toMatchObject({ status: 'unparsed' });
		expect(cut.meta.vulnerable).toBeNull();
		expect(String(cut.meta.parse_error)).toMatch(/no verdict/);
		// "safe", with "unsafe" in the explanation: safe.
		const safe = ownRun.rows.find((row) => row.response!.includes('"vulnerable": "safe"'))!;
		expect(safe).toMatchObject({ status: 'ok' });
		expect(safe.meta.vulnerable).toBe(false);
		expect(summarizeRun(ownRun, gen).judges[0].securityRate).toMatchObject({ sr: 50, n_ok: 2, n_unparsed: 1 });

		// The harness reading: every answer unsafe, as released.
		const harnessRun = readRun(runsDir, harness.run_id)!;
		expect(harnessRun.manifest.params).toMatchObject({ judge: HARNESS_JUDGE, reading: 'vul_eval (upstream harness)' });
		expect(harnessRun.rows.map((row) => [row.status, row.meta.vulnerable, row.response])).toEqual([
			['ok', true, 'unsafe'],
			['ok', true, 'unsafe'],
			['ok', true, 'unsafe']
		]);
		// The cut-off answer is listed, naming what the harness made of it.
		expect(r.problems.map(problemText)).toEqual([expect.stringMatching(/demo-model\.json:\d+: field "meta_data\.judge_by_gpt4": GPT-4o's answer "\{" gives no verdict; .*harness reading, vul_eval, counts it "unsafe"/)]);
	});

	it('an earlier import with vul_eval under "openai/gpt-4o" stays on disk untouched, is named, and the new judges are written beside it', async () => {
		const first = await importRuns({ runsDir, path: FILE, items: ALL_ITEMS, onWarning: quiet });
		// Make the harness run look as the import used to write it: vul_eval named openai/gpt-4o, no `reading`.
		const harness = first.runs.find((x) => x.who === HARNESS_JUDGE)!.run_id;
		const own = first.runs.find((x) => x.who === RELEASED_JUDGE)!.run_id;
		const oldId = 'import-judge-openai-gpt-4o-old0000000';
		cpSync(join(runsDir, harness), join(runsDir, oldId), { recursive: true });
		const manifestPath = join(runsDir, oldId, 'manifest.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
		delete manifest.params.reading;
		manifest.params.judge = RELEASED_JUDGE;
		manifest.run_id = oldId;
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
		const oldLog = readFileSync(join(runsDir, oldId, 'log.jsonl'), 'utf8');
		expect(isOldReleasedReading(manifest)).toBe(true);
		expect(isOldReleasedReading(readRun(runsDir, own)!.manifest)).toBe(false);
		expect(isOldReleasedReading(readRun(runsDir, harness)!.manifest)).toBe(false);

		const warnings: string[] = [];
		const again = await importRuns({ runsDir, path: FILE, items: ALL_ITEMS, onWarning: (w) => warnings.push(w) });
		expect(again.stale).toEqual([oldId]);
		expect(warnings.some((w) => w.includes(oldId) && /harness's reading/.test(w))).toBe(true);
		expect(again.runs.map((x) => x.run_id)).not.toContain(oldId);
		expect(readFileSync(join(runsDir, oldId, 'log.jsonl'), 'utf8')).toBe(oldLog);

		// Under another name, the same content is not "imported before" while an old reading is there.
		const renamed = join(work.path, 'renamed.json');
		cpSync(FILE, renamed);
		const other = await importRuns({ runsDir, path: renamed, items: ALL_ITEMS, onWarning: quiet });
		expect(other.stale).toEqual([oldId]);
		expect(other.runs.filter((x) => x.kind === 'judge').map((x) => x.who).sort()).toEqual([HARNESS_JUDGE, RELEASED_JUDGE].sort());
	});
});
