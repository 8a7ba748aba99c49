// What in the runs folder may have changed since the last refresh of the run tables, so that a
// refresh costs what changed rather than a stat of every run (180 runs: ~540 stats, ~8 ms):
// - the folder's listing: re-read when the folder's own identity (mtime) moved or a watch on
//   it fired — a run started here, in another tab or by the CLI makes a new folder;
// - a settled run (finished, served from its compacted file; see RunSource.settled): its folder
//   is watched (fs.watch, not recursive: one inotify watch per folder on Linux), and it is
//   stepped only after an event there (a resume by the CLI takes its lock and rewrites its
//   manifest; a deletion; an edit);
// - every other run (live, broken, unwatchable, beyond MAX_RUN_WATCHES) is stepped at every refresh, as before;
// - every FULL_CHECK_MS, a full check steps every run and lists the folder: the backstop for
//   events a file system does not give (a network file system written from elsewhere).
// A live run's folder is not watched: its appends would be events for nothing (it is stepped
// anyway). When the runs folder cannot be watched at all (absent yet), every refresh is full.
// Node's `recursive: true` is not used: on Linux (Node 20) it watches every file and directory
// one by one, stats on every event, and has missed events in folders made after it started.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { UpdateOnly } from '../../runs/run-tables.ts';

/** How often a refresh steps every run anyway (the backstop for events not given). */
export const FULL_CHECK_MS = 15_000;

/**
 * At most this many run folders are watched at once. Each watch is one inotify watch, and the
 * user's budget is shared with every other program: hosts still on the old default
 * fs.inotify.max_user_watches of 8,192 would, with thousands of finished runs, leave editors and
 * Vite failing with ENOSPC. Runs beyond the cap are stepped at every refresh (as unwatchable
 * ones are): slower refreshes, never a broken host.
 */
export const MAX_RUN_WATCHES = 2_000;

/** The runs the tables know, as this watch needs them. */
export interface WatchedRun {
	runId: string;
	settled: boolean;
}

export class RunsFolderWatch {
	private folder: FSWatcher | null = null;
	private folderKey = '';
	private readonly runs = new Map<string, FSWatcher>();
	/** Runs whose folder could not be watched (inotify limit, …): stepped at every refresh. */
	private readonly unwatchable = new Set<string>();
	private listing = true;
	private readonly dirty = new Set<string>();
	private lastFull = -Infinity;
	private closed = false;

	constructor(
		private readonly runsDir: string,
		private readonly fullCheckMs = FULL_CHECK_MS,
		private readonly now: () => number = () => performance.now(),
		private readonly maxWatches = MAX_RUN_WATCHES
	) {}

	/**
	 * What the next update must look at (undefined: everything), clearing the marks: events
	 * after this call mark the next one. Call it just before the update.
	 */
	take(): UpdateOnly | undefined {
		if (this.closed) return undefined;
		if (!this.folder) this.watchFolder();
		const key = folderKey(this.runsDir);
		const moved = key !== this.folderKey;
		this.folderKey = key;
		if (!this.folder || this.now() - this.lastFull >= this.fullCheckMs) {
			this.lastFull = this.now();
			this.listing = false;
			this.dirty.clear();
			return undefined;
		}
		const list = this.listing || moved;
		const dirty = new Set(this.dirty);
		this.listing = false;
		this.dirty.clear();
		return { list, step: (runId) => dirty.has(runId) || !this.runs.has(runId) };
	}

	/**
	 * After an update: watch the runs that settled (and step each once more, so a change between
	 * its last step and its watch is not missed), stop watching those that no longer are.
	 */
	follow(known: Iterable<WatchedRun>): void {
		if (this.closed || !this.folder) return;
		const seen = new Set<string>();
		for (const { runId, settled } of known) {
			seen.add(runId);
			const watcher = this.runs.get(runId);
			if (settled && !watcher && !this.unwatchable.has(runId) && this.runs.size < this.maxWatches) this.watchRun(runId);
			else if (!settled && watcher) this.unwatch(runId);
		}
		for (const runId of [...this.runs.keys()]) if (!seen.has(runId)) this.unwatch(runId);
		for (const runId of [...this.unwatchable]) if (!seen.has(runId)) this.unwatchable.delete(runId);
	}

	/** How many run folders are watched (for tests and the bench). */
	get watchedRuns(): number {
		return this.runs.size;
	}

	close(): void {
		this.closed = true;
		this.folder?.close();
		this.folder = null;
		for (const runId of [...this.runs.keys()]) this.unwatch(runId);
	}

	private watchFolder(): void {
		try {
			const watcher = watch(this.runsDir, { persistent: false }, (_event, name) => {
				this.listing = true;
				if (!name) return;
				const runId = String(name);
				this.dirty.add(runId);
				// A run folder made, deleted or replaced under the same id: a watch on it follows the
				// old folder (its inode), which may be gone. Drop it: the run is stepped (not watched)
				// and watched again, on the folder now there, after the next update once it is settled.
				if (this.runs.has(runId)) this.unwatch(runId);
			});
			watcher.on('error', () => {
				// The runs folder went (deleted, renamed): full refreshes until it can be watched again.
				watcher.close();
				if (this.folder === watcher) this.folder = null;
			});
			this.folder = watcher;
			this.listing = true;
		} catch {
			this.folder = null; // no runs folder yet, or no watching here: every refresh is full
		}
	}

	private watchRun(runId: string): void {
		try {
			const watcher = watch(join(this.runsDir, runId), { persistent: false }, () => this.dirty.add(runId));
			watcher.on('error', () => {
				this.unwatch(runId);
				this.dirty.add(runId);
			});
			this.runs.set(runId, watcher);
			this.dirty.add(runId);
		} catch {
			this.unwatchable.add(runId);
		}
	}

	private unwatch(runId: string): void {
		this.runs.get(runId)?.close();
		this.runs.delete(runId);
	}
}

/** The runs folder's identity: its mtime moves when an entry is made, removed or renamed. */
function folderKey(path: string): string {
	try {
		const s = statSync(path, { throwIfNoEntry: false });
		return s ? `${s.ino}:${s.mtimeMs}` : 'absent';
	} catch {
		return 'absent';
	}
}
