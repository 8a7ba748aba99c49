// Where a run session may write: the runs folder may itself be a link (COVW_RUNS or runs/
// pointing to a bigger disk on purpose — the user's own setting, resolved once), but the run
// folder must be a real folder directly inside it. One that resolves elsewhere — a link put on
// its way between the check of runs/<id> and the resolving of it (simulated here: realpath of
// that one folder answers a path elsewhere, as after such a swap) — is refused, naming it, and
// nothing is written. A run folder that is a file or a FIFO is refused too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const raced = vi.hoisted(() => ({ folder: '', elsewhere: '' }));
vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const realpathSync = ((path: string, ...rest: unknown[]) =>
		raced.folder !== '' && path === raced.folder ? raced.elsewhere : (fs.realpathSync as (...a: unknown[]) => string)(path, ...rest)) as typeof fs.realpathSync;
	return { ...fs, default: { ...fs, realpathSync }, realpathSync };
});

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
	dir = tempDir('covw-run-root-');
	raced.folder = raced.elsewhere = '';
});
afterEach(() => dir.remove());

const open = (runsDir: string, runId: string) => RunSession.open({ runsDir, runId, params: { a: 1 }, unitIds: ['u1'], onWarning: () => {} });

describe('the folder a run session writes', () => {
	it('a runs folder that is a link (on purpose) is followed: the run is written in its target', () => {
		const disk = join(dir.path, 'big-disk', 'runs');
		mkdirSync(disk, { recursive: true });
		const runs = join(dir.path, 'runs');
		symlinkSync(disk, runs);
		const session = open(runs, 'through-link');
		session.finish('completed');
		expect(readdirSync(join(disk, 'through-link')).sort()).toContain('manifest.json');
	});

	it('a run folder that resolves outside the runs folder (a link put on its way) is refused, and nothing is written', () => {
		const runs = join(dir.path, 'runs');
		const elsewhere = join(dir.path, 'elsewhere');
		mkdirSync(join(runs, 'swapped'), { recursive: true });
		mkdirSync(elsewhere);
		raced.folder = join(runs, 'swapped');
		raced.elsewhere = elsewhere;
		expect(() => open(runs, 'swapped')).toThrow(`${join(runs, 'swapped')} resolves to ${elsewhere}, not to a folder inside the runs folder`);
		expect(readdirSync(join(runs, 'swapped'))).toEqual([]);
		expect(readdirSync(elsewhere)).toEqual([]);
	});

	it('a run folder that is a file or a FIFO is refused, naming it', () => {
		const runs = join(dir.path, 'runs');
		mkdirSync(runs);
		writeFileSync(join(runs, 'plain-file'), 'x');
		expect(() => open(runs, 'plain-file')).toThrow(/plain-file/);
		execFileSync('mkfifo', [join(runs, 'a-fifo')]);
		expect(() => open(runs, 'a-fifo')).toThrow(/a-fifo/);
		expect(existsSync(join(runs, 'a-fifo', 'log.jsonl'))).toBe(false);
	});
});
