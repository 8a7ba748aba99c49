// A run folder swapped for a link AFTER the session checked it (run-session.ts checkRunFolder)
// is not written through: every file the session opens must really be in the run folder the
// check found (atomic-file.ts openNoFollow `within`: on Linux the descriptor's real path, from
// /proc/self/fd). The swap is done by the test itself: through the session's hook between the
// check and the opens, and between opening a session and finishing it.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, realpathSync } from 'node:fs';
import { checkedFolder, LinkRefusedError, openedPath, openNoFollow, writeFileAtomic } from '../../../src/lib/engine/atomic-file.ts';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const PROC = existsSync('/proc/self/fd');
const root = join(__dirname, '../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);

let dir: ReturnType<typeof tempDir>;
let runs: string;
let outside: string;
beforeEach(() => {
	dir = tempDir('covw-swap-');
	runs = join(dir.path, 'runs');
	outside = join(dir.path, 'home');
	mkdirSync(runs);
	mkdirSync(outside);
	writeFileSync(join(outside, 'log.jsonl'), 'my own file\n');
});
afterEach(() => dir.remove());

const open = (runId: string, hooks = {}) => RunSession.open({ runsDir: runs, runId, params: { a: 1 }, unitIds: ['u1'], onWarning: () => {} }, hooks);
const row = (id: string): ResultRow => ({
	unit_id: id, sample: 0, status: 'ok', response: 'def f(): pass', error: null, latency_ms: 1, tokens_in: 1, tokens_out: 1, cached: false, attempts: 1,
	finished_at: '2026-11-29T10:00:00.000Z', meta: { item_id: id }
});

/** runs/<id> moved away and a link to `outside` put in its place. */
function swap(runId: string): void {
	renameSync(join(runs, runId), join(runs, `${runId}-moved`));
	symlinkSync(outside, join(runs, runId));
}

describe.skipIf(!PROC)('a run folder swapped for a link after its check (Linux: /proc/self/fd)', () => {
	it('between the check and the opens: the session is refused, nothing written or read outside', () => {
		expect(() => open('swapped', { afterFolderCheck: () => swap('swapped') })).toThrow(/was opened at .*home.*not in the run folder .*runs\/swapped/);
		// The file planted there is untouched; no manifest, no log line, no temporary file left there.
		expect(readFileSync(join(outside, 'log.jsonl'), 'utf8')).toBe('my own file\n');
		expect(readdirSync(outside).filter((f) => f !== 'run.lock')).toEqual(['log.jsonl']);
		expect(existsSync(join(outside, 'manifest.json'))).toBe(false);
	});

	it('between opening a session and finishing it: its manifest is not written through the link', () => {
		const session = open('later');
		session.append(row('u1'));
		swap('later');
		expect(() => session.finish('completed')).toThrow(/manifest\.json.*not in the run folder/);
		expect(readdirSync(outside).filter((f) => f !== 'run.lock')).toEqual(['log.jsonl']);
		expect(readFileSync(join(outside, 'log.jsonl'), 'utf8')).toBe('my own file\n');
		// The row went to the run's own folder (the log was opened there before the swap).
		expect(readFileSync(join(runs, 'later-moved', 'log.jsonl'), 'utf8')).toContain('"unit_id":"u1"');
	});

	it('a run folder not swapped is written as always', () => {
		const session = open('plain');
		session.append(row('u1'));
		expect(session.finish('completed').state).toBe('completed');
		expect(JSON.parse(readFileSync(join(runs, 'plain', 'manifest.json'), 'utf8')).state).toBe('completed');
	});

	it('openNoFollow/writeFileAtomic `within`: a file outside the folder named is refused (and one the open created is removed)', () => {
		const real = checkedFolder(runs, realpathSync(runs));
		const fd = openNoFollow(join(outside, 'log.jsonl'), constants.O_RDONLY);
		expect(openedPath(fd)).toBe(join(realpathSync(outside), 'log.jsonl'));
		closeSync(fd);
		expect(() => openNoFollow(join(outside, 'log.jsonl'), constants.O_RDONLY, 0o644, real)).toThrow(LinkRefusedError);
		expect(() => openNoFollow(join(outside, 'new.txt'), constants.O_WRONLY | constants.O_CREAT, 0o644, real)).toThrow(/not in the run folder/);
		expect(existsSync(join(outside, 'new.txt'))).toBe(false);
		expect(() => writeFileAtomic(join(outside, 'x.json'), '{}', { within: real })).toThrow(/not in the run folder/);
		expect(readdirSync(outside)).toEqual(['log.jsonl']);
		writeFileAtomic(join(runs, 'x.json'), '{}', { within: real });
		expect(readFileSync(join(runs, 'x.json'), 'utf8')).toBe('{}');
	});
});

describe.skipIf(!hasDeno)('where /proc/self/fd cannot be read (Deno, as the CLI runs)', () => {
	it('the run folder is looked at again after each open: swapped for a link, the session is refused, nothing written outside', () => {
		// --allow-write unscoped: Deno allows symlinkSync (the swap) only so; still no /proc/self/fd without --allow-all.
		const out = spawnSync(deno, ['run', '--quiet', '--no-prompt', '--allow-read', '--allow-write', '--allow-env', join(root, 'tests/support/swap-child.ts'), runs, 'by-deno', outside], {
			cwd: root,
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(out.stdout).toContain('proc: false');
		expect(out.stdout).toMatch(/refused: .*by-deno.* is no longer the run folder checked \(is a symbolic link; swapped for a link after it was checked\?\)/);
		expect(readdirSync(outside).filter((f) => f !== 'run.lock')).toEqual(['log.jsonl']);
		expect(readFileSync(join(outside, 'log.jsonl'), 'utf8')).toBe('my own file\n');
	});
});
