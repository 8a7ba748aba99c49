// The majority a notebook computes from the `labels` table (the query figure5-evaluators.md gives
// the reader) counts each annotator once per program: revisions (v, n, v on one target) and a
// CSV imported twice are not votes. Labels are given through the store, the table read the way
// the data folder serves it, and the notebook's own query run on the notebooks' DuckDB.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolder } from '../../../../src/lib/node/datasets/index.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { LabelStore } from '../../../../src/lib/server/labels/label-store.ts';
import type { Label } from '../../../../src/lib/core/labels/label.ts';

let root: string;
let engine: HeadlessEngine;
beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'covw-majority-'));
	engine = await createHeadlessEngine();
});
afterEach(async () => {
	engine.close();
	await rm(root, { recursive: true, force: true });
});

let clock = 0;
const label = (target_id: string, annotator: string, vulnerable: boolean): Label => ({
	target_id,
	annotator,
	vulnerable,
	cwe: vulnerable ? 'CWE-79' : null,
	other_cwe: false,
	skipped: false,
	note: '',
	at: new Date(Date.UTC(2025, 0, 1, 0, 0, ++clock)).toISOString()
});

/** The inline query of figure5-evaluators.md that reads `FROM labels`. */
async function notebookMajorityQuery(): Promise<string> {
	const text = await readFile(resolve(__dirname, '../../../../notebooks/figure5-evaluators.md'), 'utf8');
	const queries = [...text.matchAll(/`(SELECT [^`]*FROM labels[^`]*)`/g)].map((m) => m[1]);
	expect(queries).toHaveLength(1);
	return queries[0];
}

describe("figure5's majority from the labels table", () => {
	it('one vote per annotator and program: revisions and a second import are not votes; a tie decides nothing', async () => {
		const store = new LabelStore(root, () => {});
		// p1: alice v, n, v, v (her answer: vulnerable); bo n; cy n → not vulnerable (2 of 3).
		// Counting her revisions as votes would make it a 3-3 tie.
		await store.append(label('p1', 'alice', true));
		await store.append(label('p1', 'alice', false));
		await store.append(label('p1', 'alice', true));
		await store.append(label('p1', 'alice', true));
		await store.append(label('p1', 'bo', false));
		await store.append(label('p1', 'cy', false));
		// p2: alice v, bo v — imported twice.
		const csvRows = [label('p2', 'alice', true), label('p2', 'bo', true)];
		for (let i = 0; i < 2; i++) await store.addNew(csvRows.map((l) => ({ label: l, timed: true })));
		// p3: alice v, bo n → a tie.
		await store.append(label('p3', 'alice', true));
		await store.append(label('p3', 'bo', false));

		const folder = new DataFolder(root);
		expect((await folder.scan()).map((t) => [t.name, t.rows])).toEqual([['label_history', 10], ['labels', 7]]);
		engine.loadArrowTable('labels', await folder.ipcStream('labels'));
		await engine.registerRows('items', { item_id: ['p1', 'p2', 'p3'], cwe: ['CWE-79', 'CWE-79', 'CWE-79'], scenario: ['s', 's', 's'], language: ['python', 'python', 'python'] });
		const result = await engine.query(`SELECT item_id, ref_vulnerable FROM (${await notebookMajorityQuery()}) ORDER BY item_id`);
		const column = (name: string) => Array.from({ length: result.numRows }, (_, i) => result.getChild(name)!.get(i));
		expect([column('item_id'), column('ref_vulnerable')]).toEqual([
			['p1', 'p2'],
			[false, true]
		]);
	});
});
