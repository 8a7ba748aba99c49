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
const ANSWERS_CSV = resolve(__dirname, '../../fixtures/import/plain-answers.csv');
const LABELLED = resolve(__dirname, '../../fixtures/import/labelled.jsonl');
let work: ReturnType<typeof tempDir>;
let itemsFile: string;
beforeAll(() => {
	work = tempDir('covw-cli-pipe-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(() => work.remove());

function covwSh(script: string, file = ANSWERS) {
	return spawnSync('bash', ['-c', script, 'bash', process.execPath, join(ROOT, 'bin/covw.js'), itemsFile, file], {
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

	it('covw import - (standard input): JSON Lines and CSV, without --allow-all', () => {
		const out = covwSh('cat "$4" | "$1" "$2" import - --items-file "$3"');
		expect(out.stderr).not.toMatch(/permission|NotCapable|allow-all/i);
		expect(out.stdout).toMatch(/^imported stdin \(plain, sha256 [0-9a-f]{16}…\): \d+ of \d+ record/);
		expect(out.status).not.toBeNull();
		expect(out.status).not.toBe(2);
		const csv = covwSh('cat "$4" | "$1" "$2" import - --items-file "$3"', ANSWERS_CSV);
		expect(csv.stdout).toMatch(/^imported stdin\.csv \(plain/);
		expect(csv.status).not.toBe(2);
		// Empty input: a clear error, nothing written.
		const empty = covwSh('"$1" "$2" import - --items-file "$3" < /dev/null');
		expect(empty.stderr).toMatch(/import: -: standard input was empty/);
		expect(empty.status).toBe(2);
	}, 120_000);

	it('covw import --labelled <name> - (standard input): the set is imported as from the file', () => {
		const out = covwSh('cat "$4" | "$1" "$2" import --labelled piped -', LABELLED);
		expect(out.stderr).not.toMatch(/permission|NotCapable|FIFO|not a regular file/i);
		expect(out.stdout).toMatch(/^labelled set piped: \d+ of \d+ program\(s\) from stdin \(/);
		expect(out.status).not.toBe(2);
		// The same bytes again: recognised as already imported (same sha256 as the file's).
		const again = covwSh('"$1" "$2" import --labelled piped - < "$4"', LABELLED);
		expect(again.stdout).toMatch(/labelled set piped \(already imported from this file\)/);
	}, 120_000);
});
