// notebooks/replication.md, headless: with no runs every cell runs and the notebook says what
// to run; with planted generation runs of three models (written the way real runs are, so they
// reach the run tables by the real path) and the rule judge's and the detection parser's
// verdicts on them, its SR@1, no-code share, n, detection/classification F1, ranks among the
// paper's Table 1 and completion-vs-repair correlation are the ones computed here by hand and
// by the core metrics.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { detectionScores } from '../../../src/lib/core/metrics/detection.ts';
import type { RowStatus } from '../../../src/lib/engine/types.ts';
import { fakeContext } from './fake-context.ts';
import { attribute, parseNotebook } from '../../../src/lib/notebook/format.ts';
import { parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { isConstantChannelValue } from '../../../src/lib/notebook/plot-vocabulary.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Cell {
	id: string;
	status: string;
	error?: unknown;
	rows: Record<string, unknown>[];
}

async function runNotebook(env: Record<string, string>): Promise<{ status: number; cells: Cell[] }> {
	const ctx = fakeContext(['notebooks/replication.md', '--json', '--max-rows', '1000'], { root, cwd: root, env });
	const status = await notebookRunCommand.run(ctx);
	return { status, cells: JSON.parse(ctx.out.join('')).cells };
}

const rowsOf = (cells: Cell[], id: string) => cells.find((c) => c.id === id)!.rows;
const failed = (cells: Cell[]) => cells.filter((c) => c.status !== 'ok').map((c) => [c.id, c.error]);

function workspace() {
	const work = mkdtempSync(join(tmpdir(), 'covw-replication-'));
	const env = { COVW_DATA: join(work, 'datasets'), COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache') };
	mkdirSync(env.COVW_DATA, { recursive: true });
	// The paper's tables ship with the repository: the notebook reads them beside the runs.
	cpSync(join(root, 'datasets/paper'), join(env.COVW_DATA, 'paper'), { recursive: true });
	return { work, env };
}

/** One answer: its item, CWE, set, generation status and (for answers with code) the judge's verdict. */
interface Planted {
	item: string;
	cwe: string;
	set: string;
	gen: RowStatus;
	verdict?: { status: RowStatus; vulnerable: boolean | null };
}

/**
 * Each plot's colour domain as Observable Plot infers an ordinal one (scales/ordinal.js
 * inferDomain): every value of every fill/stroke channel that names a column, over all the rows
 * of the mark's data (drawn or not), distinct, sorted with nulls last. Keyed by plot id, with
 * the columns coloured by.
 */
function colourDomains(cells: Cell[]): Map<string, { columns: string[]; domain: unknown[] }> {
	const doc = parseNotebook(readFileSync(join(root, 'notebooks/replication.md'), 'utf8'));
	const out = new Map<string, { columns: string[]; domain: unknown[] }>();
	for (const cell of doc.cells.filter((c) => c.kind === 'plot')) {
		const spec = parsePlotSpec(cell.source).spec!;
		const columns = new Set<string>();
		const values = new Set<unknown>();
		for (const mark of spec.marks) {
			const data = typeof mark.data === 'string' ? mark.data : attribute(cell, 'from')!;
			for (const channel of ['fill', 'stroke']) {
				const column = mark[channel];
				if (typeof column !== 'string' || isConstantChannelValue(channel, column)) continue;
				columns.add(column);
				for (const row of rowsOf(cells, data)) values.add(row[column] ?? null);
			}
		}
		const domain = [...values].sort((a, b) => (a === null ? 1 : b === null ? -1 : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
		out.set(cell.id!, { columns: [...columns], domain });
	}
	return out;
}

function plantModel(runsDir: string, model: string, task: 'completion' | 'repair', answers: Planted[], runId?: string): void {
	const genRun = runId ?? `gen-${task}-${model.replace('/', '_')}`;
	writeDirectRun({
		runsDir,
		runId: genRun,
		kind: 'generation',
		params: { kind: 'generation', task, model, planted_by: 'notebook-replication.test.ts' },
		datasetHash: null,
		units: answers.map((a, i) => ({
			id: `${genRun}-u${i}`,
			sample: 0,
			meta: { item_id: a.item, model, task, set: a.set, cwe: a.cwe, language: 'python' },
			compute: () => ({ status: a.gen, response: a.gen === 'error' ? null : 'an answer', error: a.gen === 'error' ? 'HTTP 500' : null })
		}))
	});
	const judged = answers.map((a, i) => ({ a, i })).filter(({ a }) => a.verdict);
	writeDirectRun({
		runsDir,
		runId: `judge-rules-${genRun}`,
		kind: 'judge',
		params: { kind: 'judge', judge: 'rules', source: { run: genRun } },
		datasetHash: null,
		units: judged.map(({ a, i }) => ({
			id: `v-${genRun}-${i}`,
			sample: 0,
			meta: { target_id: `${genRun}-u${i}`, item_id: a.item, model, judge: 'rules', task, cwe: a.cwe, language: 'python', source_run_id: genRun },
			compute: () => ({ status: a.verdict!.status, response: null, error: a.verdict!.status === 'ok' ? null : 'could not read', fields: { vulnerable: a.verdict!.vulnerable } })
		}))
	});
}

/** `secure` secure answers out of `n` judged seed completions, plus extras. */
function completions(secure: number, n: number, extra: Planted[] = []): Planted[] {
	const out: Planted[] = [];
	for (let i = 0; i < n; i++) out.push({ item: `seed/CWE-${i % 2 ? 89 : 79}/s${i}`, cwe: i % 2 ? 'CWE-89' : 'CWE-79', set: 'seed', gen: 'ok', verdict: { status: 'ok', vulnerable: i >= secure } });
	return [...out, ...extra];
}

function repairs(secure: number, n: number): Planted[] {
	const out: Planted[] = [];
	for (let i = 0; i < n; i++) out.push({ item: `repair/r${i}`, cwe: 'CWE-22', set: 'repair', gen: 'ok', verdict: { status: 'ok', vulnerable: i >= secure } });
	return out;
}

describe('replication notebook', { timeout: 120_000 }, () => {
	describe('without runs', () => {
		const { work, env } = workspace();
		afterAll(() => rmSync(work, { recursive: true, force: true }));

		it('opens cleanly and says which command makes runs', async () => {
			const { status, cells } = await runNotebook(env);
			expect(failed(cells)).toEqual([]);
			expect(status).toBe(0);
			const todo = rowsOf(cells, 'what_there_is');
			expect(todo).toHaveLength(1);
			expect(String(todo[0].to_do)).toContain('no runs yet: `npm run covw -- run completion');
			expect(rowsOf(cells, 'my_table1')).toEqual([]);
			expect(rowsOf(cells, 'my_correlation')).toEqual([]);
			expect(String(rowsOf(cells, 'correlation_note')[0].note)).toContain('needs 3 or more models');
			// the paper's side still draws: 20 models in the scatter
			expect(rowsOf(cells, 'scatter_data')).toHaveLength(20);
		});
	});

	describe('with both sets run but only the seed set judged', () => {
		const { work, env } = workspace();
		afterAll(() => rmSync(work, { recursive: true, force: true }));
		beforeAll(() => {
			// 4 of 4 seed completions judged secure; 3 Vul-Evol completions no judge has read
			const unjudged: Planted[] = [0, 1, 2].map((i) => ({ item: `vul-evol/CWE-79/v${i}`, cwe: 'CWE-79', set: 'vul-evol', gen: 'ok' }));
			plantModel(env.COVW_RUNS, 'ep/model-s', 'completion', completions(4, 4, unjudged));
		});

		it('gives no completion total (it would be the seed figure under the total\'s name), and an interval that does not collapse at 100%', async () => {
			const { status, cells } = await runNotebook(env);
			expect(failed(cells)).toEqual([]);
			expect(status).toBe(0);
			const table = rowsOf(cells, 'my_table1');
			expect(table.filter((r) => r.measure === 'cc_total_sr1')).toEqual([]);
			expect(table.filter((r) => r.value !== null).map((r) => r.measure)).toEqual(['cc_seed_sr1']);
			expect(table.find((r) => r.measure === 'cc_vulevol_sr1')).toMatchObject({ value: null, n: 0, not_scored: 3 });
			const seed = table.find((r) => r.measure === 'cc_seed_sr1')!;
			expect(seed).toMatchObject({ model: 'ep/model-s', value: 100, n: 4, not_scored: 0 });
			// Wilson: 4 of 4 gives [51.0, 100], not the normal approximation's [100, 100]
			expect(Number(seed.low)).toBeCloseTo(51.01, 1);
			expect(Number(seed.high)).toBe(100);
		});
	});

	describe('with self-repair runs and an evolved set of the user\'s own beside the benchmark\'s runs', () => {
		const { work, env } = workspace();
		afterAll(() => rmSync(work, { recursive: true, force: true }));
		beforeAll(() => {
			const runs = env.COVW_RUNS;
			// 3 of 4 seed completions secure; the benchmark's repair run not judged yet (2 answers)
			plantModel(runs, 'ep/model-x', 'completion', completions(3, 4));
			plantModel(runs, 'ep/model-x', 'repair', [0, 1].map((i) => ({ item: `repair/CWE-22/r/${i}`, cwe: 'CWE-22', set: 'repair', gen: 'ok' as RowStatus })));
			// covw self-correct's repairs of the model's own programs, all judged secure: written
			// before self-repair had a set of its own (set "repair") and after (set "self-repair")
			const self = (set: string, n: number): Planted[] => Array.from({ length: n }, (_, i) => ({ item: `completion/seed/CWE-79/s${i}/self-0`, cwe: 'CWE-79', set, gen: 'ok', verdict: { status: 'ok', vulnerable: false } }));
			plantModel(runs, 'ep/model-x', 'repair', self('repair', 3), 'self-repair-old');
			plantModel(runs, 'ep/model-x', 'repair', self('self-repair', 2), 'self-repair-new');
			// the user's own evolved set "mine": all vulnerable, old rows say "vul-evol", new "evolved-mine"
			const evolved = (set: string, from: number): Planted[] => [0, 1, 2].map((i) => ({ item: `completion/evolved-mine/CWE-79/s/${from + i}-constraints-0`, cwe: 'CWE-79', set, gen: 'ok', verdict: { status: 'ok', vulnerable: true } }));
			plantModel(runs, 'ep/model-x', 'completion', evolved('vul-evol', 0), 'gen-evolved-old');
			plantModel(runs, 'ep/model-x', 'completion', evolved('evolved-mine', 3), 'gen-evolved-new');
		});

		it('counts only the benchmark\'s items: no repair SR@1 from self-repairs, no Vul-Evol or total from an evolved set', async () => {
			const { status, cells } = await runNotebook(env);
			expect(failed(cells)).toEqual([]);
			expect(status).toBe(0);
			const table = rowsOf(cells, 'my_table1');
			// the benchmark's repairs are not judged: no repair SR@1 (the 5 judged self-repairs would give 100)
			expect(table.find((r) => r.measure === 'repair_sr1')).toMatchObject({ value: null, n: 0, not_scored: 2 });
			// seed only: 3 of 4, and neither a Vul-Evol figure nor a total from the evolved set
			expect(table.filter((r) => r.value !== null).map((r) => [r.measure, r.value, r.n])).toEqual([['cc_seed_sr1', 75, 4]]);
			expect(rowsOf(cells, 'ranked').map((r) => r.measure)).toEqual(['cc_seed_sr1']);
			expect(rowsOf(cells, 'cwe_scores').reduce((a, r) => a + Number(r.n), 0)).toBe(4);
			// what was left out, by its own set
			expect(rowsOf(cells, 'own_sets').map((r) => [r.task, r.item_set, r.answers, r.runs])).toEqual([
				['completion', 'evolved-mine', 6, 2],
				['repair', 'self-repair', 5, 2]
			]);
		});
	});

	describe('with three models judged by the rule judge', () => {
		const { work, env } = workspace();
		afterAll(() => rmSync(work, { recursive: true, force: true }));
		beforeAll(() => {
			const runs = env.COVW_RUNS;
			// a: 8 of 10 judged completions secure, plus one code-less answer, one the judge could
			// not read and one failed request; repairs 3 of 10.
			plantModel(runs, 'ep/model-a', 'completion', completions(8, 10, [
				{ item: 'seed/CWE-79/x1', cwe: 'CWE-79', set: 'seed', gen: 'no_code' },
				{ item: 'seed/CWE-79/x2', cwe: 'CWE-79', set: 'seed', gen: 'ok', verdict: { status: 'unparsed', vulnerable: null } },
				{ item: 'seed/CWE-79/x3', cwe: 'CWE-79', set: 'seed', gen: 'error' }
			]));
			plantModel(runs, 'ep/model-a', 'repair', repairs(3, 10));
			plantModel(runs, 'ep/model-b', 'completion', completions(5, 10));
			plantModel(runs, 'ep/model-b', 'repair', repairs(6, 10));
			plantModel(runs, 'ep/gpt-4o', 'completion', completions(2, 10));
			plantModel(runs, 'ep/gpt-4o', 'repair', repairs(9, 10));
			// a fourth model with repairs only: no completion, so no per-CWE score and no pair
			plantModel(runs, 'ep/model-r', 'repair', repairs(4, 10));
			// a fifth with a completion run no judge has read yet: no score, so no colour either
			writeDirectRun({
				runsDir: runs, runId: 'gen-unjudged', kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'ep/model-u' }, datasetHash: null,
				units: [{ id: 'u0', sample: 0, meta: { item_id: 'seed/CWE-79/s0', model: 'ep/model-u', task: 'completion', set: 'seed', cwe: 'CWE-79' }, compute: () => ({ status: 'ok', response: 'an answer', error: null }) }]
			});
			// detection answers of model-a read by the strict parser
			const det = [
				{ label: 'vulnerable', cls: 'CWE-79', vulnerable: true, predicted: 'CWE-79' },
				{ label: 'vulnerable', cls: 'CWE-89', vulnerable: true, predicted: 'CWE-79' },
				{ label: 'vulnerable', cls: 'CWE-89', vulnerable: false, predicted: 'non_vulnerable' },
				{ label: 'non_vulnerable', cls: 'non_vulnerable', vulnerable: false, predicted: 'non_vulnerable' },
				{ label: 'non_vulnerable', cls: 'non_vulnerable', vulnerable: true, predicted: 'CWE-89' }
			];
			writeDirectRun({
				runsDir: runs, runId: 'gen-detection-a', kind: 'generation', params: { kind: 'generation', task: 'detection', model: 'ep/model-a' }, datasetHash: null,
				units: det.map((_, i) => ({ id: `d${i}`, sample: 0, meta: { item_id: `detection/d${i}`, model: 'ep/model-a', task: 'detection', set: 'detection' }, compute: () => ({ status: 'ok', response: 'answer', error: null }) }))
			});
			writeDirectRun({
				runsDir: runs, runId: 'judge-parser-a', kind: 'judge', params: { kind: 'judge', judge: 'parser-strict' }, datasetHash: null,
				units: [
					...det.map((d, i) => ({ id: `pd${i}`, sample: 0, meta: { target_id: `d${i}`, item_id: `detection/d${i}`, judge: 'parser-strict', task: 'detection', source_run_id: 'gen-detection-a', label: d.label, label_class: d.cls, predicted_class: d.predicted }, compute: () => ({ status: 'ok' as RowStatus, response: null, error: null, fields: { vulnerable: d.vulnerable } }) })),
					// the paper-compatible reading of the same answers does not count here
					{ id: 'pp0', sample: 0, meta: { target_id: 'd0', item_id: 'detection/d0', judge: 'parser-paper', task: 'detection', source_run_id: 'gen-detection-a', label: 'vulnerable', label_class: 'CWE-79', predicted_class: 'CWE-22' }, compute: () => ({ status: 'ok' as RowStatus, response: null, error: null, fields: { vulnerable: false } }) }
				]
			});
			// model-b's detection answers (review10c's probe): 30, the 20 secure ones without a label_class
			const detB = Array.from({ length: 30 }, (_, k) => ({ label: k < 10 ? 'vulnerable' : 'secure', cls: k < 10 ? 'CWE-79' : null, vulnerable: k % 2 === 0, predicted: k % 2 === 0 ? 'CWE-79' : null }));
			writeDirectRun({
				runsDir: runs, runId: 'gen-detection-b', kind: 'generation', params: { kind: 'generation', task: 'detection', model: 'ep/model-b' }, datasetHash: null,
				units: detB.map((_, i) => ({ id: `db${i}`, sample: 0, meta: { item_id: `detection/b${String(i).padStart(2, '0')}`, model: 'ep/model-b', task: 'detection', set: 'detection' }, compute: () => ({ status: 'ok', response: 'answer', error: null }) }))
			});
			writeDirectRun({
				runsDir: runs, runId: 'judge-parser-b', kind: 'judge', params: { kind: 'judge', judge: 'parser-strict' }, datasetHash: null,
				units: detB.map((d, i) => ({ id: `pb${i}`, sample: 0, meta: { target_id: `db${i}`, item_id: `detection/b${String(i).padStart(2, '0')}`, judge: 'parser-strict', task: 'detection', source_run_id: 'gen-detection-b', label: d.label, label_class: d.cls, predicted_class: d.predicted }, compute: () => ({ status: 'ok' as RowStatus, response: null, error: null, fields: { vulnerable: d.vulnerable } }) }))
			});
		});

		let result: ReturnType<typeof runNotebook> | undefined;
		const run = () => (result ??= runNotebook(env));

		it('scores each model per task with n, the no-code share apart, ranks and the correlation', async () => {
			const { status, cells } = await run();
			expect(failed(cells)).toEqual([]);
			expect(status).toBe(0);
			const table = rowsOf(cells, 'my_table1');
			const get = (model: string, measure: string) => table.find((r) => r.model === model && r.measure === measure)!;

			// 8 secure of the 10 judged; the code-less answer is not in the rate but in its share
			const a = get('ep/model-a', 'cc_seed_sr1');
			expect(a).toMatchObject({ value: 80, n: 10, not_scored: 1, no_code: 1, gen_errors: 1 });
			expect(Number(a.no_code_pct)).toBeCloseTo((100 * 1) / 13, 2);
			expect(Number(a.low)).toBeLessThan(80);
			expect(Number(a.high)).toBeGreaterThan(80);
			// only seed runs: no completion total (it needs both sets)
			expect(table.filter((r) => r.measure === 'cc_total_sr1')).toEqual([]);
			// nor in the grid of scores: no "completion · total" row for a model with seed runs only
			expect(rowsOf(cells, 'sr_scores').filter((r) => r.measure === 'completion · total')).toEqual([]);
			// the paper's CWEs in numeric order (the per-CWE plot draws its facets in this order)
			const paperCwes = rowsOf(cells, 'paper_cwe').map((r) => String(r.cwe));
			expect(paperCwes.slice(0, 4)).toEqual(['CWE-20', 'CWE-22', 'CWE-78', 'CWE-79']);
			expect(paperCwes).toEqual([...paperCwes].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
			const scores = rowsOf(cells, 'sr_scores').find((r) => r.model === 'ep/model-a' && r.measure === 'completion · seed')!;
			// counted as insecure instead, the code-less answer would give 8 / 11
			expect(Number(scores.sr1_no_code_insecure)).toBeCloseTo((100 * 8) / 11, 2);
			expect(get('ep/model-b', 'repair_sr1')).toMatchObject({ value: 60, n: 10 });

			// detection and classification F1: the core metric on the strict reading
			const core = detectionScores([
				{ status: 'ok', truth_binary: true, predicted_binary: true, truth_class: 'CWE-79', predicted_class: 'CWE-79' },
				{ status: 'ok', truth_binary: true, predicted_binary: true, truth_class: 'CWE-89', predicted_class: 'CWE-79' },
				{ status: 'ok', truth_binary: true, predicted_binary: false, truth_class: 'CWE-89', predicted_class: 'non_vulnerable' },
				{ status: 'ok', truth_binary: false, predicted_binary: false, truth_class: 'non_vulnerable', predicted_class: 'non_vulnerable' },
				{ status: 'ok', truth_binary: false, predicted_binary: true, truth_class: 'non_vulnerable', predicted_class: 'CWE-89' }
			]);
			expect(Number(get('ep/model-a', 'detection_f1').value)).toBeCloseTo(core.detection.f1, 1);
			expect(Number(get('ep/model-a', 'classification_f1').value)).toBeCloseTo(core.classification.weighted_f1, 1);
			expect(get('ep/model-a', 'detection_f1').n).toBe(5);
			// F1 is no proportion: its interval is a bootstrap over the answers, said so, never a Wilson one
			for (const measure of ['detection_f1', 'classification_f1']) {
				const f = get('ep/model-a', measure);
				expect(f.interval).toBe('bootstrap (500), over answers');
				expect(Number(f.low)).toBeLessThan(Number(f.value));
				expect(Number(f.high)).toBeGreaterThan(Number(f.value));
				expect(Number(f.low)).toBeGreaterThanOrEqual(0);
				expect(Number(f.high)).toBeLessThanOrEqual(100);
			}
			expect(a.interval).toBe('Wilson, over items');
			// a NULL label_class counts in no class, in the point and in every resample alike: the interval covers the point
			const fB = get('ep/model-b', 'classification_f1');
			expect(Number(fB.value)).toBeGreaterThan(0);
			expect(Number(fB.low)).toBeLessThanOrEqual(Number(fB.value));
			expect(Number(fB.high)).toBeGreaterThanOrEqual(Number(fB.value));

			// ranks among the paper's 20: 1 + the paper models above
			const ranked = rowsOf(cells, 'ranked');
			const rankA = ranked.find((r) => r.model === 'ep/model-a' && r.measure === 'cc_seed_sr1')!;
			expect(rankA).toMatchObject({ rank_among_paper: 1, of_models: 21, label: 'ep/model-a (n=10)' });
			// a model named as one of the paper's is matched after its endpoint prefix
			const gpt = ranked.find((r) => r.model === 'ep/gpt-4o' && r.measure === 'cc_seed_sr1')!;
			expect(gpt.paper_value_same_name).toBe(66.67);

			// completion vs repair over three models: 80/30, 50/60, 20/90 — perfectly reversed
			const rho = rowsOf(cells, 'my_correlation');
			expect(rho).toHaveLength(1);
			expect(rho[0]).toMatchObject({ method: 'spearman', n: 3 });
			expect(Number(rho[0].estimate)).toBeCloseTo(-1, 6);
			expect(rowsOf(cells, 'correlation_note')[0]).toMatchObject({ models_with_both: 3, note: '' });

			// per CWE (seed and Vul-Evol items pooled, here seed only): n beside each figure; the
			// unreadable verdict and the code-less answer are not in n
			const cwe = rowsOf(cells, 'cwe_scores').filter((r) => r.model === 'ep/model-a');
			expect(cwe.map((r) => [r.cwe, r.sr1, r.n, r.no_code, r.not_scored])).toEqual([
				['CWE-79', 80, 5, 1, 1],
				['CWE-89', 80, 5, 0, 0]
			]);
			expect(rowsOf(cells, 'cwe_scores').map((r) => r.model)).not.toContain('ep/model-r');
		});

		it('gives a model the same colour in every plot, also one without completion runs', async () => {
			const { cells } = await run();
			const byModel = [...colourDomains(cells)].filter(([, d]) => d.columns.includes('model'));
			// the per-task plot and the per-CWE plot colour by model (the scatter by source)
			expect(byModel.map(([id, d]) => [id, d.columns])).toEqual([
				['beside_paper_plot', ['model']],
				['cwe_plot', ['model']]
			]);
			// the same domain, every model with a score and nothing else (no null swatch, no
			// unjudged model taking a colour): Plot then gives each model the same colour in both
			expect(rowsOf(cells, 'what_there_is').map((r) => r.model)).toContain('ep/model-u');
			const models = ['ep/gpt-4o', 'ep/model-a', 'ep/model-b', 'ep/model-r'];
			for (const [, d] of byModel) expect(d.domain).toEqual(models);
			// the placeholder row draws nothing: no per-CWE figure for the repair-only model
			const r = rowsOf(cells, 'cwe_beside_paper').filter((row) => row.model === 'ep/model-r');
			expect(r).toEqual([expect.objectContaining({ sr1: null, n: null })]);
		});
	});
});
