// covw import of verdicts whose grading FAILED (the red-team trial): a promptfoo entry with
// failureReason 2 and an `error` ("grader request timed out"), its gradingResult pass:false, came
// in as an ok row with vulnerable = true. An errored grading is a status ('error', with the
// source's message), never a verdict, and it is listed as a problem; the answer itself still
// comes in. The same for an Inspect AI sample that errored (its scores carry no verdict). A
// failed assertion (promptfoo failureReason 1, whose `error` is the assertion's reason) stays a
// verdict.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { isLegacyCarriedRun } from '../../../../src/lib/runs/import/carried-legacy.ts';
import { problemText } from '../../../../src/lib/runs/import/types.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { ALL_ITEMS, COMPLETION_ITEMS } from '../fixtures.ts';

const quiet = () => {};
let work: { path: string; remove: () => void };
let runsDir: string;
beforeEach(() => {
	work = tempDir('covw-grading-errors-');
	runsDir = join(work.path, 'runs');
});
afterEach(() => work.remove());

const FENCE = '```';
const PROGRAM = `${FENCE}python\nimport subprocess\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n${FENCE}`;

/** The judge run's rows by item: [status, vulnerable, error]. */
function judgeRows(r: Awaited<ReturnType<typeof importRuns>>): Map<string, [string, unknown, string | null]> {
	const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
	return new Map(judge.rows.map((row) => [String(row.meta.item_id), [row.status, row.meta.vulnerable ?? null, row.error ?? null]]));
}

describe('an errored grading is a status, never a verdict', () => {
	it('promptfoo: failureReason 2 is an error row and a problem; failureReason 1 stays a verdict', async () => {
		const entry = (i: number, extra: Record<string, unknown>) => ({
			vars: { item_id: COMPLETION_ITEMS[i].item_id },
			provider: { id: 'openai:chat:m', label: 'm' },
			response: { output: PROGRAM },
			...extra
		});
		const results = [
			entry(0, { success: false, failureReason: 2, error: 'Error: the rubric grader timed out after 60000ms', score: 0, gradingResult: { pass: false, score: 0, reason: 'Error: the rubric grader timed out after 60000ms' } }),
			entry(1, { success: false, failureReason: 1, error: 'Expected output not to call a shell', score: 0, gradingResult: { pass: false, score: 0, reason: 'Expected output not to call a shell' } }),
			entry(2, { success: true, failureReason: 0, score: 1, gradingResult: { pass: true, score: 1, reason: 'ok' } })
		];
		const path = join(work.path, 'pf.json');
		writeFileSync(path, JSON.stringify({ evalId: 'e', results: { version: 3, results } }, null, 2));
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(3);
		const rows = judgeRows(r);
		expect(rows.get(COMPLETION_ITEMS[0].item_id)).toEqual(['error', null, expect.stringMatching(/grading error: Error: the rubric grader timed out/)]);
		expect(rows.get(COMPLETION_ITEMS[1].item_id)).toEqual(['ok', true, null]);
		expect(rows.get(COMPLETION_ITEMS[2].item_id)).toEqual(['ok', false, null]);
		const listed = r.problems.map(problemText);
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatch(/pf\.json:\d+: field "results\.results\[0\]\.failureReason": promptfoo grading error: .*timed out.*not a verdict/);
	});

	it('Inspect AI: a sample that errored gives error rows for its scores, listed; the others are verdicts', async () => {
		const samples = [0, 1, 2].map((i) => ({
			id: COMPLETION_ITEMS[i].item_id,
			epoch: 1,
			output: { model: 'm', choices: [{ message: { role: 'assistant', content: PROGRAM } }], ...(i === 1 ? { error: 'model call failed: 500' } : {}) },
			scores: { security: { value: 'I' } },
			...(i === 0 ? { error: { message: 'RuntimeError: the scorer could not reach its grader', traceback: '…' } } : {})
		}));
		const path = join(work.path, 'inspect.json');
		writeFileSync(path, JSON.stringify({ version: 2, status: 'success', eval: { model: 'm', task: 't' }, samples }, null, 2));
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		const rows = judgeRows(r);
		expect(rows.get(COMPLETION_ITEMS[0].item_id)).toEqual(['error', null, expect.stringMatching(/Inspect sample error: RuntimeError: the scorer could not reach/)]);
		expect(rows.get(COMPLETION_ITEMS[1].item_id)).toEqual(['error', null, expect.stringMatching(/model call failed: 500/)]);
		expect(rows.get(COMPLETION_ITEMS[2].item_id)).toEqual(['ok', true, null]);
		expect(r.problems.map(problemText)).toEqual([
			expect.stringMatching(/inspect\.json:\d+: field "samples\[0\]\.error": the sample errored \(RuntimeError: .*\); its scores are error rows, not verdicts/),
			expect.stringMatching(/inspect\.json:\d+: field "samples\[1\]\.error": the sample errored \(model call failed: 500\)/)
		]);
	});

	it('plain CSV: a row with an error keeps its answer; its vulnerable value is an error row, listed', async () => {
		const q = (t: string) => `"${t.replace(/"/g, '""')}"`;
		const path = join(work.path, 'plain.csv');
		writeFileSync(path, ['item_id,model,response,vulnerable,judge,error', `${COMPLETION_ITEMS[0].item_id},m,${q(PROGRAM)},yes,reviewer,grader quota exceeded`, `${COMPLETION_ITEMS[1].item_id},m,${q(PROGRAM)},yes,reviewer,`].join('\n') + '\n');
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(2);
		const rows = judgeRows(r);
		expect(rows.get(COMPLETION_ITEMS[0].item_id)).toEqual(['error', null, 'imported grading error: grader quota exceeded']);
		expect(rows.get(COMPLETION_ITEMS[1].item_id)).toEqual(['ok', true, null]);
		expect(r.problems.map(problemText)).toEqual([expect.stringMatching(/plain\.csv:2: field "error": the grading failed \(grader quota exceeded\)/)]);
	});

	// review C: false, 0, {}, [] and CSV None/nan/null were each read as "the grading failed"
	it('plain: an error of false, 0, "", {}, [] or CSV None/nan/null is no error', async () => {
		const none: unknown[] = [false, 0, '', {}, [], 'None', 'nan', 'null', ' NULL '];
		const json = join(work.path, 'plain.jsonl');
		writeFileSync(json, none.map((error, i) => JSON.stringify({ item_id: COMPLETION_ITEMS[0].item_id, sample: i, model: 'm', response: PROGRAM, vulnerable: i % 2 === 0, error })).join('\n') + '\n');
		const r = await importRuns({ runsDir, path: json, items: ALL_ITEMS, onWarning: quiet });
		expect(r.problems.map(problemText)).toEqual([]);
		const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(judge.rows.map((row) => [row.status, row.meta.vulnerable, row.error ?? null])).toEqual(none.map((_, i) => ['ok', i % 2 === 0, null]));
		const csv = join(work.path, 'plain.csv');
		const q = (t: string) => `"${t.replace(/"/g, '""')}"`;
		writeFileSync(csv, ['item_id,model,response,vulnerable,error,sample', ...['None', 'nan', 'null', 'false', '0'].map((e, i) => `${COMPLETION_ITEMS[0].item_id},m2,${q(PROGRAM)},yes,${e},${i}`)].join('\n') + '\n');
		const c = await importRuns({ runsDir, path: csv, items: ALL_ITEMS, onWarning: quiet });
		expect(c.problems.map(problemText)).toEqual([]);
		const cj = readRun(runsDir, c.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(cj.rows.map((row) => row.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
	});

	// review C: a judge run written before the fix (carried 2) kept its grading-error row as a verdict, and a re-import wrote nothing
	it('a run written under carried version 2 from a plain file is flagged, and importing the file again writes the corrected run', async () => {
		const q = (t: string) => `"${t.replace(/"/g, '""')}"`;
		const path = join(work.path, 'plain.csv');
		writeFileSync(path, ['item_id,model,response,vulnerable,judge,error', `${COMPLETION_ITEMS[0].item_id},m,${q(PROGRAM)},yes,reviewer,grader quota exceeded`, `${COMPLETION_ITEMS[1].item_id},m,${q(PROGRAM)},no,reviewer,`].join('\n') + '\n');
		const first = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		const now = first.runs.find((x) => x.kind === 'judge')!.run_id;
		// what the version-2 import wrote: carried 2, the failed grading an ok verdict
		const old = 'import-judge-reviewer-written-by-version-2';
		cpSync(join(runsDir, now), join(runsDir, old), { recursive: true });
		rmSync(join(runsDir, now), { recursive: true });
		const manifest = JSON.parse(readFileSync(join(runsDir, old, 'manifest.json'), 'utf8'));
		writeFileSync(join(runsDir, old, 'manifest.json'), JSON.stringify({ ...manifest, run_id: old, params: { ...manifest.params, carried: 2 } }));
		const log = readFileSync(join(runsDir, old, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
		writeFileSync(join(runsDir, old, 'log.jsonl'), log.map((row) => JSON.stringify(row.status === 'error' ? { ...row, status: 'ok', error: null, vulnerable: true } : row) + '\n').join(''));
		expect(isLegacyCarriedRun(JSON.parse(readFileSync(join(runsDir, old, 'manifest.json'), 'utf8')))).toBe(true);
		const warned: string[] = [];
		expect(readRun(runsDir, old, (m) => warned.push(m))!.rows.map((r) => r.status).sort()).toEqual(['ok', 'ok']);
		expect(warned).toEqual([expect.stringMatching(new RegExp(`run ${old} holds verdicts imported from a plain file .*Import the file again`))]);
		const again = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(again.stale).toEqual([old]);
		const judge = again.runs.find((x) => x.kind === 'judge')!;
		expect(judge.written).toBe(2);
		expect(judgeRows(again).get(COMPLETION_ITEMS[0].item_id)).toEqual(['error', null, 'imported grading error: grader quota exceeded']);
	});
});
