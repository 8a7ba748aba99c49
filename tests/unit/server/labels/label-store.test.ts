import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Label } from '../../../../src/lib/core/labels/label.ts';
import { DataFolder } from '../../../../src/lib/node/datasets/index.ts';
import { createHeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { LabelStore } from '../../../../src/lib/server/labels/label-store.ts';
import { parseLabelsCsvRows } from '../../../../src/lib/server/labels/labels-csv.ts';

let root: string;
let warnings: string[];
let store: LabelStore;
beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'covw-labels-'));
	warnings = [];
	store = new LabelStore(root, (m) => warnings.push(m));
});
afterEach(async () => {
	await rm(root, { recursive: true, force: true });
});

const file = () => join(root, 'labels', 'labels.jsonl');
const history = () => join(root, 'labels', 'label_history.jsonl');
const lines = async () => (await readFile(file(), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
const historyLines = async () => (await readFile(history(), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

function label(overrides: Partial<Label> = {}): Label {
	return {
		target_id: 'reference/pearce/CWE-79/demo/copilot-1',
		annotator: 'Ann',
		vulnerable: true,
		cwe: 'CWE-79',
		other_cwe: false,
		skipped: false,
		note: '',
		at: '2025-03-01T10:00:00.000Z',
		...overrides
	};
}

describe('append', () => {
	it('writes one JSON line per label under <data>/labels/labels.jsonl, creating the folder', async () => {
		await store.append(label());
		await store.append(label({ annotator: 'Bo', vulnerable: false, cwe: null }));
		expect(await lines()).toEqual([
			{ target_id: 'reference/pearce/CWE-79/demo/copilot-1', annotator: 'Ann', vulnerable: true, cwe: 'CWE-79', other_cwe: false, skipped: false, note: '', at: '2025-03-01T10:00:00.000Z' },
			{ target_id: 'reference/pearce/CWE-79/demo/copilot-1', annotator: 'Bo', vulnerable: false, cwe: null, other_cwe: false, skipped: false, note: '', at: '2025-03-01T10:00:00.000Z' }
		]);
	});

	it('keeps history; the latest label per (target, annotator) wins', async () => {
		await store.append(label({ at: '2025-03-01T10:00:00Z' }));
		await store.append(label({ vulnerable: false, cwe: null, at: '2025-03-01T10:05:00Z', note: 'changed my mind' }));
		await store.append(label({ annotator: 'Bo', at: '2025-03-01T10:01:00Z' }));
		const { labels, latest } = await store.read();
		expect(labels).toHaveLength(3);
		expect(latest).toHaveLength(2);
		expect(latest.find((l) => l.annotator === 'Ann')).toMatchObject({ vulnerable: false, note: 'changed my mind' });
	});

	it('the current label is the one with the greatest time; equal times go to the last written', async () => {
		await store.append(label({ vulnerable: false, cwe: null, at: '2025-03-02T00:00:00Z' }));
		await store.append(label({ at: '2025-03-01T00:00:00Z' }));
		expect((await store.read()).latest[0].vulnerable).toBe(false);
		await store.append(label({ note: 'same time, later', at: '2025-03-02T00:00:00Z' }));
		expect((await store.read()).latest[0]).toMatchObject({ vulnerable: true, note: 'same time, later' });
		expect((await lines())[0]).toMatchObject({ note: 'same time, later' });
	});

	// review C: an older CSV row imported after a newer answer rolled the label back
	it('an imported older row does not beat a newer answer', async () => {
		const answer = label({ at: '2025-06-01T00:00:00.000Z' });
		await store.append(answer);
		const bytes = new TextEncoder().encode(`target_id,annotator,vulnerable,cwe,note,at\n${answer.target_id},Ann,true,CWE-79,old,2025-03-01T00:00:00.000Z\n`);
		expect(await store.addNew(parseLabelsCsvRows(bytes, { file: 'old.csv', now: new Date().toISOString() }))).toEqual({ added: 1, present: 0 });
		expect((await store.read()).latest).toEqual([answer]);
		expect(await lines()).toEqual([answer]);
	});

	it('a re-imported export changes nothing: its rows are in the history already', async () => {
		const older = label({ at: '2025-03-01T00:00:00.000Z' });
		const newer = label({ vulnerable: false, cwe: null, at: '2025-03-02T00:00:00.000Z' });
		await store.appendMany([older, newer]);
		expect(await store.addNew([older, newer].map((l) => ({ label: l, timed: true })))).toEqual({ added: 0, present: 2 });
		expect((await store.read()).latest).toEqual([newer]);
	});

	// The trial: a CSV row dated 2099 for bob hid every later answer of bob (saved in the history only).
	it('a CSV row dated more than 5 minutes ahead is refused on its line; one a minute ahead is taken', () => {
		const now = '2026-01-01T00:00:00.000Z';
		const csv = (at: string) => new TextEncoder().encode(`target_id,annotator,vulnerable,cwe,note,at\n${label().target_id},bob,false,,x,${at}\n`);
		expect(() => parseLabelsCsvRows(csv('2099-01-01T00:00:00.000Z'), { file: 'colleague.csv', now })).toThrow(/colleague\.csv line 2, field "at": "2099-01-01T00:00:00\.000Z" is more than 5 minutes after now/);
		expect(() => parseLabelsCsvRows(csv('2026-01-01T00:06:00.000Z'), { file: 'colleague.csv', now })).toThrow(/field "at"/);
		expect(parseLabelsCsvRows(csv('2026-01-01T00:01:00.000Z'), { file: 'colleague.csv', now })).toHaveLength(1);
	});

	it('a future-dated line written into labels.jsonl or label_history.jsonl by hand does not hide later answers', async () => {
		await store.append(label());
		await writeFile(file(), JSON.stringify(label({ annotator: 'bob', vulnerable: false, cwe: null, at: '2099-01-01T00:00:00.000Z' })) + '\n', { flag: 'a' });
		const first = label({ annotator: 'bob', at: new Date().toISOString() });
		await store.append(first);
		expect((await lines()).find((l) => l.annotator === 'bob')).toEqual(first);
		await writeFile(history(), JSON.stringify(label({ annotator: 'bob', vulnerable: false, cwe: null, note: 'by hand', at: '2099-06-01T00:00:00.000Z' })) + '\n', { flag: 'a' });
		const second = label({ annotator: 'bob', note: 'again', at: new Date().toISOString() });
		await store.append(second);
		expect((await lines()).find((l) => l.annotator === 'bob')).toEqual(second);
		const read = await store.read();
		expect(read.latest.map((l) => l.note)).toEqual(['', 'again']);
		expect(read.warnings.some((w) => /line \d+, field "at": 2099-06-01T00:00:00\.000Z is more than 5 minutes after now; .* not taken as current/.test(w))).toBe(true);
		// a 2099 label alone is not current either: no label of carl on the target
		await writeFile(history(), JSON.stringify(label({ annotator: 'carl', at: '2099-01-01T00:00:00.000Z' })) + '\n', { flag: 'a' });
		expect((await store.read()).latest.map((l) => l.annotator)).toEqual(['Ann', 'bob']);
	});

	// review C: a hand-edited last line that is no label and lacks its newline was deleted by the next rewrite
	it('an unreadable last line of labels.jsonl without a newline survives the next append', async () => {
		await store.append(label());
		await writeFile(file(), '{"target_id": "x", "annotator": "carl", oops', { flag: 'a' });
		await store.append(label({ annotator: 'Bo' }));
		const text = await readFile(file(), 'utf8');
		expect(text).toContain('{"target_id": "x", "annotator": "carl", oops\n');
		await store.append(label({ annotator: 'Cy' }));
		expect((await readFile(file(), 'utf8')).split('{"target_id": "x", "annotator": "carl", oops').length).toBe(2);
		expect((await store.read()).latest.map((l) => l.annotator)).toEqual(['Ann', 'Bo', 'Cy']);
	});

	it('appends made at the same time land whole, one per line', async () => {
		await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(label({ target_id: `t${i}` }))));
		expect((await lines()).map((l) => l.target_id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`).sort());
	});

	it('rejects a bad annotator name and writes nothing', async () => {
		await expect(store.append(label({ annotator: '<b>x</b>' }))).rejects.toThrow(/field "annotator"/);
		await expect(store.append(label({ annotator: 'x'.repeat(41) }))).rejects.toThrow(/annotator/);
		await expect(readFile(file())).rejects.toThrow(/ENOENT/);
	});

	it('rejects contradictory rows', async () => {
		await expect(store.append(label({ skipped: true }))).rejects.toThrow(/field "skipped"/);
		await expect(store.append(label({ vulnerable: false }))).rejects.toThrow(/field "cwe"/);
		await expect(store.append(label({ other_cwe: true, cwe: null }))).rejects.toThrow(/field "other_cwe"/);
		await expect(store.append(label({ at: 'yesterday' }))).rejects.toThrow(/field "at"/);
	});

	it('appendMany writes all or nothing', async () => {
		await expect(store.appendMany([label(), label({ annotator: '' })])).rejects.toThrow(/annotator/);
		await expect(readFile(file())).rejects.toThrow(/ENOENT/);
	});
});

describe('a crash in the middle of a write', () => {
	it('skips an unfinished last line of the history with a warning when reading', async () => {
		await store.append(label());
		await writeFile(history(), '{"target_id":"t2","annot', { flag: 'a' });
		const { labels, warnings: found } = await store.read();
		expect(labels).toHaveLength(1);
		expect(found).toHaveLength(1);
		expect(found[0]).toMatch(/labels\/label_history\.jsonl line 2: unfinished last line skipped/);
		expect(warnings).toEqual(found);
	});

	it('moves the unfinished line aside before the next append, so the file stays valid JSONL', async () => {
		await store.append(label());
		await writeFile(history(), '{"target_id":"t2","annot', { flag: 'a' });
		await store.append(label({ annotator: 'Bo' }));
		expect((await historyLines()).map((l) => l.annotator)).toEqual(['Ann', 'Bo']);
		expect((await lines()).map((l) => l.annotator)).toEqual(['Ann', 'Bo']);
		const aside = (await readdir(join(root, 'labels'))).filter((f) => f.startsWith('.label_history.jsonl.unfinished-'));
		expect(aside).toHaveLength(1);
		expect(await readFile(join(root, 'labels', aside[0]), 'utf8')).toBe('{"target_id":"t2","annot');
		// The data folder serves the files as the `labels` and `label_history` tables (hidden files are not tables).
		const tables = await new DataFolder(root).scan();
		expect(tables.map((t) => [t.name, t.rows, t.error])).toEqual([['label_history', 2, undefined], ['labels', 2, undefined]]);
	});

	it('a complete last line without its newline is kept and the next append starts a new line', async () => {
		await mkdir(join(root, 'labels'));
		await writeFile(file(), JSON.stringify(label()));
		expect((await store.read()).labels).toHaveLength(1);
		await store.append(label({ annotator: 'Bo' }));
		expect((await historyLines()).map((l) => l.annotator)).toEqual(['Ann', 'Bo']);
	});

	it('every damaged line is skipped with a warning naming the file, line and field; labelling goes on and the lines stay in the file', async () => {
		await mkdir(join(root, 'labels'));
		const maybe = JSON.stringify({ ...label({ annotator: 'Bob' }), vulnerable: 'maybe' });
		const broken = '{"target_id": "t9", "annotator": ';
		await writeFile(file(), `${JSON.stringify(label())}\n\n${maybe}\n${broken}\n${JSON.stringify(label({ target_id: 't2' }))}\n`);
		const read = await store.read();
		expect(read.labels.map((l) => l.target_id)).toEqual([label().target_id, 't2']);
		expect(read.warnings).toEqual([
			'labels/label_history.jsonl line 3, field "vulnerable": "maybe" must be true, false or null (line skipped; fix or remove it)',
			expect.stringMatching(/^labels\/label_history\.jsonl line 4: invalid JSON \(.*\) \(line skipped; fix or remove it\)$/),
			'labels/labels.jsonl line 3, field "vulnerable": "maybe" must be true, false or null (line skipped; fix or remove it)',
			expect.stringMatching(/^labels\/labels\.jsonl line 4: invalid JSON/)
		]);
		// Labelling is not blocked, and neither bad line is lost from labels.jsonl.
		await store.append(label({ target_id: 't3' }));
		const text = await readFile(file(), 'utf8');
		expect(text).toContain(`${maybe}\n`);
		expect(text).toContain(`${broken}\n`);
		expect((await store.read()).latest.map((l) => l.target_id).sort()).toEqual([label().target_id, 't2', 't3'].sort());
	});

	it('reports every bad line up to a cap, then counts the rest', async () => {
		await mkdir(join(root, 'labels'));
		const bad = JSON.stringify({ ...label(), skipped: 'no' });
		await writeFile(history(), `${Array.from({ length: 25 }, () => bad).join('\n')}\n${JSON.stringify(label())}\n`);
		const { warnings: found, labels } = await store.read();
		expect(labels).toHaveLength(1);
		expect(found).toHaveLength(21);
		expect(found[19]).toMatch(/^labels\/label_history\.jsonl line 20, field "skipped"/);
		expect(found[20]).toBe('labels/label_history.jsonl: 5 more lines that are not valid labels skipped (25 in all)');
	});

	it('the labels table keeps its types and leaves a bad line out with a warning, as /label does', async () => {
		await store.append(label({ target_id: 'a', vulnerable: true }));
		await store.append(label({ target_id: 'b', vulnerable: false, cwe: null }));
		const text = await readFile(file(), 'utf8');
		await writeFile(file(), `${text}${JSON.stringify({ ...label({ target_id: 'c', annotator: 'bob' }), vulnerable: 'maybe' })}\n`);
		const folder = new DataFolder(root);
		const labelsTable = (await folder.scan()).find((t) => t.name === 'labels')!;
		expect(labelsTable.rows).toBe(2);
		expect(labelsTable.error).toBeUndefined();
		expect(labelsTable.columns.find((c) => c.name === 'vulnerable')?.type).toBe('Bool');
		expect(labelsTable.warnings).toEqual(['labels/labels.jsonl line 3, field "vulnerable": "maybe" must be true, false or null (line skipped; fix or remove it)']);
		const engine = await createHeadlessEngine();
		try {
			engine.loadArrowTable('labels', (await folder.ipcStream('labels')).slice());
			const result = await engine.query('SELECT typeof(vulnerable) AS t, count(*) AS n, sum(vulnerable::INT) AS v FROM labels GROUP BY ALL');
			expect([result.getChild('t')!.get(0), Number(result.getChild('n')!.get(0)), Number(result.getChild('v')!.get(0))]).toEqual(['BOOLEAN', 2, 1]);
		} finally {
			engine.close();
		}
	});

	it('no file means no labels', async () => {
		expect(await store.read()).toEqual({ labels: [], latest: [], warnings: [] });
	});
});

describe('the labels table holds one current label per (target, annotator); the history is kept beside it', () => {
	it('v, n, v on one target: one row in labels (the last answer), three in label_history', async () => {
		await store.append(label({ at: '2025-03-01T10:00:00.000Z' }));
		await store.append(label({ vulnerable: false, cwe: null, at: '2025-03-01T10:00:01.000Z' }));
		await store.append(label({ at: '2025-03-01T10:00:02.000Z' }));
		expect(await lines()).toEqual([label({ at: '2025-03-01T10:00:02.000Z' })]);
		expect((await historyLines()).map((l) => l.vulnerable)).toEqual([true, false, true]);
		const tables = await new DataFolder(root).scan();
		expect(tables.map((t) => [t.name, t.rows])).toEqual([['label_history', 3], ['labels', 1]]);
		// What a notebook's majority reads: one vote per annotator and target.
		const { labels, latest } = await store.read();
		expect([labels.length, latest.length]).toEqual([3, 1]);
	});

	it('a data folder from before the history file: its labels.jsonl becomes the history byte for byte, labels.jsonl the current labels', async () => {
		await mkdir(join(root, 'labels'));
		const old = [label(), label({ vulnerable: false, cwe: null, at: '2025-03-01T11:00:00.000Z' }), label({ annotator: 'Bo' })].map((l) => JSON.stringify(l) + '\n').join('');
		await writeFile(file(), old);
		const { labels, latest } = await store.read();
		expect([labels.length, latest.length]).toEqual([3, 2]);
		expect(await readFile(history(), 'utf8')).toBe(old);
		expect((await lines()).map((l) => [l.annotator, l.vulnerable])).toEqual([['Ann', false], ['Bo', true]]);
	});

	it('a row written into labels.jsonl by another tool is kept: added to the history, not lost on the next rewrite', async () => {
		await store.append(label());
		await writeFile(file(), JSON.stringify(label({ annotator: 'Cy' })) + '\n', { flag: 'a' });
		await store.append(label({ annotator: 'Bo' }));
		expect((await historyLines()).map((l) => l.annotator)).toEqual(['Ann', 'Cy', 'Bo']);
		expect((await lines()).map((l) => l.annotator).sort()).toEqual(['Ann', 'Bo', 'Cy']);
	});

	it('addNew: the same rows a second time add nothing, and say so', async () => {
		const rows = [label(), label({ annotator: 'Bo', vulnerable: false, cwe: null })];
		expect(await store.addNew(rows.map((l) => ({ label: l, timed: true })))).toEqual({ added: 2, present: 0 });
		expect(await store.addNew(rows.map((l) => ({ label: l, timed: true })))).toEqual({ added: 0, present: 2 });
		// Rows without a time of their own (stamped now) are there when the current label says the same.
		const later = rows.map((l) => ({ label: { ...l, at: '2025-05-01T00:00:00.000Z' }, timed: false }));
		expect(await store.addNew(later)).toEqual({ added: 0, present: 2 });
		// A changed answer is new; a repeated row in the same call counts once.
		const changed = { label: label({ vulnerable: false, cwe: null, at: '2025-05-02T00:00:00.000Z' }), timed: false };
		expect(await store.addNew([changed, { ...changed, label: { ...changed.label, at: '2025-05-02T00:00:01.000Z' } }])).toEqual({ added: 1, present: 1 });
		expect(await historyLines()).toHaveLength(3);
		expect(await lines()).toHaveLength(2);
	});
});

describe('a labels.jsonl saved by an editor (review10 #5)', () => {
	it('with a BOM and CRLF: line 1 is a label, both count; the rewrite keeps both as labels, without the BOM', async () => {
		const t1 = label({ target_id: 't1' });
		const t2 = label({ target_id: 't2', vulnerable: false, cwe: null });
		await mkdir(join(root, 'labels'), { recursive: true });
		await writeFile(file(), '\uFEFF' + JSON.stringify(t1) + '\r\n' + JSON.stringify(t2) + '\r\n');
		const snapshot = await store.read();
		expect(snapshot.latest.map((l) => l.target_id).sort()).toEqual(['t1', 't2']);
		expect(snapshot.warnings).toEqual([]);
		const after = await readFile(file(), 'utf8');
		expect(after.startsWith('\uFEFF')).toBe(false);
		expect((await lines()).map((l) => l.target_id).sort()).toEqual(['t1', 't2']);
		// The data folder's labels table reads the rewritten file whole too.
		const { readLabelsTable } = await import('../../../../src/lib/node/datasets/read-labels.ts');
		expect(readLabelsTable(await readFile(file()), 'labels/labels.jsonl').table.numRows).toBe(2);
	});

	it('with bytes that are not UTF-8: refused with the file and line, and nothing is rewritten', async () => {
		await mkdir(join(root, 'labels'), { recursive: true });
		const bytes = Buffer.concat([Buffer.from(JSON.stringify(label({ target_id: 't1' })) + '\n'), Buffer.from('{"note": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
		await writeFile(file(), bytes);
		await expect(store.read()).rejects.toThrow(/labels\/labels\.jsonl line 2 is not UTF-8 text/);
		expect(Buffer.compare(await readFile(file()), bytes)).toBe(0);
		await expect(readdir(join(root, 'labels'))).resolves.toEqual(['labels.jsonl']);
	});
});
