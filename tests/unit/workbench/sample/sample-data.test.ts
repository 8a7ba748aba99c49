// The sample view's data: from a row's ids to the item, the answer, every verdict and the
// labels, read from real run tables (planted runs → runTablesIPC) in duckdb-wasm's Node bundle,
// the engine the browser runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { itemTables, loadSample, type SampleSource } from '../../../../src/lib/workbench/sample/sample-data.ts';
import { writeVerdictRuns } from '../../../support/verdict-runs.ts';
import { writeGenerationRun } from '../../server/labels/generation-runs.ts';

// Toy programs of our own (no benchmark text).
const ITEM: Item = {
	item_id: 'toy/1',
	task: 'completion',
	set: 'seed',
	cwe: 'CWE-78',
	language: 'python',
	scenario: 'ping a host the user names',
	code: 'import os\ndef ping(host):\n',
	label: null,
	label_class: null,
	source: 'toy'
};

// A program of a labelled set (`covw import --labelled my-set`): item `my-set/<id>` in the
// table my_set_items, labelled by the set.
const SET_ITEM: Item = {
	item_id: 'my-set/copy-after',
	task: 'reference',
	set: 'my-set' as Item['set'],
	cwe: 'CWE-787',
	language: 'c',
	scenario: 'copy-pair',
	code: 'void f(char *d, const char *s) { strncpy(d, s, 7); d[7] = 0; }\n',
	label: 'non_vulnerable',
	label_class: null,
	source: 'toy'
};

let engine: HeadlessEngine;
let source: SampleSource;
let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sample-data-'));
	writeGenerationRun(dir, 'gen-a', 'model-a', [
		{ unit_id: 'u-a', item_id: 'toy/1', cwe: 'CWE-78', language: 'python', status: 'ok', code: 'import os\ndef ping(host):\n    os.system("ping " + host)\n', response: 'Here:\n```python\n...\n```' }
	]);
	writeGenerationRun(dir, 'gen-b', 'model-b', [
		{ unit_id: 'u-b', item_id: 'toy/1', cwe: 'CWE-78', language: 'python', status: 'ok', code: null, response: 'I cannot help.' }
	]);
	writeVerdictRuns(dir, [
		{ run_id: 'judge-1', target_id: 'u-a', judge: 'rules', template: null, vulnerable: true, predicted_cwe: 'CWE-78', status: 'ok', line: 3, rule: 'os-system', raw: 'os.system with a built string' },
		{ run_id: 'judge-2', target_id: 'u-a', judge: 'llm', template: 'zero-shot', vulnerable: null, predicted_cwe: null, status: 'unparsed', raw: 'maybe?' },
		{ run_id: 'judge-2', target_id: 'toy/1', judge: 'llm', template: 'zero-shot', vulnerable: false, predicted_cwe: null, status: 'ok' },
		{ run_id: 'judge-3', target_id: 'my-set/copy-after', judge: 'rules', template: null, vulnerable: true, predicted_cwe: 'CWE-787', status: 'ok', line: 1 }
	]);
	engine = await createHeadlessEngine();
	const tables = runTablesIPC(dir);
	engine.loadArrowTable('generations', tables.generations);
	engine.loadArrowTable('verdicts', tables.verdicts);
	engine.loadArrowTable('items', itemsToArrowStream([ITEM]));
	engine.loadArrowTable('my_set_items', itemsToArrowStream([SET_ITEM]));
	await engine.registerRows('labels', {
		target_id: ['u-a', 'other'],
		annotator: ['ann', 'ann'],
		vulnerable: ['true', 'false'],
		note: ['string-built command', null]
	});
	source = {
		tableNames: () => engine.tableNames(),
		rows: async (sql) => (await engine.query(sql) as unknown as { toArray(): { toJSON(): Record<string, unknown> }[] }).toArray().map((r) => r.toJSON())
	};
}, 60_000);

afterAll(() => {
	engine?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('loadSample', () => {
	it('gathers a generation: its item, answer, code, every verdict (with the finding line) and its labels', async () => {
		const sample = (await loadSample(source, { target_id: null, unit_id: 'u-a', item_id: null }))!;
		expect(sample.target_id).toBe('u-a');
		expect(sample.item_id).toBe('toy/1');
		expect(sample.item?.scenario).toBe('ping a host the user names');
		expect(sample.generation?.model).toBe('model-a');
		expect(sample.code).toContain('os.system');
		expect(sample.language).toBe('python');
		expect(sample.verdicts.map((v) => [v.judge, v.vulnerable, v.status, v.line])).toEqual([
			['llm', null, 'unparsed', null],
			['rules', true, 'ok', 3]
		]);
		expect(sample.verdicts.find((v) => v.judge === 'rules')?.raw).toBe('os.system with a built string');
		expect(sample.labels.map((l) => l.note)).toEqual(['string-built command']);
		expect(sample.answers.map((a) => a.model)).toEqual(['model-a', 'model-b']);
		expect(sample.missing).toEqual([]);
	});

	it("follows a verdict's target_id, and a judge unit's unit_id to its target", async () => {
		const byTarget = (await loadSample(source, { target_id: 'u-a', unit_id: 'judge-1-0', item_id: 'u-a' }))!;
		expect(byTarget.generation?.unit_id).toBe('u-a');
		const byJudgeUnit = (await loadSample(source, { target_id: null, unit_id: 'judge-1-0', item_id: null }))!;
		expect(byJudgeUnit.target_id).toBe('u-a');
		expect(byJudgeUnit.generation?.model).toBe('model-a');
	});

	it("shows an item target by itself: the item's code, the verdicts on the item", async () => {
		const sample = (await loadSample(source, { target_id: null, unit_id: null, item_id: 'toy/1' }))!;
		expect(sample.generation).toBeNull();
		expect(sample.code).toBe(ITEM.code);
		expect(sample.verdicts.map((v) => [v.judge, v.vulnerable])).toEqual([['llm', false]]);
		expect(sample.answers).toHaveLength(2);
	});

	it('an answer with no code says so (code null), and a missing items table is reported', async () => {
		const noItems: SampleSource = { ...source, tableNames: async () => (await engine.tableNames()).filter((t) => t !== 'items') };
		const sample = (await loadSample(noItems, { target_id: null, unit_id: 'u-b', item_id: null }))!;
		expect(sample.code).toBeNull();
		expect(sample.item).toBeNull();
		expect(sample.missing).toEqual(['items']);
	});

	it("finds a labelled set's program in <set>_items: its code, its label, and no 'items not loaded'", async () => {
		const noItems: SampleSource = { ...source, tableNames: async () => (await engine.tableNames()).filter((t) => t !== 'items') };
		for (const src of [source, noItems]) {
			const sample = (await loadSample(src, { target_id: 'my-set/copy-after', unit_id: null, item_id: 'my-set/copy-after' }))!;
			expect(sample.item_table).toBe('my_set_items');
			expect(sample.item?.label).toBe('non_vulnerable');
			expect(sample.code).toBe(SET_ITEM.code);
			expect(sample.language).toBe('c');
			expect(sample.verdicts.map((v) => [v.judge, v.vulnerable, v.line])).toEqual([['rules', true, 1]]);
			expect(sample.missing).not.toContain('items');
		}
		expect(itemTables('my-set/x')).toEqual(['items', 'my_set_items']);
		expect(itemTables('9lives/x')).toEqual(['items', 't_9lives_items']);
		expect(itemTables('toy')).toEqual(['items']);
		expect(itemTables("x';drop/y")).toEqual(['items']);
	});

	it('a row with no ids gives no sample', async () => {
		expect(await loadSample(source, { target_id: null, unit_id: null, item_id: null })).toBeNull();
	});
});
