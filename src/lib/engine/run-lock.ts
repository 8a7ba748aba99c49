// One writer per run folder: two processes appending to the same log (the CLI and the
// workbench resuming the same run) would send units twice.
//
// The lock is the file runs/<id>/lock, created with O_EXCL, holding "<pid> <token>[ os-lock]".
// Whether a lock whose holder may be gone is stale is decided, best evidence first:
// - "os-lock": the holder (the CLI, on Deno) took an OS file lock (flock, Deno's
//   FsFile.tryLockSync) on the file BEFORE writing that word, and the OS drops it when the
//   process dies, kill -9 included. If we can take that OS lock, the holder is gone — at once,
//   with no heartbeat and no need to ask about other processes (Deno may not: no --allow-run).
// - the pid: where we may ask (Node, the web server), a pid that no longer exists is gone.
// - the heartbeat: the holder touches the file every 5 s; one untouched for 30 s is stale (a
//   Node holder judged by Deno, which may not ask about its pid).
// Why both: Node has no flock, so the web server cannot take the OS lock; it writes the pid and
// the heartbeat, which both runtimes can judge. The only wait left is the CLI finding the lock of
// a web server that was killed: up to 30 s, and the refusal says how long (see DEVELOPERS.md).
//
// Taking over a stale lock is done by one process at a time (the "<lock>.takeover" file, O_EXCL),
// and re-checks that the lock it removes is the one it judged: it moves the lock aside first and
// compares inode and content; if they differ (another process took the run meanwhile) it puts
// that lock back and reports the run as locked. Releasing removes the lock only if it is still ours.
import { closeSync, constants, linkSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { LinkRefusedError } from './atomic-file.ts';

export const LOCK_FILE = 'lock';
const HEARTBEAT_MS = 5_000;
const STALE_MS = 30_000;
/** A takeover takes milliseconds; a takeover file older than this was left by a crash. */
const TAKEOVER_STALE_MS = 10_000;
const OS_LOCK = 'os-lock';

export class RunLockedError extends Error {}

// Deno's file API, where the CLI runs; typed here because the Node-side type check has no Deno.
interface DenoFile {
	tryLockSync(exclusive?: boolean): boolean;
	writeSync(data: Uint8Array): number;
	close(): void;
}
interface DenoApi {
	openSync(path: string, options: { read?: boolean; write?: boolean; createNew?: boolean }): DenoFile;
	FsFile?: { prototype: { tryLockSync?: unknown } };
}
const deno = (globalThis as { Deno?: DenoApi }).Deno;
const osLocks = typeof deno?.openSync === 'function' && typeof deno.FsFile?.prototype?.tryLockSync === 'function';

interface Identity {
	ino: number;
	dev: number;
	content: string;
}

/** Takes the lock; returns the function that releases it. */
export function acquireRunLock(path: string): () => void {
	for (let tries = 0; tries < 3; tries++) {
		const release = tryCreate(path);
		if (release) return release;
		takeOverIfStale(path);
	}
	throw new RunLockedError(`${path}: could not take the run lock`);
}

/**
 * Whether a live process holds the lock at `path` (false when there is none, or its holder is
 * gone): a 'running' manifest without one is a run that was interrupted, not one going on.
 */
export function runLockHeld(path: string): boolean {
	try {
		const found = identityOf(path);
		return found !== null && judge(path, found.content).live;
	} catch {
		return true; // unreadable: do not call a run interrupted on no evidence
	}
}

function isExists(e: unknown): boolean {
	const err = e as { code?: string; name?: string };
	return err?.code === 'EEXIST' || err?.name === 'AlreadyExists';
}

function tryCreate(path: string): (() => void) | null {
	const token = Math.random().toString(36).slice(2, 10);
	let file: DenoFile | null = null;
	let content: string;
	try {
		if (osLocks) {
			file = deno!.openSync(path, { read: true, write: true, createNew: true });
			// The OS lock first, then the word that tells others to look for it. A file system
			// without locks (some network mounts) just goes without: pid and heartbeat remain.
			let locked = false;
			try {
				locked = file.tryLockSync(true);
			} catch {
				locked = false;
			}
			content = `${process.pid} ${token}${locked ? ` ${OS_LOCK}` : ''}`;
			const bytes = new TextEncoder().encode(content);
			for (let at = 0; at < bytes.length; ) at += file.writeSync(bytes.subarray(at));
		} else {
			const fd = openSync(path, 'wx');
			content = `${process.pid} ${token}`;
			try {
				writeSync(fd, content);
			} finally {
				closeSync(fd);
			}
		}
	} catch (e) {
		file?.close();
		if (isExists(e)) return null;
		throw e;
	}
	const st = statSync(path);
	const mine: Identity = { ino: st.ino, dev: st.dev, content };
	const beat = setInterval(() => {
		try {
			const now = new Date();
			utimesSync(path, now, now);
		} catch {
			// The folder went away; nothing left to guard.
		}
	}, HEARTBEAT_MS);
	(beat as { unref?: () => void }).unref?.();
	let released = false;
	return () => {
		if (released) return;
		released = true;
		clearInterval(beat);
		try {
			// Only our own lock: if it was (wrongly) taken over, the new holder's stays.
			if (sameLock(path, mine)) rmSync(path, { force: true });
		} catch {
			// Unreadable now (folder gone or permissions changed): nothing of ours to remove.
		}
		file?.close();
	};
}

function identityOf(path: string): Identity | null {
	try {
		// A lock that is a link (a run folder from someone else) is refused, never read through.
		const st = lstatSync(path);
		if (st.isSymbolicLink()) throw new LinkRefusedError(path);
		if (!st.isFile() || st.size > 4096) throw new LinkRefusedError(path, 'is not a lock file (not a small regular file)');
		// O_NOFOLLOW: a link put there since the lstat is refused by the system too (Node takes
		// numeric flags here; its types name only the string ones).
		// O_NONBLOCK: a FIFO put there since the lstat cannot block the open (the server's loop).
		const flag = (constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)) as unknown as string;
		return { ino: st.ino, dev: st.dev, content: readFileSync(path, { encoding: 'utf8', flag }) };
	} catch (e) {
		if ((e as { code?: string }).code === 'ENOENT') return null;
		throw e;
	}
}

function sameLock(path: string, expected: Identity): boolean {
	const now = identityOf(path);
	return now !== null && now.ino === expected.ino && now.dev === expected.dev && now.content === expected.content;
}

/** Removes the lock at `path` if its holder is gone; throws RunLockedError if it lives. */
function takeOverIfStale(path: string): void {
	const breaker = `${path}.takeover`;
	if (!createBreaker(breaker)) throw new RunLockedError(`${path}: another process is taking over this run's lock; try again in a moment`);
	try {
		const examined = identityOf(path);
		if (!examined) return; // released meanwhile: try to create it again
		const holder = judge(path, examined.content);
		if (holder.live) throw new RunLockedError(`${path}: the run is being written by another process (pid ${pidOf(examined.content) ?? '?'}${holder.why})`);
		// Move it aside, then make sure what we moved is the lock we judged.
		const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		try {
			renameSync(path, aside);
		} catch (e) {
			if ((e as { code?: string }).code === 'ENOENT') return;
			throw e;
		}
		if (sameLock(aside, examined)) {
			rmSync(aside, { force: true });
			return;
		}
		// Someone else's fresh lock: put it back (unless yet another lock appeared) and give way.
		try {
			linkSync(aside, path);
		} catch {
			// A newer lock is in place; it is the one that counts.
		}
		rmSync(aside, { force: true });
		throw new RunLockedError(`${path}: the lock changed while it was being taken over; another process is writing the run`);
	} finally {
		rmSync(breaker, { force: true });
	}
}

function createBreaker(breaker: string): boolean {
	for (let tries = 0; tries < 2; tries++) {
		try {
			closeSync(openSync(breaker, 'wx'));
			return true;
		} catch (e) {
			if (!isExists(e)) throw e;
			let age = 0;
			try {
				age = Date.now() - statSync(breaker).mtimeMs;
			} catch {
				continue; // gone meanwhile
			}
			if (age <= TAKEOVER_STALE_MS) return false;
			rmSync(breaker, { force: true }); // left by a process that died mid-takeover
		}
	}
	return false;
}

function pidOf(content: string): number | null {
	const pid = Number(content.trim().split(/\s+/)[0]);
	return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether the lock's holder lives, and (when only the heartbeat could tell) how long it still counts as live. */
function judge(path: string, content: string): { live: boolean; why: string } {
	const live = { live: true, why: '' };
	const stale = { live: false, why: '' };
	if (content.trim().split(/\s+/)[2] === OS_LOCK && osLocks) {
		// Its holder locked the file before writing "os-lock": if we can lock it, the holder is gone.
		let file: DenoFile | null = null;
		try {
			// Deno's open takes no O_NONBLOCK: only a regular file is opened (a FIFO would block).
			if (!lstatSync(path).isFile()) return live;
			file = deno!.openSync(path, { read: true });
			return file.tryLockSync(true) ? stale : live;
		} catch {
			// Could not open it (gone, or no permission): fall back to the other evidence.
		} finally {
			file?.close();
		}
	}
	const pid = pidOf(content);
	if (pid !== null && pid !== process.pid) {
		try {
			process.kill(pid, 0);
			return live;
		} catch (e) {
			const code = (e as { code?: string }).code;
			if (code === 'ESRCH') return stale;
			if (code === 'EPERM') return live;
			// Not allowed to ask (Deno without --allow-run): judge by the heartbeat.
		}
	}
	let age: number;
	try {
		age = Date.now() - statSync(path).mtimeMs;
	} catch {
		return stale;
	}
	if (age > STALE_MS) return stale;
	const wait = Math.max(1, Math.ceil((STALE_MS - age) / 1000));
	return { live: true, why: `; if that process is gone, its lock expires ${wait} s from now, ${STALE_MS / 1000} s after its last heartbeat` };
}
