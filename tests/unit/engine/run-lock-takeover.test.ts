// Taking over a stale run lock re-checks that the lock it removes is the one it judged stale.
// The race is staged by node:fs itself: right after the taker reads the stale lock, the file is
// replaced by a live holder's lock (another process took it over in between). The taker must
// leave that lock alone and report the run as locked; before the fix it removed it, so both
// processes held the run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquireRunLock, RunLockedError } from '../../../src/lib/engine/run-lock.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const race = vi.hoisted(() => ({ path: '', replaceWith: '', armed: false }));

vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const readFileSync = ((path: string, ...rest: unknown[]) => {
		const out = (fs.readFileSync as (...a: unknown[]) => string | Buffer)(path, ...rest);
		if (race.armed && String(path) === race.path) {
			race.armed = false;
			// Another process wins the takeover between our read and our removal.
			fs.rmSync(race.path, { force: true });
			fs.writeFileSync(race.path, race.replaceWith);
		}
		return out;
	}) as typeof fs.readFileSync;
	return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

let dir: ReturnType<typeof tempDir>;
beforeAll(() => void (dir = tempDir()));
afterAll(() => dir.remove());

describe('stale lock takeover', () => {
	it('does not remove a lock that another process took over after we judged the old one stale', () => {
		const path = join(dir.path, 'lock');
		writeFileSync(path, '4194999'); // a pid above pid_max: its process is gone
		// The lock that replaces it: held by a live process (this test's parent).
		const live = String(process.ppid);
		Object.assign(race, { path, replaceWith: live, armed: true });
		expect(() => acquireRunLock(path)).toThrow(RunLockedError);
		expect(readFileSync(path, 'utf8')).toBe(live);
	});

	it('still takes over a lock whose holder is gone', () => {
		const path = join(dir.path, 'lock2');
		writeFileSync(path, '4194999');
		const release = acquireRunLock(path);
		expect(readFileSync(path, 'utf8').split(/\s/)[0]).toBe(String(process.pid));
		release();
	});

	it('a lock judged only by its heartbeat says when it expires', () => {
		const path = join(dir.path, 'lock3');
		writeFileSync(path, `${process.pid} sometoken`); // our own pid: not asked about, the heartbeat decides
		expect(() => acquireRunLock(path)).toThrow(/expires \d+ s from now, 30 s after its last heartbeat/);
	});
});
