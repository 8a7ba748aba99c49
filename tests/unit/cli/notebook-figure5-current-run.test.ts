// figure5-evaluators counts a judge run more than once over the same programs (or answers) with
// its CURRENT run: the newest by its start, as /runs lists runs (newest first) and the run tables
// order them (started, run id) — not the run whose last row finished last. An older run resumed
// after a newer one started writes later rows, and was picked before; here it must not be.
// Our own small fixtures (no CoV-Eval text), the notebook run headless.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { rowToLine } from '../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { itemsToArrowStream } from '../../../src/lib/node/coveval/items-arrow.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'covw-figure5-current-'));
const data = join(work, 'datasets');
const runs = join(work, 'runs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const programs: Item[] = [0, 1, 2, 3].map((i) => ({
	item_id: `pearce/CWE-79/demo-${i}`, task: 'detection', set: 'pearce', cwe: 'CWE-79', language: 'python', scenario: `demo-${i}`,
	code: `print(${i})\n`, label: i < 2 ? 'vulnerable' : 'non_vulnerable', label_class: i < 2 ? 'CWE-79' : 'non_vulnerable', source: 'tests/unit/cli/notebook-figure5-current-run.test.ts'
}));

function row(unit: string, finishedAt: string, meta: ResultRow['meta']): ResultRow {
	return { unit_id: unit, sample: 0, status: 'ok', response: 'r', error: null, latency_ms: 1, tokens_in: 1, tokens_out: 1, cached: false, attempts: 1, finished_at: finishedAt, meta };
}

function plant(runId: string, kind: 'generation' | 'judge', params: Record<string, unknown>, startedAt: string, rows: ResultRow[]): void {
	const dir = join(runs, runId);
	mkdirSync(dir, { recursive: true });
	const n = rows.length;
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
		run_id: runId, kind, params, dataset_hash: null, endpoints: [], state: 'completed', started_at: startedAt, sessions: [], finished_at: '2026-03-01T13:00:00.000Z',
		counts: { total: n, ok: n, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	}));
	writeFileSync(join(dir, 'log.jsonl'), rows.map(rowToLine).join(''));
}

/** The rule judge over the programs: `older` started first but, resumed, wrote its rows last. */
const OLDER = { started: '2026-03-01T10:00:00.000Z', rows: '2026-03-01T12:00:00.000Z' };
const NEWER = { started: '2026-03-01T11:00:00.000Z', rows: '2026-03-01T11:05:00.000Z' };

describe('figure5-evaluators: the current run of a judge', () => {
	it('is the newest by its start, on the reference programs and on a model\'s answers', async () => {
		mkdirSync(join(data, 'coveval'), { recursive: true });
		writeFileSync(join(data, 'coveval/items.arrow'), itemsToArrowStream(programs));
		const judgeMeta = (p: Item, vulnerable: boolean) => ({ target_id: p.item_id, item_id: p.item_id, judge: 'rules', template: null, vulnerable, label: p.label, cwe: p.cwe, language: p.language });
		// The older run says every program is vulnerable (consistency 50%); the newer one is right (100%).
		plant('judge-rules-older', 'judge', { judge: 'rules', source: { items: 'pearce' } }, OLDER.started, programs.map((p, i) => row(`o${i}`, OLDER.rows, judgeMeta(p, true))));
		plant('judge-rules-newer', 'judge', { judge: 'rules', source: { items: 'pearce' } }, NEWER.started, programs.map((p, i) => row(`n${i}`, NEWER.rows, judgeMeta(p, p.label === 'vulnerable'))));
		// A model's four completions, judged twice the same way: older run all vulnerable (SR 0), newer none (SR 100).
		const answers = programs.map((p, i) => ({ unit: `gen-${i}`, meta: { item_id: `completion/seed/CWE-79/demo/${i}`, model: 'double/test-model', task: 'completion', set: 'seed', cwe: 'CWE-79', language: 'python' } }));
		plant('gen-model', 'generation', { task: 'completion', model: 'double/test-model' }, '2026-03-01T09:00:00.000Z', answers.map((a) => row(a.unit, '2026-03-01T09:30:00.000Z', a.meta)));
		const verdict = (a: (typeof answers)[number], vulnerable: boolean) => ({ target_id: a.unit, item_id: a.meta.item_id, model: a.meta.model, judge: 'rules', template: null, vulnerable, source_run_id: 'gen-model', task: 'completion', cwe: 'CWE-79', language: 'python' });
		const over = { judge: 'rules', source: { run: 'gen-model' } };
		plant('judge-gen-older', 'judge', over, OLDER.started, answers.map((a, i) => row(`go${i}`, OLDER.rows, verdict(a, true))));
		plant('judge-gen-newer', 'judge', over, NEWER.started, answers.map((a, i) => row(`gn${i}`, NEWER.rows, verdict(a, false))));

		const ctx = fakeContext(['notebooks/figure5-evaluators.md', '--json', '--max-rows', '100'], { root, cwd: root, env: { COVW_DATA: data, COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') } });
		await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join('')) as { cells: { id: string; status: string; rows?: Record<string, unknown>[]; error?: unknown }[] };
		const cell = (id: string) => {
			const c = report.cells.find((x) => x.id === id)!;
			expect(c.status, JSON.stringify(c.error)).toBe('ok');
			return c.rows!;
		};
		expect(cell('agreement').map((r) => [r.evaluator, Number(r.n), Number(r.consistency)])).toEqual([['rules', 4, 100]]);
		expect(cell('model_sr').map((r) => [r.task, r.model, r.evaluator, Number(r.n), Number(r.sr)])).toEqual([['completion · seed', 'double/test-model', 'rules', 4, 100]]);
	}, 120_000);
});
