import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	ConflictError,
	InvalidNotebookNameError,
	NotebookConflictMarkersError,
	NotebookExistsError,
	NotebookNotFoundError
} from '../../../../src/lib/server/notebooks/notebook-errors.ts';
import { NotebookStore } from '../../../../src/lib/server/notebooks/notebook-store.ts';

let base: string;
let folder: string;
let store: NotebookStore;
beforeEach(async () => {
	base = await mkdtemp(join(tmpdir(), 'covw-nb-'));
	folder = join(base, 'notebooks');
	store = new NotebookStore(folder);
});
afterEach(async () => {
	await rm(base, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
const onDisk = (name: string) => readFile(join(folder, `${name}.md`), 'utf8');
const files = async () => (await readdir(folder)).sort();

describe('create and read', () => {
	it('creates a file and reads it back with version = sha256 of the bytes', async () => {
		const text = '---\ntitle: Zoë\n---\nprose ✓\n';
		const { version } = await store.create('fig4', text);
		// Independent check: Node's Buffer encoding + sha256 of the same string.
		expect(version).toBe(sha256(text));
		expect(await onDisk('fig4')).toBe(text);
		expect(await store.read('fig4')).toEqual({ name: 'fig4', text, version });
	});

	it('creates the folder when it is missing', async () => {
		await store.create('a', 'x');
		expect(await files()).toEqual(['a.md']);
	});

	it('refuses to create over an existing notebook and leaves it untouched', async () => {
		await store.create('a', 'first');
		await expect(store.create('a', 'second')).rejects.toBeInstanceOf(NotebookExistsError);
		expect(await onDisk('a')).toBe('first');
		expect(await files()).toEqual(['a.md']); // no temp file left behind
	});

	it('reports a missing notebook', async () => {
		await expect(store.read('nope')).rejects.toBeInstanceOf(NotebookNotFoundError);
	});
});

describe('write', () => {
	it('writes when the expected version matches and returns the new version', async () => {
		const { version } = await store.create('a', 'one');
		const result = await store.write('a', 'two', version);
		expect(result.version).toBe(sha256('two'));
		expect(await onDisk('a')).toBe('two');
		expect(await files()).toEqual(['a.md']); // the temp file was renamed, not left
	});

	it('throws a ConflictError carrying what is on disk when the file changed elsewhere', async () => {
		const { version } = await store.create('a', 'one');
		await writeFile(join(folder, 'a.md'), 'edited in vim');
		const attempt = store.write('a', 'from the browser', version);
		await expect(attempt).rejects.toBeInstanceOf(ConflictError);
		const error = (await attempt.catch((e) => e)) as ConflictError;
		expect(error.currentVersion).toBe(sha256('edited in vim'));
		expect(error.currentText).toBe('edited in vim');
		expect(error.expectedVersion).toBe(version);
		expect(await onDisk('a')).toBe('edited in vim');
	});

	it('throws a ConflictError with nulls when the file was deleted since it was read', async () => {
		const { version } = await store.create('a', 'one');
		await rm(join(folder, 'a.md'));
		const error = (await store.write('a', 'x', version).catch((e) => e)) as ConflictError;
		expect(error).toBeInstanceOf(ConflictError);
		expect(error.currentVersion).toBeNull();
		expect(error.currentText).toBeNull();
		expect(await files()).toEqual([]);
	});

	it('lets only one of two saves based on the same version win', async () => {
		const { version } = await store.create('a', 'base');
		const results = await Promise.allSettled([store.write('a', 'tab one', version), store.write('a', 'tab two', version)]);
		expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason).toBeInstanceOf(ConflictError);
		const winner = results.findIndex((r) => r.status === 'fulfilled');
		expect(await onDisk('a')).toBe(winner === 0 ? 'tab one' : 'tab two');
	});

	it('refuses non-string text instead of saving "undefined"', async () => {
		const { version } = await store.create('a', 'one');
		await expect(store.write('a', undefined as unknown as string, version)).rejects.toThrow(TypeError);
		await expect(store.create('b', 42 as unknown as string)).rejects.toThrow('notebook text must be a string, got number');
		expect(await onDisk('a')).toBe('one');
		expect(await files()).toEqual(['a.md']);
	});

	it('rejects a bad name before touching the disk', async () => {
		await expect(store.write('../escape', 'x', 'v')).rejects.toBeInstanceOf(InvalidNotebookNameError);
		await expect(store.create('../escape', 'x')).rejects.toBeInstanceOf(InvalidNotebookNameError);
		await expect(readdir(base)).resolves.toEqual([]);
	});
});

describe('rename', () => {
	it('renames and keeps the content', async () => {
		await store.create('old', 'content');
		await store.rename('old', 'new');
		expect(await files()).toEqual(['new.md']);
		expect(await onDisk('new')).toBe('content');
	});

	it('refuses to replace an existing notebook', async () => {
		await store.create('a', 'A');
		await store.create('b', 'B');
		await expect(store.rename('a', 'b')).rejects.toBeInstanceOf(NotebookExistsError);
		expect(await onDisk('a')).toBe('A');
		expect(await onDisk('b')).toBe('B');
	});

	it('reports a missing source and checks both names', async () => {
		await expect(store.rename('ghost', 'x')).rejects.toBeInstanceOf(NotebookNotFoundError);
		await store.create('a', 'A');
		await expect(store.rename('a', '../../x')).rejects.toBeInstanceOf(InvalidNotebookNameError);
		await expect(store.rename('../a', 'b')).rejects.toBeInstanceOf(InvalidNotebookNameError);
		expect(await files()).toEqual(['a.md']);
	});
});

describe('delete', () => {
	it('moves the file into .trash with a timestamp, never destroying it', async () => {
		await store.create('a', 'keep me');
		const first = await store.delete('a');
		expect(first.trashedAs).toMatch(/^\.trash\/a-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-\d+)?\.md$/);
		expect(await readFile(join(folder, first.trashedAs), 'utf8')).toBe('keep me');
		expect(await files()).toEqual(['.trash']);

		// Deleting a second notebook of the same name keeps both trashed copies.
		await store.create('a', 'second');
		const second = await store.delete('a');
		expect(second.trashedAs).not.toBe(first.trashedAs);
		expect(await readFile(join(folder, second.trashedAs), 'utf8')).toBe('second');
		expect((await readdir(join(folder, '.trash'))).filter((f) => f.endsWith('.md')).length).toBe(2);
	});

	it('with an expected version, refuses to trash a file changed since', async () => {
		const { version } = await store.create('a', 'one');
		await writeFile(join(folder, 'a.md'), 'two');
		await expect(store.delete('a', version)).rejects.toBeInstanceOf(ConflictError);
		expect(await onDisk('a')).toBe('two');
	});

	it('reports a missing notebook', async () => {
		await expect(store.delete('ghost')).rejects.toBeInstanceOf(NotebookNotFoundError);
	});
});

describe('list', () => {
	it('lists valid notebooks with title, size and mtime; ignores the rest', async () => {
		await store.create('b-second', '---\ntitle: Second\n---\n');
		await store.create('a-first', 'no front matter');
		await writeFile(join(folder, 'README.md'), 'upper case: not a notebook name');
		await writeFile(join(folder, 'notes.txt'), 'x');
		await writeFile(join(folder, '.a-first.md.123.tmp'), 'x');
		await store.delete('b-second');
		await store.create('b-second', '---\ntitle: "Back"\n---\n');
		const listed = await store.list();
		expect(listed.map(({ name, title, size }) => ({ name, title, size }))).toEqual([
			{ name: 'a-first', title: null, size: 15 },
			{ name: 'b-second', title: 'Back', size: 22 }
		]);
		expect(listed[0].mtimeMs).toBeGreaterThan(0);
	});

	it('is empty for a missing folder', async () => {
		expect(await store.list()).toEqual([]);
	});
});

describe('symbolic links', () => {
	it('refuses a link that points out of the folder, for reading and writing', async () => {
		await store.create('a', 'inside');
		const secret = join(base, 'secret.txt');
		await writeFile(secret, 'outside');
		await symlink(secret, join(folder, 'leak.md'));
		await expect(store.read('leak')).rejects.toBeInstanceOf(InvalidNotebookNameError);
		await expect(store.write('leak', 'pwned', sha256('outside'))).rejects.toBeInstanceOf(InvalidNotebookNameError);
		expect(await readFile(secret, 'utf8')).toBe('outside');
		expect((await store.list()).map((n) => n.name)).toEqual(['a']);
	});
});

describe('git conflict markers and the trash', () => {
	const conflicted = 'intro\n<<<<<<< HEAD\n```sql id=a\nSELECT 1\n```\n=======\n```sql id=a\nSELECT 2\n```\n>>>>>>> feature\n';

	it('a save that would write merge-conflict markers back is refused, naming the lines; the file stays as it is', async () => {
		const { version } = await store.create('merged', 'intro\n');
		const error = await store.write('merged', conflicted, version).catch((e) => e);
		expect(error).toBeInstanceOf(NotebookConflictMarkersError);
		expect(error.message).toMatch(/^notebook "merged" not saved: git merge-conflict markers at lines 2\/6\/10: /);
		expect(await onDisk('merged')).toBe('intro\n');
	});

	it('a file with markers on disk: the same text is no write; a page edit that keeps them is refused; one that resolves them saves', async () => {
		await store.create('merged', 'x\n');
		await writeFile(join(folder, 'merged.md'), conflicted);
		const { version } = await store.read('merged');
		expect((await store.write('merged', conflicted, version)).version).toBe(version);
		await expect(store.write('merged', `${conflicted}more prose\n`, version)).rejects.toBeInstanceOf(NotebookConflictMarkersError);
		expect(await onDisk('merged')).toBe(conflicted);
		await store.write('merged', 'intro\n```sql id=a\nSELECT 2\n```\n', version);
		expect(await onDisk('merged')).toBe('intro\n```sql id=a\nSELECT 2\n```\n');
	});

	it('the trash folder carries its own .gitignore, so git add notebooks leaves deleted notebooks out', async () => {
		await store.create('gone', 'bye\n');
		await store.delete('gone');
		expect(await readFile(join(folder, '.trash', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
		expect((await store.list()).map((n) => n.name)).toEqual([]);
	});
});

describe('a save to a notebook renamed since it was opened', () => {
	it('says where it went when this store renamed it, and "deleted" when it did not', async () => {
		const { version } = await store.create('trial', 'text\n');
		await store.rename('trial', 'trial-moved');
		const error = await store.write('trial', 'text\nmore\n', version).catch((e) => e);
		expect(error).toBeInstanceOf(ConflictError);
		expect([error.currentVersion, error.renamedTo, error.message]).toEqual([null, 'trial-moved', 'notebook "trial" was renamed to "trial-moved" since it was opened']);
		// renamed twice: the name now
		await store.rename('trial-moved', 'trial-final');
		expect((await store.write('trial', 'x\n', version).catch((e) => e)).renamedTo).toBe('trial-final');
		// deleted after the rename: no name to give
		await store.delete('trial-final');
		const gone = await store.write('trial', 'x\n', version).catch((e) => e);
		expect([gone.renamedTo, gone.message]).toEqual([null, 'notebook "trial" was deleted on disk since it was opened']);
	});
});
