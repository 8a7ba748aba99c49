// A data folder may come from someone else. Its labels file is the one file the workbench
// appends to (and, after a crash, cuts at its last newline): planted as a link —
// labels/labels.jsonl → ~/.bashrc, or labels/ → a folder of the user's — labelling would write a
// line chosen by the dataset (its target ids) into that file and could cut its end off. The
// store writes only a regular file inside the data folder; anything else is refused by name.
import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Label } from '../../../../src/lib/core/labels/label.ts';
import { LabelStore } from '../../../../src/lib/server/labels/label-store.ts';

let work: string;
let data: string;
let outside: string;
const VICTIM = 'export PATH=$HOME/bin:$PATH\n# no newline at the end';

beforeEach(async () => {
	work = await mkdtemp(join(tmpdir(), 'covw-label-links-'));
	data = join(work, 'datasets');
	outside = join(work, 'home');
	await mkdir(data, { recursive: true });
	await mkdir(outside, { recursive: true });
	await writeFile(join(outside, '.bashrc'), VICTIM);
});
afterEach(async () => {
	await rm(work, { recursive: true, force: true });
});

const label = (): Label => ({
	target_id: 'x$(touch /tmp/pwned)',
	annotator: 'Ann',
	vulnerable: true,
	cwe: 'CWE-79',
	other_cwe: false,
	skipped: false,
	note: '',
	at: '2026-11-29T05:00:00.000Z'
});

describe('the label store never writes through a link', () => {
	it('refuses labels/labels.jsonl linked to a file outside the data folder, and leaves that file as it was', async () => {
		await mkdir(join(data, 'labels'));
		await symlink(join(outside, '.bashrc'), join(data, 'labels', 'labels.jsonl'));
		const store = new LabelStore(data, () => {});
		await expect(store.append(label())).rejects.toThrow(/labels\/labels\.jsonl.*link/);
		expect(await readFile(join(outside, '.bashrc'), 'utf8')).toBe(VICTIM);
	});

	it('refuses a labels folder that is a link out of the data folder', async () => {
		await symlink(outside, join(data, 'labels'));
		const store = new LabelStore(data, () => {});
		await expect(store.append(label())).rejects.toThrow(/labels.*link/);
		await expect(readFile(join(outside, 'labels.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);
	});

	it('refuses a labels file with other names (a hard link)', async () => {
		await mkdir(join(data, 'labels'));
		await link(join(outside, '.bashrc'), join(data, 'labels', 'labels.jsonl'));
		const store = new LabelStore(data, () => {});
		await expect(store.append(label())).rejects.toThrow(/labels\/labels\.jsonl.*link/);
		expect(await readFile(join(outside, '.bashrc'), 'utf8')).toBe(VICTIM);
	});

	it('refuses labels/label_history.jsonl linked to a file outside the data folder, and leaves that file as it was', async () => {
		await mkdir(join(data, 'labels'));
		await symlink(join(outside, '.bashrc'), join(data, 'labels', 'label_history.jsonl'));
		const store = new LabelStore(data, () => {});
		await expect(store.append(label())).rejects.toThrow(/labels\/label_history\.jsonl.*link/);
		expect(await readFile(join(outside, '.bashrc'), 'utf8')).toBe(VICTIM);
	});

	it('still creates and appends to its own regular file', async () => {
		const store = new LabelStore(data, () => {});
		await store.append(label());
		await store.append({ ...label(), vulnerable: false, cwe: null });
		expect((await store.read()).labels.map((l) => l.vulnerable)).toEqual([true, false]);
	});
});

describe('the answer to a label the store refuses', () => {
	it('is 409 naming the labels file, not a 500', async () => {
		const { errorResponse } = await import('../../../../src/lib/server/http.ts');
		const { LabelStoreRefusedError } = await import('../../../../src/lib/server/labels/index.ts');
		const response = errorResponse(new LabelStoreRefusedError('labels/labels.jsonl: it is a link; labels are written only to a regular file in the data folder'));
		expect(response.status).toBe(409);
		expect((await response.json()).message).toMatch(/labels\/labels\.jsonl: it is a link/);
	});
});
