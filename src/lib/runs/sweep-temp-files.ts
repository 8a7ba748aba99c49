// Leftover temporary files of atomic writes in a run folder, swept. A process killed between
// creating `<file>.<pid>.<N>.tmp` (engine/atomic-file.ts writeFileAtomic) or
// `<file>.<pid>.w<N>.tmp` (runs/write-off-loop.ts) and its rename leaves that file behind for
// ever. The server's listing (RunSource, which already visits every run folder) removes such a
// file only when all of these hold:
// - its name is exactly one of those two patterns, of one of the files we write atomically into a
//   run folder (RUN_FOLDER_FILES; nothing else in the folder is looked at: a user's
//   `notes.2024.1.tmp` stays);
// - it is a regular file by lstat (a link is never followed nor removed, nor is a folder);
// - the pid in its name is no live process (kill(pid, 0) says ESRCH; a process of another
//   user, or a check the runtime does not allow, counts as live): our own pid is always live;
// - it was last changed over TEMP_MAX_AGE_MS ago (a writer on another machine sharing the
//   folder, whose pid means nothing here, is still writing a file it changed lately);
// - the run folder is still a folder (not a link) inside the runs folder when it is swept, and
//   the run id is one name (no `/`, not `.` or `..`).
import { lstatSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A temporary file older than this (by its last change) may be a leftover. */
export const TEMP_MAX_AGE_MS = 5 * 60_000;

/**
 * Every file written with writeFileAtomic / writeFileAtomicOffLoop straight into a run folder:
 * the manifest (engine/manifest.ts MANIFEST_FILE), the compacted tables (engine/compact-run.ts,
 * runs/run-source.ts), an evolve run's filters (evolve-run.ts FILTERS_FILE) and an import's
 * report (import-runs.ts IMPORT_REPORT). Batch files are written in the run's batch/ folder,
 * which is not swept; the log and the lock are never written through a temporary file.
 */
export const RUN_FOLDER_FILES: readonly string[] = ['manifest.json', 'generations.arrow', 'verdicts.arrow', 'filters.jsonl', 'import-report.json'];

/** `<file>.<pid>.<N>.tmp` (writeFileAtomic) or `<file>.<pid>.w<N>.tmp` (writeFileAtomicOffLoop). */
const TEMP_NAME = /^(.+)\.([1-9]\d{0,9})\.w?(\d{1,15})\.tmp$/;

/** The pid named in a temporary file's name when the name is one of ours (of a RUN_FOLDER_FILES file), else null. */
export function tempFilePid(name: string): number | null {
	const m = TEMP_NAME.exec(name);
	return m && RUN_FOLDER_FILES.includes(m[1]) ? Number(m[2]) : null;
}

/** Whether `pid` may be a live process that could still be writing (only "no such process" says no). */
export function pidMayBeLive(pid: number): boolean {
	if (pid === process.pid) return true;
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as { code?: string }).code !== 'ESRCH';
	}
}

/**
 * Removes the leftover temporary files of `runsDir/runId` (see above); returns their names.
 * Never throws: a folder that cannot be read, or a file that went away, is left as it is.
 */
export function sweepTempFiles(runsDir: string, runId: string, now = Date.now()): string[] {
	const removed: string[] = [];
	// One name in the runs folder: join() would resolve `..` before any containment check.
	if (runId === '' || runId === '.' || runId === '..' || runId.includes('/') || runId.includes('\\') || runId.includes('\0')) return removed;
	const dir = join(runsDir, runId);
	try {
		if (!lstatSync(dir).isDirectory()) return removed;
		const names = readdirSync(dir).filter((n) => tempFilePid(n) !== null);
		if (names.length === 0) return removed;
		// The run folder must be the folder itself, in the runs folder (not a link put in its place).
		if (realpathSync(dir) !== join(realpathSync(runsDir), runId)) return removed;
		for (const name of names) {
			const path = join(dir, name);
			const st = lstatSync(path, { throwIfNoEntry: false });
			if (!st || !st.isFile()) continue;
			if (now - st.mtimeMs < TEMP_MAX_AGE_MS) continue;
			if (pidMayBeLive(tempFilePid(name)!)) continue;
			if (!lstatSync(dir).isDirectory()) break;
			try {
				rmSync(path);
				removed.push(name);
			} catch {
				// gone meanwhile, or not ours to remove: left as it is
			}
		}
	} catch {
		// an unreadable folder: nothing swept
	}
	return removed;
}
