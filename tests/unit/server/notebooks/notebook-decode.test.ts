// A notebook file that is not UTF-8 text is refused when read, with its name, line and byte —
// never served as replacement characters that the page would show as "0 cells" (and save back).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { NotebookStore } from '../../../../src/lib/server/notebooks/notebook-store.ts';
import { errorResponse } from '../../../../src/lib/server/http.ts';
import { NotebookDecodeError } from '../../../../src/lib/notebook/decode.ts';

let base: string;
beforeEach(async () => {
	base = await mkdtemp(join(tmpdir(), 'covw-nb-decode-'));
	await mkdir(join(base, 'notebooks'));
});
afterEach(async () => {
	await rm(base, { recursive: true, force: true });
});

it('refuses a binary notebook with a located error (422), and keeps a byte-order mark', async () => {
	await writeFile(join(base, 'notebooks', 'image.md'), new Uint8Array([0x23, 0x0a, 0x0a, 0xff, 0xd8, 0xff]));
	await writeFile(join(base, 'notebooks', 'bom.md'), '\uFEFF# Title\n');
	const store = new NotebookStore(join(base, 'notebooks'));
	const error = await store.read('image').catch((e: unknown) => e);
	expect(error).toBeInstanceOf(NotebookDecodeError);
	const response = errorResponse(error);
	expect(response.status).toBe(422);
	expect((await response.json()).message).toBe('image.md:3: not UTF-8 (byte 0xff) at byte 3; a notebook is a UTF-8 text (Markdown) file');
	expect((await store.read('bom')).text).toBe('\uFEFF# Title\n');
});
