// One session of writing a run, whatever kind of run it is (model calls through the scheduler,
// or verdicts computed directly): the run folder runs/<run_id>/ with its lock, manifest.json and
// append-only log.jsonl.
//
//   open    checks the run id (a plain id, never a path), takes the lock, refuses params that
//           differ from the existing run's, reads the log (resume: the latest row per unit; 'ok'
//           and 'unparsed' rows finish a unit, 'error' rows are tried again), and writes the
//           manifest as "running".
//   append  logs one row (one write(2), so a kill -9 keeps it); a local failure (full disk,
//           permissions) is a RunStorageError naming the file, never anything else.
//   finish  writes the manifest with the state the session ended in (completed, cancelled,
//           failed) and releases the lock. `abandon` does the same for a session that throws,
//           so a manifest never stays "running" behind a session that is over. A session that
//           wrote no row on a run already completed (judging or generating a complete run again)
//           is no session of the run: its sessions, finished_at and so its duration stay. (A
//           cancelled run resumed and cancelled again keeps counting the attempt.)
//   watchDrains  while the session goes, writes the manifest ("running", same atomic write)
//           again when a replica's drain starts or ends, at most once every DRAIN_WRITE_MS, so
//           a page reading the manifest of a run another process writes says a replica is down
//           during the run, not only after it. The manifest that ends the session is as before.
//
// Manifests keep the fields and order they have always had, so runs written before this file
// resume unchanged.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { type CheckedFolder, checkedFolder, fileKind, LinkRefusedError } from './atomic-file.ts';
import { join } from 'node:path';
import { canonicalJson } from './canonical-json.ts';
import { keptDrains, type Manifest, MANIFEST_FILE, type Price, readManifest, type RunState, summarize, writeFinalManifest, writeManifest } from './manifest.ts';
import type { DrainedReplica } from './replicas.ts';
import { RunSetupError, storageFailure } from './run-errors.ts';
import { checkRunId } from './run-id.ts';
import { acquireRunLock, LOCK_FILE } from './run-lock.ts';
import { FINISHED, keepLatestRow, latestRowPerUnit, LOG_FILE, readRunLog, readsBackUnchanged, RunLogWriter } from './run-log.ts';
import type { ResultRow } from './types.ts';

export { RunSetupError, RunStorageError } from './run-errors.ts';

/** watchDrains: how often the drains are looked at, so at most one manifest write per this many ms. */
export const DRAIN_WRITE_MS = 3000;

/** What a change of drains is: a drain starting or ending (not a failure counted meanwhile). */
const drainKey = (drained: readonly DrainedReplica[]): string => canonicalJson(drained.map((d) => [d.endpoint, d.url, d.drains, d.drained_since ?? null]));

/**
 * The run folder is written only when it is a real folder directly inside the runs folder. The
 * runs folder itself may be a link (COVW_RUNS, or runs/, pointing to a bigger disk on purpose: the
 * user's own setting, resolved once here); but a run folder that is a link, or that resolves
 * elsewhere because a link is on its way (a runs/ swapped meanwhile, a copied project's link), is
 * a LinkRefusedError naming it. Returns the folder as checked: every file the session opens must be
 * found in it after the open (atomic-file.ts openNoFollow `within`: on Linux the descriptor's real
 * path, through /proc/self/fd), so a run folder swapped for a link after this check is refused,
 * not written through. Where /proc cannot be read (macOS; Deno, the CLI, which asks --allow-all
 * for it) the folder's path is looked at again after each open instead (still the folder checked:
 * no link, same inode) — a link put in and taken away again between the open and that look still
 * goes unseen there (Node has no openat). Each file's last component is never a link anyway.
 */
function checkRunFolder(runsDir: string, runId: string, runDir: string): CheckedFolder {
	// A run folder that is a link (to a folder elsewhere) is written nowhere: listings skip it too.
	const st = lstatSync(runDir);
	if (st.isSymbolicLink()) throw new LinkRefusedError(runDir, 'is a symbolic link to a folder');
	if (!st.isDirectory()) throw new LinkRefusedError(runDir, fileKind(st));
	const root = realpathSync(runsDir);
	const real = realpathSync(runDir);
	if (real !== join(root, runId)) {
		throw new LinkRefusedError(runDir, `resolves to ${real}, not to a folder inside the runs folder ${root} (a link on its way?)`);
	}
	return checkedFolder(runDir, real);
}

export interface RunSessionOptions {
	/** Folder holding all runs; this run lives in <runsDir>/<runId>/. */
	runsDir: string;
	runId: string;
	/** Defaults to the existing run's kind, else "generation". */
	kind?: string;
	/** What defines the run (task, models, selection…); must match the existing run's. Keys already redacted. */
	params: Record<string, unknown>;
	/** null or undefined keep the existing run's. */
	datasetHash?: string | null;
	/**
	 * The units of this run: what is counted, and what resume looks for. Or their number, and a
	 * function giving them that is called only when the log already holds rows (a run whose
	 * units are built as it goes, unit-source.ts: a fresh run needs no id before it starts).
	 */
	unitIds: readonly string[] | { count: number; ids(): readonly string[] };
	/** The endpoints used, as shown in the manifest (no keys). */
	endpoints?: unknown[];
	/** Price of a row's tokens, for the manifest's cost. */
	priceOf?: (row: ResultRow) => Price | null;
	/** fsync the log after every row. */
	fsync?: boolean;
	/** Skipped log lines and similar; defaults to console.warn. */
	onWarning?: (message: string) => void;
	/** Warn when the log holds units not in unitIds. */
	warnForeignUnits?: boolean;
	/**
	 * false: this command runs without the response cache. Recorded when it creates the run
	 * (manifest `response_cache: false`), and then holds for the run's later sessions
	 * (`usesCache`), whatever they are given.
	 */
	responseCache?: boolean;
	/** When this session's work began, if before the session opened (a tool judge analyses first and writes after). */
	startedAt?: Date;
}

export class RunSession {
	readonly runId: string;
	readonly runDir: string;
	readonly manifestPath: string;
	readonly logPath: string;
	/** Warnings of this session (skipped log lines…), also kept in the manifest. */
	readonly warnings: string[] = [];
	/** Replicas drained during this session (replicas.ts drainedSince), written into the manifest after the earlier sessions'. */
	drainedReplicas: DrainedReplica[] = [];
	/** The latest row of each of this run's units, earlier sessions' included. */
	readonly rows = new Map<string, ResultRow>();
	readonly #options: RunSessionOptions;
	readonly #previous: Manifest | null;
	readonly #startedAt: string;
	readonly #unitCount: number;
	readonly #release: () => void;
	/** The run folder as checked at open: every file opened must be in it (checkRunFolder). */
	readonly #within: CheckedFolder;
	/** What a reader of the log sees, one row per unit (other runs' units included), kept up to
	 * date as rows are appended, so compaction and the detection parsers need no re-read. Null
	 * once a row would not read back unchanged, and for a log with skipped lines (a reader
	 * would warn about them). */
	#logged: Map<string, ResultRow> | null;
	/** Rows appended in bulk (appendMany: a direct run's thousands of verdicts) not yet folded
	 * into #logged: folded, in order, only when loggedRows() or append() needs it, which a direct
	 * run never does, so its rows are not checked twice over. */
	readonly #unfolded: ResultRow[] = [];
	#log: RunLogWriter | null = null;
	#ended: Manifest | null = null;
	/** Whether this session appended any row. */
	#wrote = false;
	/** watchDrains' timer, cleared when the session ends. */
	#drainTimer: ReturnType<typeof setInterval> | null = null;

	/**
	 * Opens the run for writing (see the header). Throws RunSetupError, RunLockedError or RunStorageError.
	 * `hooks.afterFolderCheck`: for tests, runs between the run folder's check and its files' opens.
	 */
	static open(options: RunSessionOptions, hooks: { afterFolderCheck?: () => void } = {}): RunSession {
		const runId = checkRunId(options.runId);
		const runDir = join(options.runsDir, runId);
		try {
			mkdirSync(runDir, { recursive: true });
		} catch (e) {
			throw storageFailure('the run folder', runDir, e);
		}
		const checked = checkRunFolder(options.runsDir, runId, runDir);
		hooks.afterFolderCheck?.();
		const release = acquireRunLock(join(runDir, LOCK_FILE));
		try {
			return new RunSession(options, runId, runDir, checked, release);
		} catch (e) {
			release();
			throw e;
		}
	}

	/** The run folder as checked at open (checkRunFolder): every writer into the run folder passes it as `within`. */
	get within(): CheckedFolder {
		return this.#within;
	}

	private constructor(options: RunSessionOptions, runId: string, runDir: string, checked: CheckedFolder, release: () => void) {
		this.#options = options;
		this.runId = runId;
		this.runDir = runDir;
		this.#within = checked;
		this.#release = release;
		this.manifestPath = join(runDir, MANIFEST_FILE);
		this.logPath = join(runDir, LOG_FILE);
		this.#previous = readManifest(this.manifestPath, this.#within);
		if (this.#previous && canonicalJson(this.#previous.params) !== canonicalJson(options.params)) {
			throw new RunSetupError(`${this.manifestPath}: run "${runId}" exists with different params; use a new run id`);
		}
		const earlier = readRunLog(this.logPath, undefined, this.#within);
		earlier.warnings.forEach((w) => this.#warn(w));
		const given = options.unitIds;
		this.#unitCount = 'ids' in given ? given.count : given.length;
		const latest = latestRowPerUnit(earlier.rows);
		this.#logged = earlier.warnings.length === 0 ? latest : null;
		let foreign = 0;
		if (latest.size > 0) {
			const ids = new Set('ids' in given ? given.ids() : given);
			for (const [id, row] of latest) {
				if (ids.has(id)) this.rows.set(id, row);
				else foreign++;
			}
		}
		if (foreign > 0 && options.warnForeignUnits) this.#warn(`${this.logPath}: ${foreign} logged unit(s) are not in this run's unit list; not counted`);
		this.#startedAt = (options.startedAt ?? new Date()).toISOString();
		try {
			writeManifest(this.manifestPath, this.manifest('running', null), this.#within);
		} catch (e) {
			throw storageFailure('the run manifest', this.manifestPath, e);
		}
		try {
			this.#log = new RunLogWriter(this.logPath, { fsync: options.fsync, within: this.#within });
		} catch (e) {
			this.#endQuietly('failed');
			throw storageFailure('the run log', this.logPath, e);
		}
	}

	/**
	 * Keeps the manifest's `replicas_drained` current while the session goes: every `everyMs`,
	 * `drains()` (replicas.ts drainedSince with `now`) is asked, and when a drain started or ended
	 * since the last look the manifest is written again as "running" (the same atomic write as at
	 * the open). A write that fails is skipped (the next change, or the session's end, writes
	 * again; the end reports its own failure). The timer does not keep the process alive.
	 */
	watchDrains(drains: () => DrainedReplica[], everyMs: number = DRAIN_WRITE_MS): void {
		if (this.#ended || this.#drainTimer) return;
		let last = drainKey(this.drainedReplicas);
		this.#drainTimer = setInterval(() => {
			if (this.#ended) return;
			const now = drains();
			const key = drainKey(now);
			if (key === last) return;
			last = key;
			this.drainedReplicas = now;
			try {
				writeManifest(this.manifestPath, this.manifest('running', null), this.#within);
			} catch {
				// Only the live view misses it; the manifest that ends the session has the drains.
			}
		}, everyMs);
		this.#drainTimer.unref?.();
	}

	/** Whether this run may use the response cache: not when it was created without it. */
	get usesCache(): boolean {
		return this.#previous ? this.#previous.response_cache !== false : this.#options.responseCache !== false;
	}

	/** True when the unit has an 'ok' or 'unparsed' row: resume skips it. */
	isFinished(unitId: string): boolean {
		return FINISHED.includes(this.rows.get(unitId)?.status ?? 'error');
	}

	/** Appends a row to the log; a local failure is a RunStorageError naming the log. */
	append(row: ResultRow): void {
		if (this.#ended || !this.#log) throw new Error(`${this.logPath}: the session is over`);
		try {
			this.#log.append(row);
		} catch (e) {
			throw storageFailure('the run log', this.logPath, e);
		}
		this.#wrote = true;
		this.#fold();
		if (this.#logged && readsBackUnchanged(row)) keepLatestRow(this.#logged, row);
		else this.#logged = null;
		this.rows.set(row.unit_id, row);
	}

	/** Appends rows in one write (same log as appending them one by one; a kill keeps a prefix of whole lines or cuts the last). */
	appendMany(rows: readonly ResultRow[]): void {
		if (this.#ended || !this.#log) throw new Error(`${this.logPath}: the session is over`);
		try {
			this.#log.appendMany(rows);
		} catch (e) {
			throw storageFailure('the run log', this.logPath, e);
		}
		if (rows.length > 0) this.#wrote = true;
		for (const row of rows) {
			if (this.#logged) this.#unfolded.push(row);
			this.rows.set(row.unit_id, row);
		}
	}

	/** Every unit's row as a reader of the log would see it, or null when only re-reading the log can tell. */
	loggedRows(): ResultRow[] | null {
		this.#fold();
		return this.#logged ? [...this.#logged.values()] : null;
	}

	/** Folds the rows appended in bulk into #logged, in the order they were logged. */
	#fold(): void {
		for (const row of this.#unfolded) {
			if (!this.#logged) break;
			if (readsBackUnchanged(row)) keepLatestRow(this.#logged, row);
			else this.#logged = null;
		}
		this.#unfolded.length = 0;
	}

	/** The manifest for a state (counts, tokens and cost over the rows so far). */
	manifest(state: RunState, finishedAt: string | null): Manifest {
		const o = this.#options;
		const previous = this.#previous;
		// `drained_since` is said only of this session's drains while it goes (a session that died
		// leaves it in its "running" manifest: resume drops it with the session's end).
		const drained = keptDrains(previous, this.#startedAt, this.drainedReplicas).map((d) =>
			d.drained_since !== undefined && (state !== 'running' || d.session !== this.#startedAt) ? withoutSince(d) : d
		);
		return {
			run_id: this.runId,
			kind: o.kind ?? previous?.kind ?? 'generation',
			params: o.params,
			dataset_hash: o.datasetHash ?? previous?.dataset_hash ?? null,
			endpoints: o.endpoints ?? [],
			state,
			started_at: previous?.started_at ?? this.#startedAt,
			sessions: [...(previous?.sessions ?? []), this.#startedAt],
			finished_at: finishedAt,
			...summarize(this.rows.values(), this.#unitCount, o.priceOf ?? (() => null)),
			log_warnings: this.warnings.slice(0, 50),
			...(this.usesCache ? {} : { response_cache: false as const }),
			...(drained.length > 0 ? { replicas_drained: drained } : {})
		};
	}

	/** Ends the session in `state`: closes the log, writes the manifest, releases the lock. */
	finish(state: Exclude<RunState, 'running'>): Manifest {
		if (this.#ended) return this.#ended;
		if (this.#drainTimer) clearInterval(this.#drainTimer);
		this.#drainTimer = null;
		const previous = this.#previous;
		const noOp = !this.#wrote && this.drainedReplicas.length === 0 && state === 'completed' && previous?.state === 'completed' && previous.finished_at !== null;
		const done = noOp ? { ...this.manifest(state, previous!.finished_at), sessions: previous!.sessions } : this.manifest(state, new Date().toISOString());
		this.#ended = done;
		try {
			this.#closeLog();
			writeFinalManifest(this.manifestPath, done, this.#within);
		} catch (e) {
			throw storageFailure('the run manifest', this.manifestPath, e);
		} finally {
			this.#release();
		}
		return done;
	}

	/** For a session that is throwing: ends it "failed" (or as given) without throwing again. */
	abandon(state: Exclude<RunState, 'running'> = 'failed'): void {
		this.#endQuietly(state);
	}

	#endQuietly(state: Exclude<RunState, 'running'>): void {
		try {
			this.finish(state);
		} catch {
			// The error being thrown already says what went wrong; the lock is released.
		}
	}

	#closeLog(): void {
		try {
			this.#log?.close();
		} catch {
			// Closing a descriptor we only appended to loses nothing already written.
		}
		this.#log = null;
	}

	#warn(message: string): void {
		this.warnings.push(message);
		(this.#options.onWarning ?? ((m: string) => console.warn(m)))(message);
	}
}

function withoutSince<T extends DrainedReplica>(d: T): T {
	const { drained_since: _, ...rest } = d;
	return rest as T;
}
