// One notebook file far over the size limit (a 2.5 GB sparse file, trial-red w9 items 7 and 8)
// must not break the list or be read: it is listed as not openable with the reason, opening it
// is a clear error naming the file and the limit, and every other notebook still works.
import { mkdtempSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTEBOOK_MAX_BYTES, NotebookStore, NotebookTooLargeError } from '../../../../src/lib/server/notebooks/index.ts';
import { errorResponse } from '../../../../src/lib/server/http.ts';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'covw-size-'));
	writeFileSync(join(dir, 'small.md'), '---\ntitle: Small one\n---\n```sql id=a\nSELECT 1\n```\n');
	writeFileSync(join(dir, 'zz.md'), '');
	truncateSync(join(dir, 'zz.md'), 2500 * 1024 * 1024); // sparse: no disk used, over node's 2 GiB read limit
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('notebook size limit', () => {
	it('is 5 MiB', () => expect(NOTEBOOK_MAX_BYTES).toBe(5 * 1024 * 1024));

	it('lists a too-large notebook as not openable, with the reason, and the others as before', async () => {
		const list = await new NotebookStore(dir).list();
		expect(list.map((n) => n.name)).toEqual(['small', 'zz']);
		expect(list[0]).toMatchObject({ name: 'small', title: 'Small one' });
		expect(list[0].problem).toBeUndefined();
		expect(list[1].title).toBeNull();
		expect(list[1].problem).toMatch(/notebooks\/zz\.md.*2.4 GiB.*limit of 5 MiB/);
	});

	it('refuses to open it with an error naming the file and the limit, before reading it', async () => {
		const store = new NotebookStore(dir);
		const error = await store.read('zz').catch((e) => e);
		expect(error).toBeInstanceOf(NotebookTooLargeError);
		expect(error.message).toMatch(/notebooks\/zz\.md/);
		expect(error.message).toMatch(/limit of 5 MiB/);
		const response = errorResponse(error);
		expect(response.status).toBe(422);
		expect((await response.json()).message).toMatch(/zz\.md.*limit of 5 MiB/);
		expect((await store.read('small')).text).toContain('SELECT 1');
	});

	it('just over the limit is refused, at the limit is read', async () => {
		writeFileSync(join(dir, 'edge.md'), 'x'.repeat(NOTEBOOK_MAX_BYTES));
		const store = new NotebookStore(dir);
		expect((await store.read('edge')).text.length).toBe(NOTEBOOK_MAX_BYTES);
		writeFileSync(join(dir, 'edge.md'), 'x'.repeat(NOTEBOOK_MAX_BYTES + 1));
		await expect(store.read('edge')).rejects.toBeInstanceOf(NotebookTooLargeError);
		expect((await store.list()).find((n) => n.name === 'edge')?.problem).toMatch(/limit/);
	});

	it('refuses to save or create a text it could not read back', async () => {
		const store = new NotebookStore(dir);
		const big = 'é'.repeat(NOTEBOOK_MAX_BYTES / 2 + 1); // over the limit in UTF-8 bytes only
		await expect(store.create('big', big)).rejects.toBeInstanceOf(NotebookTooLargeError);
		const { version } = await store.read('small');
		await expect(store.write('small', big, version)).rejects.toBeInstanceOf(NotebookTooLargeError);
		expect((await store.read('small')).version).toBe(version);
	});

	it('can still delete it (to the trash), unread', async () => {
		const store = new NotebookStore(dir);
		const { trashedAs } = await store.delete('zz');
		expect(existsSync(join(dir, trashedAs))).toBe(true);
		expect((await store.list()).map((n) => n.name)).toEqual(['small']);
	});

	it('near the limit the message gives exact bytes; a save says it was not saved, not that the notebook is not opened (review10 #7)', async () => {
		writeFileSync(join(dir, 'edge.md'), 'x'.repeat(NOTEBOOK_MAX_BYTES + 1));
		const store = new NotebookStore(dir);
		const error = await store.read('edge').catch((e) => e);
		expect(error.message).toContain('is 5,242,881 bytes, over the limit of 5,242,880 bytes');
		const { version } = await store.read('small');
		const saving = await store.write('small', 'y'.repeat(NOTEBOOK_MAX_BYTES + 1), version).catch((e) => e);
		expect(saving).toBeInstanceOf(NotebookTooLargeError);
		expect(saving.message).toMatch(/^Not saved: notebook "small" would be 5,242,881 bytes, over the limit of 5,242,880 bytes/);
		expect(saving.message).not.toMatch(/not opened|in an editor/);
		expect((await store.read('small')).version).toBe(version);
		// Far over, a rounded size reads better.
		expect((await store.list()).find((n) => n.name === 'zz')?.problem).toMatch(/2.4 GiB.*limit of 5 MiB/);
	});

	it('a file that grows after its size was checked is read no further than the limit and a byte (review10 #10)', async () => {
		const { readAtMost } = await import('../../../../src/lib/server/notebooks/read-at-most.ts');
		const path = join(dir, 'grown.md');
		writeFileSync(path, 'z'.repeat(3000));
		const over = await readAtMost(path, 1000);
		expect(over.over).toBe(true);
		expect(over.bytes.byteLength).toBe(1001);
		const whole = await readAtMost(path, 3000);
		expect(whole).toMatchObject({ over: false });
		expect(whole.bytes.byteLength).toBe(3000);
		writeFileSync(path, '');
		expect((await readAtMost(path, 10)).bytes.byteLength).toBe(0);
	});
});
