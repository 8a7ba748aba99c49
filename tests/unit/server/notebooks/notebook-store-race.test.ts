// Issue 9 item 6: an edit made on disk by another program while the workbench saves is never
// lost. Before the fix, NotebookStore.write checked the version, fsynced a temp file, then
// renamed it over whatever was there by then: an external edit landing in between vanished.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../src/lib/server/notebooks/notebook-errors.ts';
import { NotebookStore } from '../../../../src/lib/server/notebooks/notebook-store.ts';

let base: string;
let folder: string;
let store: NotebookStore;
beforeAll(async () => {
	base = await mkdtemp(join(tmpdir(), 'covw-race-'));
	folder = join(base, 'notebooks');
	store = new NotebookStore(folder);
});
afterAll(async () => {
	await rm(base, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Another program saving the file: in place (truncate + write) or the editors' temp + rename. */
async function externalEdit(path: string, text: string, how: 'in-place' | 'rename'): Promise<void> {
	if (how === 'in-place') return writeFile(path, text);
	const temp = `${path}.editor-${Math.random().toString(36).slice(2)}`;
	await writeFile(temp, text);
	await rename(temp, path);
}

describe('an external edit racing a save (item 6)', () => {
	it('300 races: the external edit is never lost; a save that loses says so (ConflictError)', async () => {
		let conflicts = 0;
		let saved = 0;
		const lost: string[] = [];
		for (let i = 0; i < 300; i++) {
			const name = `race-${i}`;
			const path = join(folder, `${name}.md`);
			const { version } = await store.create(name, `base ${i}\n`);
			const theirs = `edited elsewhere ${i}\n`;
			const ours = `autosave ${i}\n`;
			const delay = (i % 7) * 0.5;
			const [save] = await Promise.allSettled([
				store.write(name, ours, version),
				pause(delay).then(() => externalEdit(path, theirs, i % 2 === 0 ? 'in-place' : 'rename'))
			]);
			if (save.status === 'rejected') {
				expect(save.reason).toBeInstanceOf(ConflictError);
				conflicts++;
			} else saved++;
			// Either the save finished first and the external edit came after it (the file holds
			// theirs), or the save saw the edit and refused: in both cases the file holds theirs.
			const final = await readFile(path, 'utf8');
			if (final !== theirs) lost.push(`${name}: file holds ${JSON.stringify(final)}`);
		}
		expect(lost).toEqual([]);
		expect(conflicts + saved).toBe(300);
		// No temp or set-aside files are left behind.
		expect((await readdir(folder)).filter((f) => f.startsWith('.') && f !== '.trash')).toEqual([]);
	}, 60_000);

	it('a save that loses the race leaves the other version in place and tells what is on disk', async () => {
		const { version } = await store.create('told', 'base\n');
		const path = join(folder, 'told.md');
		await externalEdit(path, 'theirs\n', 'rename');
		const error = await store.write('told', 'ours\n', version).catch((e) => e);
		expect(error).toBeInstanceOf(ConflictError);
		expect(error.currentText).toBe('theirs\n');
		expect(await readFile(path, 'utf8')).toBe('theirs\n');
	});
});

describe('replaceIfUnchanged: an edit landing at each step', async () => {
	const { replaceIfUnchanged } = await import('../../../../src/lib/server/notebooks/replace-if-unchanged.ts');
	const { writeFileSync } = await import('node:fs');
	const bytes = (text: string) => new TextEncoder().encode(text);
	const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

	it('a new file at the path after the set-aside wins; ours is refused', async () => {
		const path = join(folder, 'step-a.md');
		writeFileSync(path, 'base');
		const result = await replaceIfUnchanged(path, bytes('ours'), {
			isExpected: () => (writeFileSync(path, 'newer'), true),
			keepFolder: join(folder, '.trash')
		});
		expect(result.replaced).toBe(false);
		expect(!result.replaced && text(result.current)).toBe('newer');
		expect(await readFile(path, 'utf8')).toBe('newer');
	});

	it('two edits racing one save: the newer stays, the other is kept in .trash and named', async () => {
		const path = join(folder, 'step-b.md');
		writeFileSync(path, 'first edit');
		const result = await replaceIfUnchanged(path, bytes('ours'), {
			isExpected: () => (writeFileSync(path, 'second edit'), false),
			keepFolder: join(folder, '.trash')
		});
		expect(result.replaced).toBe(false);
		if (result.replaced) return;
		expect(text(result.current)).toBe('second edit');
		expect(result.keptAs).toMatch(/\.trash\/step-b-.*-overwritten\.md$/);
		expect(await readFile(result.keptAs!, 'utf8')).toBe('first edit');
	});

	it('the file deleted meanwhile: nothing is created, the caller is told', async () => {
		const path = join(folder, 'step-c.md');
		const result = await replaceIfUnchanged(path, bytes('ours'), { isExpected: () => true, keepFolder: join(folder, '.trash') });
		expect(result).toEqual({ replaced: false, current: null });
		await expect(readFile(path)).rejects.toThrow(/ENOENT/);
	});
});
