// figure5-evaluators' `human_agreement` cell on labels of our own: labels given through the label
// store (the files /label writes) on a run's answers (target_id = the answer's unit_id) and on a
// benchmark program (target_id = item_id), verdicts of two judges on the same targets, and the
// notebook run headless. Labels on answers count: the old recipe joined labels to items only and
// gave 0 rows for them.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import type { Label } from '../../../src/lib/core/labels/label.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { LabelStore } from '../../../src/lib/server/labels/label-store.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'covw-own-labels-'));
const data = join(work, 'datasets');
const runs = join(work, 'runs');
mkdirSync(data);
afterAll(() => rmSync(work, { recursive: true, force: true }));

let second = 0;
const label = (target_id: string, annotator: string, vulnerable: boolean): Label => ({
	target_id,
	annotator,
	vulnerable,
	cwe: null,
	other_cwe: false,
	skipped: false,
	note: '',
	at: new Date(Date.UTC(2026, 0, 1, 0, 0, ++second)).toISOString()
});

type Planted = [target: string, status: 'ok' | 'error', vulnerable: boolean | null];
function judgeRun(runId: string, judge: string, template: string | null, sourceRunId: string | null, rows: Planted[]): void {
	writeDirectRun({
		runsDir: runs,
		runId,
		kind: 'judge',
		params: { kind: 'judge', judge },
		datasetHash: null,
		units: rows.map(([target, status, vulnerable], i) => ({
			id: `${runId}-${i}`,
			sample: 0,
			meta: { target_id: target, item_id: sourceRunId ? 'item-9' : target, judge, template, ...(sourceRunId ? { source_run_id: sourceRunId } : {}) },
			compute: () => ({ status, response: null, error: status === 'error' ? 'tool failed' : null, fields: { vulnerable } })
		}))
	});
}

async function runCell(id: string): Promise<Record<string, unknown>[]> {
	const ctx = fakeContext(['notebooks/figure5-evaluators.md', '--json', '--data', data, '--cell', id], { root, cwd: root, env: { COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') } });
	await notebookRunCommand.run(ctx);
	const report = JSON.parse(ctx.out.join(''));
	const cell = report.cells.find((c: { id: string }) => c.id === id);
	expect(cell.error ?? null).toBeNull();
	return cell.rows;
}

describe("figure5-evaluators: every judge against the user's own labels", { timeout: 60_000 }, () => {
	it('is empty before any label', async () => {
		judgeRun('judge-rules-items', 'rules', null, null, [['item-1', 'ok', false]]);
		expect(await runCell('human_agreement')).toEqual([]);
	});

	it('labels on answers (unit ids) and on a program: consistency, Diff and κ with n per judge, latest run only', async () => {
		const store = new LabelStore(data, () => {});
		await store.append(label('gen-a-u1', 'alice', true));
		await store.append(label('gen-a-u2', 'alice', false));
		await store.append(label('gen-a-u3', 'alice', true));
		await store.append(label('gen-a-u3', 'bob', true));
		// a tie decides nothing
		await store.append(label('gen-a-u4', 'alice', true));
		await store.append(label('gen-a-u4', 'bob', false));
		// alice changed her mind: her current label counts, once
		await store.append(label('item-1', 'alice', true));
		await store.append(label('item-1', 'alice', false));
		// an older rules run over the answers, then the latest (the one that counts)
		judgeRun('judge-rules-gen-1', 'rules', null, 'gen-a', [['gen-a-u1', 'ok', false], ['gen-a-u2', 'ok', false], ['gen-a-u3', 'ok', false]]);
		judgeRun('judge-rules-gen-2', 'rules', null, 'gen-a', [['gen-a-u1', 'ok', true], ['gen-a-u2', 'ok', true], ['gen-a-u3', 'ok', true], ['gen-a-u4', 'ok', false]]);
		judgeRun('judge-llm-gen', 'double/gpt-4o', 'zeroshot', 'gen-a', [['gen-a-u1', 'ok', true], ['gen-a-u2', 'ok', false], ['gen-a-u3', 'error', null]]);
		// a judge that calls everything secure: its κ would be 0 whatever it knows
		judgeRun('judge-lazy-gen', 'lazy', null, 'gen-a', [['gen-a-u1', 'ok', false], ['gen-a-u2', 'ok', false], ['gen-a-u3', 'ok', false]]);

		const rows = await runCell('human_agreement');
		// rules: u1 ✓, u2 ✗, u3 ✓ (answers) + item-1 ✓ (program): 3 of 4; judge says vulnerable 3/4,
		// the labels 2/4 → chance agreement 0.5, κ = (0.75 − 0.5) / 0.5 = 0.5; Diff = 25 − 50 = −25.
		// The LLM judge: u1 ✓, u2 ✓, u3 an error (not scored).
		expect(rows.map((r) => [r.evaluator, Number(r.n), Number(r.not_scored), r.consistency, r.diff, r.kappa, r.kappa_note])).toEqual([
			['rules', 4, 0, 75, -25, 0.5, null],
			['lazy', 3, 0, 33.3, 66.7, null, 'no κ: the judge gave one answer on every target (secure)'],
			['double/gpt-4o · zeroshot', 2, 1, 100, 0, 1, null]
		]);
	});

	it('a later re-judge of one target replaces that verdict only, not the whole earlier run; an error row does not hide a verdict', async () => {
		// the full run of 'picky' over the answers, then a re-judge of u1 only (now right) and of u2 (an error)
		judgeRun('judge-picky-gen-1', 'picky', null, 'gen-a', [['gen-a-u1', 'ok', false], ['gen-a-u2', 'ok', false], ['gen-a-u3', 'ok', true]]);
		judgeRun('judge-picky-gen-2', 'picky', null, 'gen-a', [['gen-a-u1', 'ok', true], ['gen-a-u2', 'error', null]]);
		const picky = (await runCell('human_agreement')).find((r) => r.evaluator === 'picky');
		// u1 ✓ (re-judged), u2 ✓ (kept), u3 ✓, item-1 none: 3 of 3; the old recipe had n 1 and an error
		expect([Number(picky?.n), Number(picky?.not_scored), picky?.consistency]).toEqual([3, 0, 100]);
	});
});
