// covw import's library: every format from our fixtures (tests/fixtures/import) comes in as
// runs in the engine's on-disk format; counts round-trip; unmatched records are listed with
// file, line and field; an answer with no code is counted, never scored; importing again
// writes nothing; a file in no known format is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { importRuns } from '../../../src/lib/runs/import/import-runs.ts';
import { problemText } from '../../../src/lib/runs/import/types.ts';
import { readRun, readAllRuns } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { runTablesIPC } from '../../../src/lib/runs/run-tables.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { tableFromIPC } from 'apache-arrow';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, COMPLETION_ITEMS } from './fixtures.ts';

const FIX = resolve(__dirname, '../../fixtures/import');
let work: { path: string; remove: () => void };
let runsDir: string;
const quiet = () => {};

beforeAll(() => {
	work = tempDir('covw-import-');
	runsDir = join(work.path, 'runs');
});
afterAll(() => work.remove());

const messages = (r: { problems: Parameters<typeof problemText>[0][] }) => r.problems.map(problemText);

describe('released CoV-Eval results', () => {
	it('become a generation run of the model and a judge run of the harness reading (vul_eval; no GPT-4o answer text in this file), matched by program text', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'released/code_completion/demo-model.json'), items: ALL_ITEMS, onWarning: quiet });
		expect(r.format).toBe('coveval-released');
		expect(r.records).toBe(6);
		expect(r.imported).toBe(4);
		expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
		// Unmatched records are listed with file, line and field — never dropped silently.
		const text = messages(r);
		expect(text).toHaveLength(3);
		expect(text.some((m) => /demo-model\.json:\d+: field "source_code": no completion item has this program/.test(m))).toBe(true);
		expect(text.some((m) => /demo-model\.json:\d+: field "response": missing/.test(m))).toBe(true);
		expect(text.some((m) => /field "vul_eval": "maybe" is neither/.test(m))).toBe(true);

		const gen = r.runs.find((x) => x.kind === 'generation')!;
		expect(gen).toMatchObject({ who: 'demo-model', task: 'completion', rows: 4, written: 4 });
		const genRun = readRun(runsDir, gen.run_id)!;
		expect(genRun.manifest.params).toMatchObject({ kind: 'generation', model: 'demo-model', imported: { file: 'demo-model.json', sha256: r.sha256, format: 'coveval-released' } });
		expect(genRun.manifest.endpoints).toEqual([]);
		// The unmatched records are kept beside the run, not only printed.
		const report = JSON.parse(readFileSync(join(runsDir, gen.run_id, 'import-report.json'), 'utf8'));
		expect(report).toMatchObject({ file: 'demo-model.json', sha256: r.sha256, records: 6, imported: 4 });
		expect(report.problems).toHaveLength(3);
		const byItem = new Map(genRun.rows.map((x) => [x.meta.item_id, x]));
		expect(byItem.get(COMPLETION_ITEMS[2].item_id)!.status).toBe('no_code');
		expect(byItem.get(COMPLETION_ITEMS[0].item_id)!.meta).toMatchObject({ code_source: 'fenced', cwe: 'CWE-89', set: 'seed' });

		const judge = r.runs.find((x) => x.kind === 'judge')!;
		expect(judge).toMatchObject({ who: 'openai/gpt-4o · harness reading', rows: 4 });
		const judgeRun = readRun(runsDir, judge.run_id)!;
		expect(judgeRun.manifest.params).toMatchObject({ judge: 'openai/gpt-4o · harness reading', template: 'fewshot', source: { run: gen.run_id } });
		const summary = summarizeRun(judgeRun, genRun).judges[0];
		// GPT-4o called the refusal "safe"; it has no code, so its row is no_code, not a verdict,
		// and SR@1 counts it apart: 1 secure of 2 scored.
		expect(summary).toMatchObject({ ok: 2, unparsed: 1 });
		expect(judgeRun.rows.filter((x) => x.status === 'no_code').map((x) => x.meta.vulnerable)).toEqual([null]);
		expect(summary.securityRate).toMatchObject({ sr: 50, n_ok: 2, n_no_code: 1, n_unparsed: 1, coverage: { judged: 2, total: 4 } });
	});

	it('importing the same file again writes nothing and touches nothing', async () => {
		const before = readAllRuns(runsDir).map((x) => [x.manifest.run_id, x.rows.length]);
		const logBefore = readdirSync(runsDir).map((d) => readFileSync(join(runsDir, d, 'log.jsonl'), 'utf8'));
		const r = await importRuns({ runsDir, path: join(FIX, 'released/code_completion/demo-model.json'), items: ALL_ITEMS, onWarning: quiet });
		expect(r.runs.every((x) => x.written === 0)).toBe(true);
		expect(readAllRuns(runsDir).map((x) => [x.manifest.run_id, x.rows.length])).toEqual(before);
		expect(readdirSync(runsDir).map((d) => readFileSync(join(runsDir, d, 'log.jsonl'), 'utf8'))).toEqual(logBefore);
	});

	it('an imported generation run can be judged like any other (the rules skip the no-code answer)', async () => {
		const gen = readAllRuns(runsDir).find((x) => x.manifest.kind === 'generation' && x.manifest.params.model === 'demo-model')!;
		const out = await runJudge({ runsDir, judge: 'rules', sourceRunId: gen.manifest.run_id, onWarning: quiet });
		expect(out.targets).toBe(3);
		expect(out.requests).toBe(0);
	});

	it('detection answers are read by both parser modes', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'released/vulnerability_detection_classification/demo-model.json'), items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(2);
		expect(r.problems).toEqual([]);
		const parsed = r.runs.find((x) => x.who === 'parser')!;
		const summary = summarizeRun(readRun(runsDir, parsed.run_id)!);
		expect(summary.judges.map((j) => j.judge)).toEqual(['parser-strict', 'parser-paper']);
		expect(summary.detectionModes).toEqual({ total: 2, differ: 1 });
	});
});

describe('promptfoo, Inspect AI and plain tables', () => {
	it('promptfoo results.json: answers by the item_id var, assertions as a judge (pass = secure)', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'promptfoo-results.json'), items: ALL_ITEMS, judgeName: 'sql-check', onWarning: quiet });
		expect(r).toMatchObject({ format: 'promptfoo', records: 4, imported: 2 });
		expect(messages(r)).toHaveLength(2);
		expect(messages(r)).toEqual(
			expect.arrayContaining([
				// The line where each entry starts in the pretty-printed file (not the document's line 1).
				expect.stringMatching(/promptfoo-results\.json:67: field "results\.results\[2\]\.vars\.item_id": unknown item id "completion\/seed\/CWE-1\/none\/9"/),
				expect.stringMatching(/promptfoo-results\.json:87: field "results\.results\[3\]\.response\.output": no text answer for item completion\/seed\/CWE-476\/demo\/2 \(promptfoo error: API error: 500/)
			])
		);
		const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(judge.manifest.params.judge).toBe('promptfoo/sql-check');
		const verdicts = new Map(judge.rows.map((x) => [x.meta.item_id, x.meta.vulnerable]));
		expect(verdicts.get(COMPLETION_ITEMS[0].item_id)).toBe(true);
		expect(verdicts.get(COMPLETION_ITEMS[1].item_id)).toBe(false);
	});

	it('Inspect AI log: sample id or metadata.item_id, epoch as the sample, scorer values as verdicts', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'inspect-log.json'), items: ALL_ITEMS, onWarning: quiet });
		expect(r).toMatchObject({ format: 'inspect', records: 3, imported: 2 });
		expect(messages(r)).toEqual([expect.stringMatching(/inspect-log\.json:100: field "samples\[2\]\.item_id": unknown item id "completion\/seed\/CWE-404\/none\/0"/)]);
		const gen = readRun(runsDir, r.runs.find((x) => x.kind === 'generation')!.run_id)!;
		expect(gen.manifest.params.model).toBe('ollama/demo-model');
		expect(gen.rows.map((x) => x.sample).sort()).toEqual([0, 1]);
		const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(judge.manifest.params.judge).toBe('inspect/security');
		expect(judge.rows.map((x) => [x.sample, x.meta.vulnerable]).sort()).toEqual([[0, false], [1, true]]);
	});

	it('plain JSONL: good records come in, a missing response and an unknown item are listed', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'plain-answers.jsonl'), items: ALL_ITEMS, onWarning: quiet });
		expect(r).toMatchObject({ format: 'plain', records: 4, imported: 2 });
		expect(messages(r)).toEqual([
			expect.stringMatching(/plain-answers\.jsonl:3: field "response": missing for item completion\/seed\/CWE-89\/demo\/1/),
			expect.stringMatching(/plain-answers\.jsonl:4: field "item_id": unknown item id "completion\/seed\/CWE-9999\/nowhere\/0"/)
		]);
		const gen = readRun(runsDir, r.runs[0].run_id)!;
		expect(gen.rows.map((x) => [x.sample, x.status]).sort()).toEqual([[0, 'ok'], [1, 'no_code']]);
		expect(r.runs.filter((x) => x.kind === 'judge')).toEqual([]);
	});

	it('problems are listed in line order, whichever step found them', async () => {
		const file = join(work.path, 'mixed-problems.jsonl');
		writeFileSync(
			file,
			[
				JSON.stringify({ item_id: COMPLETION_ITEMS[0].item_id, model: 'order-model', response: 'x = 1' }),
				'{"item_id": "cut off',
				JSON.stringify({ item_id: 'completion/seed/CWE-9999/nowhere/1', model: 'order-model', response: 'y = 2' }),
				JSON.stringify({ model: 'order-model', response: 'no item id here' })
			].join('\n') + '\n'
		);
		const r = await importRuns({ runsDir: join(work.path, 'runs-order'), path: file, items: ALL_ITEMS, onWarning: quiet });
		expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4]);
	});

	it('plain CSV with a verdict column: a bad sample is listed with its line', async () => {
		const r = await importRuns({ runsDir, path: join(FIX, 'plain-answers.csv'), items: ALL_ITEMS, onWarning: quiet });
		expect(r).toMatchObject({ format: 'plain', records: 2, imported: 1 });
		expect(messages(r)).toEqual([expect.stringMatching(/plain-answers\.csv:4: field "sample": must be a non-negative integer, got "x"/)]);
		const judge = readRun(runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		expect(judge.manifest.params.judge).toBe('my-reviewer');
		expect(judge.rows[0].meta.vulnerable).toBe(false);
	});

	it('a CSV row with several bad fields names every one of them', async () => {
		const file = join(work.path, 'two-bad-fields.csv');
		writeFileSync(file, [
			'item_id,model,response,sample,vulnerable',
			`${COMPLETION_ITEMS[0].item_id},my-model,"x = 1",0,no`,
			`${COMPLETION_ITEMS[1].item_id},,"y = 2",minus one,perhaps`,
			`,,"z = 3",0,`
		].join('\n') + '\n');
		const r = await importRuns({ runsDir: join(work.path, 'runs-two-bad'), path: file, items: ALL_ITEMS, onWarning: quiet });
		expect(r).toMatchObject({ format: 'plain', records: 3, imported: 1 });
		expect(messages(r)).toEqual([
			`${file}:3: field "model": missing for item ${COMPLETION_ITEMS[1].item_id}; record not imported`,
			`${file}:3: field "sample": must be a non-negative integer, got "minus one"; record not imported`,
			`${file}:3: field "vulnerable": "perhaps" is not true/false; record not imported`,
			`${file}:4: field "item_id": missing or empty; record not imported`,
			`${file}:4: field "model": missing; record not imported`
		]);
	});

	it('an Inspect log\'s problems point at the line of the sample or of the field', async () => {
		const file = join(work.path, 'inspect-lines.json');
		const log = {
			eval: { task: 'ours', model: 'ollama/demo-model' },
			samples: [
				{ id: COMPLETION_ITEMS[0].item_id, epoch: 1, output: { completion: 'x = 1' }, scores: { security: { value: 'C' } } },
				{ id: COMPLETION_ITEMS[1].item_id, epoch: 1, output: { choices: [] }, scores: {} },
				{ id: COMPLETION_ITEMS[2].item_id, epoch: 1, output: { completion: 'y = 2' }, scores: { security: { value: 'maybe' } } }
			]
		};
		const text = JSON.stringify(log, null, 2);
		writeFileSync(file, text);
		const lineOf = (needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length;
		const r = await importRuns({ runsDir: join(work.path, 'runs-inspect-lines'), path: file, items: ALL_ITEMS, onWarning: quiet });
		const byField = new Map(r.problems.map((p) => [p.field, p.line]));
		expect(byField.get('samples[1].output')).toBe(lineOf('"choices"') - 1); // the output object's line
		expect(byField.get('samples[2].scores')).toBe(lineOf('"maybe"') - 1); // the scorer's line
		expect(byField.get('samples[1].output')).toBeGreaterThan(1);
	});

	it('a file in no known format is refused by name; nothing is written', async () => {
		const before = readdirSync(runsDir).length;
		await expect(importRuns({ runsDir, path: join(FIX, 'unknown-format.json'), items: ALL_ITEMS })).rejects.toThrow(/unknown-format\.json:1: not a format covw import reads.*fields question, answer/);
		expect(readdirSync(runsDir).length).toBe(before);
	});

	it('imported runs show up in the run tables', () => {
		const tables = runTablesIPC(runsDir);
		const gens = tableFromIPC(tables.generations);
		const models = new Set(gens.getChild('model')!.toArray());
		expect([...models].sort()).toEqual(['demo-model', 'my-model', 'ollama/demo-model']);
		const statuses = gens.getChild('status')!.toArray() as string[];
		expect(statuses.filter((s) => s === 'no_code').length).toBe(2);
		const runs = tableFromIPC(tables.runs);
		// Two generations with no code, and GPT-4o's carried verdict on the released refusal (no_code, not a verdict).
		expect(runs.getChild('no_code')!.toArray().reduce((a: number, b: number | null) => a + (b ?? 0), 0)).toBe(3);
	});
});
