// `covw import <(zcat x.jsonl.gz)` and `covw import <a named FIFO>` (Deno, as users run it): a file the
// user names on the command line may be a pipe, read as a stream — it is not refused as a FIFO
// (only files FOUND in the data/runs folders must be regular). Against a hang: the child is killed
// after 60 s (spawnSync's timeout), which fails the test (no exit status, no "imported" line).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/engine-fixtures.ts';
import { writeItemsFile } from '../runs/fixtures.ts';

const ROOT = resolve(__dirname, '../../..');
const ANSWERS = resolve(__dirname, '../../fixtures/import/plain-answers.jsonl');
let work: ReturnType<typeof tempDir>;
let itemsFile: string;
beforeAll(() => {
	work = tempDir('covw-cli-pipe-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(() => work.remove());

function covwSh(script: string) {
	return spawnSync('bash', ['-c', script, 'bash', process.execPath, join(ROOT, 'bin/covw.js'), itemsFile, ANSWERS], {
		cwd: work.path,
		encoding: 'utf8',
		timeout: 60_000,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data') }
	});
}

describe('covw import of a pipe the user named', () => {
	it('covw import <(cat file): read as a stream and imported', () => {
		const out = covwSh('"$1" "$2" import <(cat "$4") --items-file "$3"');
		expect(out.stderr).not.toMatch(/FIFO/);
		expect(out.stdout).toMatch(/imported \/dev\/fd\/\d+ \(plain/);
		expect(out.status).not.toBeNull();
		expect(out.status).not.toBe(2);
	}, 90_000);

	it('covw import <named FIFO> with a writer: read as a stream and imported', () => {
		const out = covwSh('f="$PWD/answers.fifo"; mkfifo "$f"; cat "$4" > "$f" & "$1" "$2" import "$f" --items-file "$3"; s=$?; wait; exit $s');
		expect(out.stderr).not.toMatch(/FIFO/);
		expect(out.stdout).toMatch(/imported \S*answers\.fifo \(plain/);
		expect(out.status).not.toBeNull();
		expect(out.status).not.toBe(2);
	}, 90_000);
});
