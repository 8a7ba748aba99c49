// The CLI (Deno, as users run it) refuses a FIFO named to `covw import` by name, as a CliError is
// said (exit 2, one "covw:" line), never waiting on it and never an uncaught error with a stack.
// Against a hang: the child process is killed after 60 s (spawnSync's timeout), which fails the
// test (no exit status 2).
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/engine-fixtures.ts';

const ROOT = resolve(__dirname, '../../..');
let work: ReturnType<typeof tempDir>;
let fifo: string;
beforeAll(() => {
	work = tempDir('covw-cli-fifo-');
	fifo = join(work.path, 'answers.jsonl');
	execFileSync('mkfifo', [fifo]);
});
afterAll(() => work.remove());

describe('covw import with a FIFO', () => {
	it('covw import --labelled <name> <fifo>: refused by name, exit 2', () => {
		const out = spawnSync(process.execPath, [join(ROOT, 'bin/covw.js'), 'import', '--labelled', 'mine', fifo], {
			cwd: work.path,
			encoding: 'utf8',
			timeout: 60_000,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data') }
		});
		expect(out.stderr).toBe(`covw: ${fifo} is a FIFO (named pipe), not a regular file: not read (only regular files, or links to them, are read)\n`);
		expect(out.status).toBe(2);
	}, 90_000);
});
