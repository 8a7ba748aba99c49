import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { writeVerdictRuns } from '../../../support/verdict-runs.ts';
import { Labelling, LabellingInputError } from '../../../../src/lib/server/labels/labelling.ts';
import { LabelCsvError } from '../../../../src/lib/server/labels/labels-csv.ts';

// Toy programs of our own, not benchmark data.
function item(id: string, set: Item['set'], cwe: Item['cwe'], label: Item['label']): Item {
	return {
		item_id: id,
		task: set === 'pearce' ? 'reference' : 'detection',
		set,
		cwe,
		language: 'python',
		scenario: 'toy',
		code: `def handler(x):\n    return x  # ${id}\n`,
		label,
		label_class: label === 'vulnerable' ? cwe : label === null ? null : 'non_vulnerable',
		source: `toy/${label}/${id}.py`
	};
}
const ITEMS = [
	item('p1', 'pearce', 'CWE-79', 'vulnerable'),
	item('p2', 'pearce', 'CWE-79', 'non_vulnerable'),
	item('p3', 'pearce', 'CWE-89', 'vulnerable'),
	item('d1', 'detection', 'CWE-79', 'vulnerable')
];

let root: string;
let labelling: Labelling;
beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'covw-labelling-'));
	labelling = new Labelling(root, async () => runTablesIPC(join(root, 'runs')).verdicts);
});
afterEach(async () => {
	await rm(root, { recursive: true, force: true });
});

async function withItems() {
	await writeItemsArrow(join(root, 'coveval', 'items.arrow'), ITEMS);
}
async function withVerdicts() {
	writeVerdictRuns(join(root, 'runs'), [
		{ run_id: 'r1', target_id: 'p1', judge: 'rules', template: 'rule', vulnerable: true, predicted_cwe: 'CWE-79', status: 'ok' },
		{ run_id: 'r1', target_id: 'p2', judge: 'rules', template: 'rule', vulnerable: false, predicted_cwe: null, status: 'ok' },
		{ run_id: 'r2', target_id: 'p1', judge: 'gpt', template: 'zero-shot', vulnerable: null, predicted_cwe: null, status: 'unparsed' }
	]);
}

describe('labelling', () => {
	it('says clearly when no benchmark is imported', async () => {
		expect(await labelling.sources()).toEqual({ available: false, items_imported: false, sets: [], cwes: [], runs: [], evolve_runs: [] });
		await expect(labelling.target('Ann', {})).rejects.toThrow(/coveval\/items\.arrow does not exist/);
	});

	it('lists sets and CWEs for the source filter', async () => {
		await withItems();
		expect(await labelling.sources()).toEqual({
			available: true,
			items_imported: true,
			runs: [],
			evolve_runs: [],
			sets: [
				{ value: 'detection', count: 1 },
				{ value: 'pearce', count: 3 }
			],
			cwes: [
				{ value: 'CWE-79', count: 3 },
				{ value: 'CWE-89', count: 1 }
			]
		});
	});

	it('serves targets in order within the filter, without the dataset label, until answered', async () => {
		await withItems();
		await withVerdicts();
		const first = await labelling.target('Ann', { set: 'pearce', cwe: 'CWE-79' });
		expect(first.target).toEqual({
			target_id: 'p1',
			kind: 'item',
			task: 'reference',
			set: 'pearce',
			cwe: 'CWE-79',
			language: 'python',
			scenario: 'toy',
			code: ITEMS[0].code,
			prompt_item_id: null,
			sample: null
		});
		expect(first.reveal).toBeNull();
		expect(first.label).toBeNull();
		expect(first.progress).toEqual({ answered: 0, skipped: 0, total: 2 });
		expect(JSON.stringify(first)).not.toMatch(/vulnerable\/p1|non_vulnerable|"rules"/);

		const saved = await labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'vulnerable', note: 'echoes input' });
		expect(saved.label).toMatchObject({ target_id: 'p1', annotator: 'Ann', vulnerable: true, cwe: 'CWE-79', other_cwe: false, skipped: false, note: 'echoes input' });
		expect(saved.reveal?.dataset_label).toBe('vulnerable');
		expect(saved.reveal?.generation).toBeNull();
		expect(saved.reveal?.verdicts).toEqual([
			{ run_id: 'r1', judge: 'rules', template: 'rule', vulnerable: true, predicted_cwe: 'CWE-79', status: 'ok' },
			{ run_id: 'r2', judge: 'gpt', template: 'zero-shot', vulnerable: null, predicted_cwe: null, status: 'unparsed' }
		]);

		const second = await labelling.target('Ann', { set: 'pearce', cwe: 'CWE-79' });
		expect(second.target?.target_id).toBe('p2');
		expect(second.progress).toEqual({ answered: 1, skipped: 0, total: 2 });

		// Going back to an answered target shows the answer and the reveal.
		const back = await labelling.target('Ann', {}, 'p1');
		expect(back.label?.note).toBe('echoes input');
		expect(back.reveal?.verdicts).toHaveLength(2);
		// Another annotator has not answered p1: nothing revealed to them.
		expect((await labelling.target('Bo', {}, 'p1')).reveal).toBeNull();
	});

	it('a skip or a note alone reveals nothing; skip moves on, a note does not', async () => {
		await withItems();
		const noted = await labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'none', note: 'come back to this' });
		expect(noted.reveal).toBeNull();
		const again = await labelling.target('Ann', { set: 'pearce' });
		expect(again.target?.target_id).toBe('p1');
		expect(again.label?.note).toBe('come back to this');

		const skipped = await labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'skip' });
		expect(skipped.reveal).toBeNull();
		const next = await labelling.target('Ann', { set: 'pearce' });
		expect(next.target?.target_id).toBe('p2');
		expect(next.progress).toEqual({ answered: 0, skipped: 1, total: 3 });
	});

	it('other CWE records the CWE named; naming the target CWE is plain vulnerable', async () => {
		await withItems();
		const other = await labelling.give({ target_id: 'p3', annotator: 'Ann', answer: 'other_cwe', cwe: '20' });
		expect(other.label).toMatchObject({ vulnerable: true, cwe: 'CWE-20', other_cwe: true });
		const same = await labelling.give({ target_id: 'p3', annotator: 'Ann', answer: 'other_cwe', cwe: 'CWE-89' });
		expect(same.label).toMatchObject({ vulnerable: true, cwe: 'CWE-89', other_cwe: false });
	});

	it('done when every target in the filter is answered', async () => {
		await withItems();
		await labelling.give({ target_id: 'd1', annotator: 'Ann', answer: 'not_vulnerable' });
		const done = await labelling.target('Ann', { set: 'detection' });
		expect(done).toEqual({ target: null, label: null, reveal: null, progress: { answered: 1, skipped: 0, total: 1 } });
	});

	it('bad requests are input errors that name the field', async () => {
		await withItems();
		await expect(labelling.target('A<b>', {})).rejects.toBeInstanceOf(LabellingInputError);
		await expect(labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'maybe' })).rejects.toThrow(/field "answer"/);
		await expect(labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'other_cwe' })).rejects.toThrow(/field "cwe"/);
		await expect(labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'vulnerable', note: 7 })).rejects.toThrow(/field "note"/);
		await expect(labelling.target('Ann', {}, 'nope')).rejects.toThrow(/no item or generation with target_id "nope"/);
	});

	it('imports CSV with other_cwe derived from the items, and summarises agreement', async () => {
		await withItems();
		const csv = 'target_id,annotator,vulnerable,cwe,note\np1,Ann,true,CWE-79,\np1,Bo,true,CWE-20,\np1,Cy,false,,\n';
		expect(await labelling.importCsv(new TextEncoder().encode(csv), 'three.csv')).toEqual({ added: 3, already: 0 });
		const summary = await labelling.agreement();
		expect(summary.needs_review.map((v) => [v.target_id, v.counts])).toEqual([['p1', { vulnerable: 1, other_cwe: 1, not_vulnerable: 1 }]]);
	});

	it('importing the same CSV twice adds nothing the second time and says so; labels.jsonl keeps one row per target and annotator', async () => {
		await withItems();
		const csv = new TextEncoder().encode('target_id,annotator,vulnerable,cwe,note\np1,Ann,true,CWE-79,\np2,Ann,false,,\np1,Bo,false,,\n');
		expect(await labelling.importCsv(csv, 'mine.csv')).toEqual({ added: 3, already: 0 });
		expect(await labelling.importCsv(csv, 'mine.csv')).toEqual({ added: 0, already: 3 });
		// The export of the store, imported back (with its times), is there already too.
		const exported = new TextEncoder().encode(await labelling.exportCsv());
		expect(await labelling.importCsv(exported, 'labels.csv')).toEqual({ added: 0, already: 3 });
		const onDisk = (await readFile(join(root, 'labels', 'labels.jsonl'), 'utf8')).trim().split('\n');
		expect(onDisk).toHaveLength(3);
		// A majority over the labels table counts each annotator once per target.
		expect((await labelling.agreement()).needs_review.map((v) => [v.target_id, v.counts])).toEqual([['p1', { vulnerable: 1, other_cwe: 0, not_vulnerable: 1 }]]);
	});

	it('a label for a target that exists nowhere is refused, nothing saved', async () => {
		await withItems();
		await expect(labelling.give({ target_id: 'no-such-target', annotator: 'carol', answer: 'vulnerable' })).rejects.toThrow(LabellingInputError);
		expect((await labelling.store.read()).labels).toEqual([]);
	});

	it('a CSV row whose target is no item, generation or survivor is refused with file, line and field; nothing is written', async () => {
		await withItems();
		const csv = 'target_id,annotator,vulnerable,cwe,note\np1,Ann,true,CWE-79,\nno-such-target,carol,true,CWE-79,\np2,carol,false,,\n';
		const error = await labelling.importCsv(new TextEncoder().encode(csv), 'carol.csv').catch((e) => e);
		expect(error).toBeInstanceOf(LabelCsvError);
		expect(error.problems).toEqual(['carol.csv line 3, field "target_id": "no-such-target" is not an item of the imported benchmark, a generation of a generation run, or a Vul-Evol survivor']);
		expect((await labelling.store.read()).labels).toEqual([]);
		expect((await labelling.agreement()).targets).toBe(0);
	});
});
