// Listing the notebooks folder: only files named <name>.md are notebooks; a folder (or a link to
// one) that happens to be named `x.md` is skipped, never a failure of the whole list (issue 9 item 15).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotebookStore } from '../../../../src/lib/server/notebooks/index.ts';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'covw-list-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('NotebookStore.list', () => {
	it('skips a folder named x.md', async () => {
		writeFileSync(join(dir, 'real.md'), '---\ntitle: Real\n---\n');
		mkdirSync(join(dir, 'x.md'));
		expect((await new NotebookStore(dir).list()).map((n) => n.name)).toEqual(['real']);
	});

	it('skips a link to a folder, inside or outside the notebooks folder', async () => {
		writeFileSync(join(dir, 'real.md'), 'text\n');
		mkdirSync(join(dir, 'inner'));
		symlinkSync(join(dir, 'inner'), join(dir, 'inside.md'));
		const outside = mkdtempSync(join(tmpdir(), 'covw-outside-'));
		try {
			symlinkSync(outside, join(dir, 'outside.md'));
			expect((await new NotebookStore(dir).list()).map((n) => n.name)).toEqual(['real']);
		} finally {
			rmSync(outside, { recursive: true, force: true });
		}
	});

	it('still lists a link to a notebook file inside the folder', async () => {
		writeFileSync(join(dir, 'real.md'), 'text\n');
		symlinkSync(join(dir, 'real.md'), join(dir, 'alias.md'));
		expect((await new NotebookStore(dir).list()).map((n) => n.name)).toEqual(['alias', 'real']);
	});
});
