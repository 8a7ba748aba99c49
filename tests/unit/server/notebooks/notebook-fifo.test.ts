// A FIFO (named pipe) at a notebook's name is refused by name, never waited on: reading it (the
// page, GET /api/notebooks/<name>) or saving over it would otherwise hold one of Node's file
// system threads until a writer comes — four of them and every file read of the server hangs.
//
// Against a hang: a helper process (started here, stopped by its pid) opens the FIFOs for writing
// every half second from 15 s on, which releases a blocked reader; the test then fails on what it
// finds (no "is a FIFO" error) rather than hanging.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookStore } from '../../../../src/lib/server/notebooks/index.ts';

let dir: string;
let guard: ChildProcess | null = null;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'covw-nb-fifo-'));
	const fifos = [join(dir, 'pipe.md'), join(dir, 'saved.md')];
	for (const f of fifos) execFileSync('mkfifo', [f]);
	const release = `const fs = require('node:fs'); const paths = JSON.parse(process.argv[1]);
setTimeout(() => setInterval(() => { for (const p of paths) { try { fs.closeSync(fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch {} } }, 500), 15000);`;
	guard = spawn(process.execPath, ['-e', release, JSON.stringify(fifos)], { stdio: 'ignore' });
});
afterAll(() => {
	if (guard?.pid) guard.kill();
	rmSync(dir, { recursive: true, force: true });
});

describe('a FIFO named like a notebook', () => {
	it('is not listed, and reading it is refused by name', async () => {
		const store = new NotebookStore(dir);
		expect((await store.list()).map((n) => n.name)).toEqual([]);
		await expect(store.read('pipe')).rejects.toThrow(/pipe\.md is a FIFO \(named pipe\), not a regular file/);
	}, 30_000);

	it('saving over it is refused by name', async () => {
		const store = new NotebookStore(dir);
		await expect(store.write('saved', '# mine\n', 'v0')).rejects.toThrow(/is a FIFO \(named pipe\), not a regular file/);
		// No temporary file left behind.
		expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	}, 30_000);
});
