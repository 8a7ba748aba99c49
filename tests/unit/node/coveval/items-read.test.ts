// The command line reads the items table with the small all-Utf8 Arrow reader
// (src/lib/arrow/utf8-stream-reader.ts, via node/coveval/items-read.ts): it must give exactly
// the items apache-arrow gives (nulls, empty strings, any text, several record batches, a task
// filter), and decline (null) whatever it does not read, so apache-arrow reads it instead.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Int32, Table, Utf8, tableToIPC, vectorFromArray, Dictionary, makeVector, RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ITEM_COLUMNS, type Item } from '../../../../src/lib/core/items/item.ts';
import { readUtf8Stream } from '../../../../src/lib/arrow/utf8-stream-reader.ts';
import { itemsFromArrowStream, itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { itemsFromUtf8Stream, readItemsFile } from '../../../../src/lib/node/coveval/items-read.ts';

const tasks = ['completion', 'detection', 'repair', 'reference'] as const;
const item = (i: number): Item =>
	({
		item_id: `${tasks[i % 4]}/CWE-${i}/demo/${i}`,
		task: tasks[i % 4],
		set: 'seed',
		cwe: 'CWE-79',
		language: i % 2 ? 'c' : 'python',
		scenario: i % 5 === 0 ? '' : `scenario ${i}`,
		code: `line 1\n\tline "2" é ✓ 🙂 \u0000 ${'x'.repeat(i * 7)}`,
		label: i % 3 === 0 ? null : 'vulnerable',
		label_class: i % 4 === 1 ? 'CWE-79' : null,
		source: `src/${i}.py`
	}) as unknown as Item;
const items = Array.from({ length: 37 }, (_, i) => item(i));

describe('the small Utf8 reader of the items table', () => {
	const bytes = itemsToArrowStream(items);

	it('gives the items apache-arrow gives, every task filter included', () => {
		expect(itemsFromUtf8Stream(bytes)).toEqual(itemsFromArrowStream(bytes));
		expect(itemsFromUtf8Stream(bytes)).toEqual(items);
		for (const task of tasks) expect(itemsFromUtf8Stream(bytes, { task })).toEqual(itemsFromArrowStream(bytes, { task }));
		// The same key order as apache-arrow's rows (ITEM_COLUMNS).
		expect(Object.keys(itemsFromUtf8Stream(bytes)![0])).toEqual([...ITEM_COLUMNS]);
	});

	it('reads a table of several record batches, and an empty one', () => {
		const batches = [items.slice(0, 10), items.slice(10, 11), items.slice(11)].map(
			(part) => new Table(Object.fromEntries(ITEM_COLUMNS.map((c) => [c, vectorFromArray(part.map((x) => x[c]), new Utf8())]))).batches[0]
		);
		const several = tableToIPC(new Table(batches as RecordBatch[]), 'stream');
		expect(readUtf8Stream(several)!.numRows).toBe(items.length);
		expect(itemsFromUtf8Stream(several)).toEqual(itemsFromArrowStream(several));
		const empty = itemsToArrowStream([]);
		expect(itemsFromUtf8Stream(empty)).toEqual([]);
	});

	it('gives null for a missing column, as apache-arrow does', () => {
		const partial = tableToIPC(new Table({ item_id: vectorFromArray(['a', 'b'], new Utf8()), task: vectorFromArray(['detection', null], new Utf8()) }), 'stream');
		expect(itemsFromUtf8Stream(partial)).toEqual(itemsFromArrowStream(partial));
		expect(itemsFromUtf8Stream(partial)![1]).toMatchObject({ item_id: 'b', task: null, code: null });
	});

	it('declines what it does not read: another column type, a dictionary column, damaged bytes', () => {
		const ints = tableToIPC(new Table({ item_id: vectorFromArray(['a'], new Utf8()), n: vectorFromArray([1], new Int32()) }), 'stream');
		expect(readUtf8Stream(ints)).toBeNull();
		const dict = tableToIPC(new Table({ task: makeVector({ type: new Dictionary(new Utf8(), new Int32()), data: Int32Array.from([0]), dictionary: vectorFromArray(['detection'], new Utf8()) } as never) }), 'stream');
		expect(readUtf8Stream(dict)).toBeNull();
		expect(readUtf8Stream(bytes.slice(0, bytes.length / 2))).toBeNull();
		expect(readUtf8Stream(new Uint8Array([1, 2, 3]))).toBeNull();
		const garbage = bytes.slice();
		garbage.fill(0xff, 8, 40);
		expect(readUtf8Stream(garbage)).toBeNull();
	});

	it('readItemsFile falls back to apache-arrow for a table the small reader declines', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'covw-items-read-'));
		try {
			const file = join(dir, 'items.arrow');
			const mixed = tableToIPC(new Table({ item_id: vectorFromArray(['a', 'b'], new Utf8()), task: vectorFromArray(['detection', 'repair'], new Utf8()), n: vectorFromArray([1, 2], new Int32()) }), 'stream');
			writeFileSync(file, mixed);
			expect(readUtf8Stream(mixed)).toBeNull();
			expect(await readItemsFile(file, { task: 'detection' })).toEqual(itemsFromArrowStream(mixed, { task: 'detection' }));
			writeFileSync(file, bytes);
			expect(await readItemsFile(file, { task: 'repair' })).toEqual(items.filter((i) => i.task === 'repair'));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	const shared = resolve(__dirname, '../../../../../shared/coveval');
	it.skipIf(!existsSync(shared))('reads the benchmark\'s items (from ../shared/coveval, at run time) as apache-arrow does', async () => {
		const { loadItemsFromFolder } = await import('../../../../src/lib/node/coveval/load-items.ts');
		const data = itemsToArrowStream((await loadItemsFromFolder(shared)).items);
		expect(itemsFromUtf8Stream(data)).toEqual(itemsFromArrowStream(data));
		expect(itemsFromUtf8Stream(data, { task: 'detection' })).toHaveLength(531);
	}, 60_000);
});
