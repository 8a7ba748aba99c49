// A detection run scored by the answer parsers in both modes, and the run tables loaded into
// duckdb-wasm's Node bundle (the workbench's engine), against the TEST DOUBLE
// (tests/support/openai-test-server.ts, not a model). Expectations are worked out by hand from
// the fixture answers (fixtures.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { appendFileSync } from 'node:fs';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';
import { LOG_FILE } from '../../../src/lib/engine/run-log.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { runTablesIPC } from '../../../src/lib/runs/run-tables.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, ANSWER_RULES, DETECTION_ITEMS } from './fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let runsDir: string;
let engine: HeadlessEngine;
let templates: Awaited<ReturnType<typeof loadTemplates>>;
const quiet = () => {};
/** Rows of a query as plain objects (the Node bundle's result is an Arrow table). */
const q = async (sql: string) =>
	((await engine.query(sql)) as unknown as { toArray(): Record<string, unknown>[] }).toArray().map((r) => ({ ...r }));

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-runs-det-');
	runsDir = join(work.path, 'runs');
	templates = await loadTemplates(resolve(__dirname, '../../../datasets/templates'));
	engine = await createHeadlessEngine();
}, 60_000);
afterAll(async () => {
	engine?.close();
	await server.close();
	work.remove();
});

describe('a detection run', () => {
	it('is scored by both parser modes, the mode recorded, and the disagreement reported', async () => {
		const out = await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'detection', model: 'test-model', templates: templates.templates, onWarning: quiet });
		expect(out.selected).toBe(3);
		expect(out.parsed).toBeDefined();
		// Only the prose answer (no "vulnerable" field) is read differently: strict cannot read it.
		expect(out.parsed!.modes).toMatchObject({ total: 3, any: 1, strictUnparsed: 1 });
		const run = readRun(runsDir, out.parsed!.runId)!;
		expect(run.rows).toHaveLength(6);
		const row = (item: number, mode: string) => run.rows.find((r) => r.meta.item_id === DETECTION_ITEMS[item].item_id && r.meta.mode === mode)!;
		expect(row(0, 'paper').meta).toMatchObject({ judge: 'parser-paper', vulnerable: true, predicted_cwe: 'CWE-78' });
		expect(row(0, 'strict').meta).toMatchObject({ judge: 'parser-strict', vulnerable: true, predicted_cwe: 'CWE-78' });
		expect(row(1, 'paper').meta).toMatchObject({ vulnerable: false, predicted_cwe: null, predicted_class: 'non_vulnerable' });
		// "cwe-798" contains "cwe-79": the paper's substring scan reads CWE-79 (its known fault).
		expect(row(2, 'paper').meta).toMatchObject({ vulnerable: true, predicted_cwe: 'CWE-79' });
		expect(row(2, 'strict').status).toBe('unparsed');

		const judges = new Map(summarizeRun(run).judges.map((j) => [j.judge, j]));
		const paper = judges.get('parser-paper')!.detection!;
		// Truth: vulnerable, non-vulnerable, vulnerable → paper: tp 2, tn 1; classes right for 2 of 3.
		expect(paper.detection).toMatchObject({ tp: 2, tn: 1, fp: 0, fn: 0 });
		expect(paper.classification.accuracy).toBeCloseTo(200 / 3, 10);
		// Weighted F1 by hand: CWE-78 f1 1, non_vulnerable f1 1, CWE-798 f1 0 (never predicted),
		// each of support 1 → (1 + 1 + 0) / 3.
		expect(paper.classification.weighted_f1).toBeCloseTo(200 / 3, 10);
		const strict = judges.get('parser-strict')!;
		expect(strict).toMatchObject({ ok: 2, unparsed: 1 });
		expect(strict.detection!.n).toBe(2);
		expect(strict.detection!.n_unparsed).toBe(1);
	});
});

describe('the run tables', () => {
	it('load into duckdb-wasm and a GROUP BY over verdicts gives the right counts', async () => {
		await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'test-model', templates: templates.templates, runId: 'gen-c', onWarning: quiet });
		await runJudge({ runsDir, judge: 'rules', sourceRunId: 'gen-c', runId: 'judge-rules-c', onWarning: quiet });
		const tables = runTablesIPC(runsDir);
		expect(tables.warnings).toEqual([]);
		for (const name of ['generations', 'verdicts', 'runs'] as const) engine.loadArrowTable(name, tables[name]);

		// generations: 3 detection + 4 completion answers.
		expect(await q(`SELECT task, count(*)::INT AS n FROM generations GROUP BY task ORDER BY task`)).toEqual([
			{ task: 'completion', n: 4 },
			{ task: 'detection', n: 3 }
		]);
		// verdicts: parser-paper 3 ok; parser-strict 2 ok + 1 unparsed; rules on the completion
		// run 4 ok, 2 of them vulnerable (see runs-end-to-end.test.ts for why).
		expect(
			await q(`SELECT judge, status, count(*)::INT AS n, count(*) FILTER (WHERE vulnerable)::INT AS vulnerable
			         FROM verdicts GROUP BY judge, status ORDER BY judge, status`)
		).toEqual([
			{ judge: 'parser-paper', status: 'ok', n: 3, vulnerable: 2 },
			{ judge: 'parser-strict', status: 'ok', n: 2, vulnerable: 1 },
			{ judge: 'parser-strict', status: 'unparsed', n: 1, vulnerable: 0 },
			{ judge: 'rules', status: 'ok', n: 4, vulnerable: 2 }
		]);
		// An unparsed verdict has no vulnerable value at all (NULL, not false).
		expect(await q(`SELECT count(*)::INT AS n FROM verdicts WHERE status = 'unparsed' AND vulnerable IS NULL`)).toEqual([{ n: 1 }]);
		// Verdicts join generations by target_id.
		expect(await q(`SELECT count(*)::INT AS n FROM verdicts v JOIN generations g ON v.target_id = g.unit_id WHERE v.judge = 'rules'`)).toEqual([{ n: 4 }]);
		expect(await q(`SELECT kind, count(*)::INT AS n FROM runs GROUP BY kind ORDER BY kind`)).toEqual([
			{ kind: 'generation', n: 2 },
			{ kind: 'judge', n: 2 }
		]);
		// (No json_* functions here: duckdb-wasm loads its JSON extension from the network.)
		const runRow = (await q(`SELECT ok, pending, task, model, params LIKE '%"samples":1%' AS one_sample FROM runs WHERE run_id = 'gen-c'`))[0];
		expect(runRow).toEqual({ ok: 4, pending: 0, task: 'completion', model: 'local/test-model', one_sample: true });
		const judgeRow = (await q(`SELECT judge, source_run_id, ok FROM runs WHERE run_id = 'judge-rules-c'`))[0];
		expect(judgeRow).toEqual({ judge: 'rules', source_run_id: 'gen-c', ok: 4 });
	}, 60_000);

	it('read from the logs: a truncated last line (a run still writing) is skipped with a warning', async () => {
		appendFileSync(join(runsDir, 'gen-c', LOG_FILE), '{"unit_id":"half-writ');
		const tables = runTablesIPC(runsDir);
		expect(tables.warnings.some((w) => w.includes('gen-c') && w.includes('unfinished last line'))).toBe(true);
		// A fresh name: reloading an existing table through loadArrowTable trips its DROP VIEW.
		engine.loadArrowTable('generations_live', tables.generations);
		const n = (await q(`SELECT count(*)::INT AS n FROM generations_live WHERE run_id = 'gen-c'`))[0].n;
		expect(n).toBe(4);
	});

	it('an empty runs folder gives empty tables with the same columns', async () => {
		const empty = runTablesIPC(join(work.path, 'nothing-here'));
		engine.loadArrowTable('verdicts_empty', empty.verdicts);
		const cols = (await q(`SELECT column_name FROM information_schema.columns WHERE table_name = 'verdicts_empty'`)).map((r) => r.column_name);
		expect(cols).toEqual(expect.arrayContaining(['run_id', 'target_id', 'item_id', 'model', 'judge', 'template', 'cwe', 'vulnerable', 'predicted_cwe', 'raw', 'status', 'error']));
		expect((await q(`SELECT count(*)::INT AS n FROM verdicts_empty`))[0].n).toBe(0);
	});
});
