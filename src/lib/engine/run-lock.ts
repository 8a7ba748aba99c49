// One writer per run folder: two processes appending to the same log (the CLI and the
// workbench resuming the same run) would send units twice. The lock file holds the writer's
// pid and its mtime is a heartbeat, refreshed while the run goes on. A lock is stale, and
// taken over, when its process is known to be gone (kill -9) or, where we may not ask about
// other processes (Deno without --allow-run), when its heartbeat is older than STALE_MS.
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';

export const LOCK_FILE = 'lock';
const HEARTBEAT_MS = 5_000;
const STALE_MS = 30_000;

export class RunLockedError extends Error {}

/** Takes the lock; returns the function that releases it. */
export function acquireRunLock(path: string): () => void {
	for (let tries = 0; tries < 3; tries++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			const beat = setInterval(() => {
				try {
					const now = new Date();
					utimesSync(path, now, now);
				} catch {
					// The folder went away; nothing left to guard.
				}
			}, HEARTBEAT_MS);
			(beat as { unref?: () => void }).unref?.();
			return () => {
				clearInterval(beat);
				rmSync(path, { force: true });
			};
		} catch (e) {
			if ((e as { code?: string }).code !== 'EEXIST') throw e;
			const holder = lockHolder(path);
			if (holder === 'live') throw new RunLockedError(`${path}: the run is being written by another process (${readSafe(path)})`);
			rmSync(path, { force: true });
		}
	}
	throw new RunLockedError(`${path}: could not take the run lock`);
}

function lockHolder(path: string): 'live' | 'stale' {
	const pid = Number(readSafe(path));
	if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
		try {
			process.kill(pid, 0);
			return 'live';
		} catch (e) {
			const code = (e as { code?: string }).code;
			if (code === 'ESRCH') return 'stale';
			if (code === 'EPERM') return 'live';
			// Not allowed to ask: judge by the heartbeat.
		}
	}
	try {
		return Date.now() - statSync(path).mtimeMs > STALE_MS ? 'stale' : 'live';
	} catch {
		return 'stale';
	}
}

function readSafe(path: string): string {
	try {
		return readFileSync(path, 'utf8').trim();
	} catch {
		return '';
	}
}
