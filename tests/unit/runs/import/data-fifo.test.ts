// A FIFO (named pipe) in the data folder, or named to an import, is refused by name — never
// opened in a way that waits for a writer (that would hang `covw import`, `covw data import`, or
// the server's labels and import routes). Links inside the data folder still work: users link
// their datasets in (engine/atomic-file.ts readRegularFile follows links, refuses non-files).
//
// Against a hang: a blocked open cannot be timed out from inside the process it blocks, so a
// helper process (started here, stopped by its pid) opens every FIFO for writing every half
// second from 15 s on: that releases a blocked reader, which then reads nothing; the test fails
// on what it finds (no "is a FIFO" error) instead of hanging the whole suite.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotRegularFileError, openRegularFile, readRegularFile, readRegularFileAsync } from '../../../../src/lib/engine/atomic-file.ts';
import { readItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { readItemsFile } from '../../../../src/lib/node/coveval/items-read.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { readRecordFile } from '../../../../src/lib/runs/import/import-runs.ts';
import { claimLabelledName } from '../../../../src/lib/runs/import/labelled-claim.ts';
import { importLabelledSet, labelledSetOfSha256, loadLabelledSet } from '../../../../src/lib/runs/import/labelled-set.ts';
import { readAcceptanceVotes } from '../../../../src/lib/server/labels/acceptance-votes.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const FIX = resolve(__dirname, '../../../fixtures/import');
let work: ReturnType<typeof tempDir>;
let guard: ChildProcess | null = null;
const fifos: string[] = [];
const FIFO_ERROR = /is a FIFO \(named pipe\), not a regular file: not read/;

function fifo(path: string): string {
	mkdirSync(join(path, '..'), { recursive: true });
	execFileSync('mkfifo', [path]);
	fifos.push(path);
	return path;
}

const at = (...parts: string[]) => join(work.path, ...parts);

beforeAll(async () => {
	work = tempDir('covw-data-fifo-');
	// A real set, "good", then its files copied into sets whose meta or items are FIFOs.
	await importLabelledSet({ dataDir: at('data'), path: join(FIX, 'labelled.jsonl'), name: 'good' });
	fifo(at('data', 'labelled', 'pipemeta.meta.json'));
	copyFileSync(at('data', 'labelled', 'good.items.arrow'), at('data', 'labelled', 'pipemeta.items.arrow'));
	copyFileSync(at('data', 'labelled', 'good.meta.json'), at('data', 'labelled', 'pipeitems.meta.json'));
	fifo(at('data', 'labelled', 'pipeitems.items.arrow'));
	// A set linked in from elsewhere in the data folder (users link datasets): still read.
	mkdirSync(at('data', 'stash'), { recursive: true });
	copyFileSync(at('data', 'labelled', 'good.meta.json'), at('data', 'stash', 'linked.meta.json'));
	copyFileSync(at('data', 'labelled', 'good.items.arrow'), at('data', 'stash', 'linked.items.arrow'));
	symlinkSync(at('data', 'stash', 'linked.meta.json'), at('data', 'labelled', 'linked.meta.json'));
	symlinkSync(at('data', 'stash', 'linked.items.arrow'), at('data', 'labelled', 'linked.items.arrow'));
	fifo(at('claims', '.busy.importing'));
	fifo(at('votes', 'labels', 'labels.jsonl'));
	fifo(at('upload', 'answers.jsonl'));
	fifo(at('templates', 'code_completion.txt'));
	fifo(at('items', 'items.arrow'));
	// A link to a FIFO: followed, and what it names refused.
	symlinkSync(at('upload', 'answers.jsonl'), at('upload', 'linked.jsonl'));
	const release = `const fs = require('node:fs'); const paths = JSON.parse(process.argv[1]);
setTimeout(() => setInterval(() => { for (const p of paths) { try { fs.closeSync(fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch {} } }, 500), 15000);`;
	guard = spawn(process.execPath, ['-e', release, JSON.stringify(fifos)], { stdio: 'ignore' });
});
afterAll(() => {
	if (guard?.pid) guard.kill();
	work.remove();
});

describe('the one reader of data files (engine/atomic-file.ts)', () => {
	it('refuses a FIFO, a link to one and a folder by name and kind; reads a regular file and a link to one', async () => {
		expect(() => openRegularFile(at('upload', 'answers.jsonl'))).toThrow(NotRegularFileError);
		expect(() => readRegularFile(at('upload', 'answers.jsonl'))).toThrow(`${at('upload', 'answers.jsonl')} is a FIFO (named pipe), not a regular file`);
		expect(() => readRegularFile(at('upload', 'linked.jsonl'))).toThrow(FIFO_ERROR);
		expect(() => readRegularFile(at('data', 'stash'))).toThrow(/stash is a folder, not a regular file/);
		await expect(readRegularFileAsync(at('upload', 'answers.jsonl'))).rejects.toThrow(FIFO_ERROR);
		await expect(readRegularFileAsync(at('upload', 'linked.jsonl'), { followLinks: false })).rejects.toThrow(/linked\.jsonl is a symbolic link/);
		writeFileSync(at('upload', 'plain.txt'), 'hello');
		expect(new TextDecoder().decode(readRegularFile(at('data', 'labelled', 'linked.meta.json')))).toContain('"name": "good"');
		expect(new TextDecoder().decode(await readRegularFileAsync(at('upload', 'plain.txt')))).toBe('hello');
		expect(() => readRegularFile(at('upload', 'absent.txt'))).toThrow(/ENOENT/);
	});
});

describe('a FIFO in the data folder', () => {
	it('as a labelled set\'s meta or items: loadLabelledSet refuses it by name (the run page, covw judge --items)', async () => {
		await expect(loadLabelledSet(at('data'), 'pipemeta')).rejects.toThrow(/pipemeta\.meta\.json is a FIFO/);
		await expect(loadLabelledSet(at('data'), 'pipeitems')).rejects.toThrow(/pipeitems\.items\.arrow is a FIFO/);
		// The linked-in set is read as any other.
		expect((await loadLabelledSet(at('data'), 'linked'))!.items.length).toBe((await loadLabelledSet(at('data'), 'good'))!.items.length);
	});

	it('as a labelled set\'s meta: an import of that name says so; the search by sha256 passes over it', async () => {
		await expect(importLabelledSet({ dataDir: at('data'), path: join(FIX, 'labelled.jsonl'), name: 'pipemeta' })).rejects.toThrow(/pipemeta\.meta\.json is a FIFO/);
		const good = (await loadLabelledSet(at('data'), 'good'))!.meta;
		expect(labelledSetOfSha256(at('data'), good.sha256)?.name).toBe('good');
		expect(labelledSetOfSha256(at('data'), 'f'.repeat(64))).toBeNull();
	});

	it('as an import\'s claim file: refused by name', () => {
		expect(() => claimLabelledName(at('claims'), 'busy')).toThrow(/\.busy\.importing is a FIFO/);
	});

	it('as the labels file: the acceptance votes (covw evolve, the evolve cell) refuse it by name', () => {
		expect(() => readAcceptanceVotes(at('votes'))).toThrow(/labels\.jsonl is a FIFO/);
	});

	it('as the items table or a template: refused by name', async () => {
		await expect(readItemsArrow(at('items', 'items.arrow'))).rejects.toThrow(/items\.arrow is a FIFO/);
		await expect(readItemsFile(at('items', 'items.arrow'))).rejects.toThrow(/items\.arrow is a FIFO/);
		await expect(loadTemplates(at('templates'))).rejects.toThrow(/code_completion\.txt is a FIFO/);
	});
});

describe('a FIFO named to an import', () => {
	it('covw import <fifo>: refused by name, also through a link', () => {
		expect(() => readRecordFile(at('upload', 'answers.jsonl'))).toThrow(FIFO_ERROR);
		expect(() => readRecordFile(at('upload', 'linked.jsonl'))).toThrow(FIFO_ERROR);
	});

	it('covw import --labelled <fifo>: refused by name', async () => {
		await expect(importLabelledSet({ dataDir: at('data'), path: at('upload', 'answers.jsonl'), name: 'piped' })).rejects.toThrow(FIFO_ERROR);
	});
});
