// One run folder as a source of run-table rows, read only as far as it changed:
// - a finished run whose compacted <table>.arrow matches its log (same log size, recorded in
//   the file's schema metadata) is served from that file; its log is never read;
// - any other run's log is read from where the last read stopped (a byte offset), one chunk
//   of lines at a time, and its rows (one per unit) are kept in memory and encoded on demand;
// - with `compact`, a run found finished (no writer's lock, not "running") whose log was read
//   whole is written to its compacted file, then served from it and dropped from memory.
// Each change of a unit's row gets the next sequence number, so a reader can ask for the rows
// that changed since the last sequence it saw; `epoch` changes when the numbering restarts.
// A run whose files cannot be read (a log or compacted file that is a link — refused, never
// read through —, a damaged file) is broken: its manifest is still listed, its rows are left
// out, and `failure` (one of its warnings) says why; no other run is held back by it. A log
// line longer than the run's limit (run-log.ts logLineLimit) is skipped with a warning, never read whole.
import { constants, existsSync, lstatSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRunRows, ROW_COLUMNS, ROW_TABLE_OF_KIND, summarizeRows, type RowSummary, type RowTableName } from '../arrow/run-schema.ts';
import { joinStream, streamBatches, streamParts, streamSchema } from '../arrow/ipc-stream.ts';
import { LOG_BYTES_KEY, SUMMARY_KEY, WARNINGS_KEY } from '../engine/compact-run.ts';
import { assertRegularOrAbsent, fileKind, LinkRefusedError, writeFileAtomic } from '../engine/atomic-file.ts';
import { type Manifest, MANIFEST_FILE, readManifest } from '../engine/manifest.ts';
import { FINISHED, LOG_FILE, logLineLimit, tryRow } from '../engine/run-log.ts';
import { LOCK_FILE } from '../engine/run-lock.ts';
import { type ResultRow, usageImplausible } from '../engine/types.ts';
import { writeFileAtomicOffLoop } from './write-off-loop.ts';
import { readHead, readRange } from './ipc-head.ts';
import { sweepTempFiles } from './sweep-temp-files.ts';
import { legacyCarriedCorrection, legacySourceKey, type LegacyCorrection } from './import/carried-legacy.ts';

/** Rows encoded per step when the server compacts a finished run (by their answers' size). */
export const COMPACT_SLICE_BYTES = 128 * 1024;

/** A compacted file up to this size is read synchronously when served (see batches()). */
export const SYNC_READ_BYTES = 2 * 1024 * 1024;

/** Bytes of log read per step; a step parses at most this much, so it stays a few ms. */
export const LOG_CHUNK_BYTES = 128 * 1024;

/** A compacted file that could not be written is tried again after this, then twice as long each time it fails again, up to COMPACT_RETRY_MAX_MS. */
export const COMPACT_RETRY_MS = 30_000;
export const COMPACT_RETRY_MAX_MS = 30 * 60_000;

/** A run folder is swept for leftover temporary files (sweep-temp-files.ts) at most this often. */
export const SWEEP_EVERY_MS = 10 * 60_000;

/** Bytes looked through per step for the end of a line too long to read (skipped). */
const SKIP_CHUNK_BYTES = 8 * 1024 * 1024;

const identity = (s: Stats | null) => (s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'absent');
function statOrNull(path: string): Stats | null {
	try {
		// An absent file is no exception (a page asks every 1.5 s, about every run folder). The
		// link itself, never its target: a link is refused when it is opened.
		return lstatSync(path, { throwIfNoEntry: false }) ?? null;
	} catch {
		return null;
	}
}

const bootId = Date.now().toString(36);
let epochs = 0;
const nextEpoch = () => `${bootId}.${++epochs}`;

interface Compacted {
	path: string;
	key: string;
	/** Size of the log the file was made from. */
	logBytes: number;
	summary: RowSummary;
	warnings: string[];
}

interface LogState {
	ino: number;
	/** Bytes read so far: always just after a newline. */
	offset: number;
	/** Lines read so far (for warnings naming the line). */
	lines: number;
	latest: Map<string, { row: ResultRow; seq: number }>;
	warnings: string[];
	/** A last line without its newline yet: a write in progress, or one cut by a crash. */
	fragment: string | null;
	/** Inside a line longer than the run's line limit (offset is then mid-line): skipped to its end. */
	skipping: boolean;
	encoded: { seq: number; bytes: Uint8Array } | null;
}

export class RunSource {
	manifest: Manifest | null = null;
	manifestWarning: string | null = null;
	/** Why the run's rows could not be read at the last step (it is listed, without rows), or null. */
	failure: string | null = null;
	epoch = nextEpoch();
	/** Row changes seen in this epoch; a compacted run starts at its row count. */
	seq = 0;
	private manifestKey = '';
	private compacted: Compacted | null = null;
	private log: LogState | null = null;
	/**
	 * A compacted file being written, a slice of rows per step (see maybeCompact); `writing`
	 * while its write goes on off the event loop, then `written` (null: the write failed).
	 */
	private compacting: { logSize: number; rows: ResultRow[]; done: number; batches: Uint8Array[]; writing: boolean; written?: Compacted | null; error?: unknown } | null = null;
	/**
	 * Writing the compacted file failed (a read-only runs folder, a full disk): for this log
	 * size, not tried again before `retryAt`; each failure doubles the wait (COMPACT_RETRY_MS up
	 * to COMPACT_RETRY_MAX_MS). The first failure is said once in the server log.
	 */
	private compactFailed: { logSize: number; retryAt: number; waitMs: number } | null = null;
	/** When the run folder may next be swept for leftover temporary files (with `compact`). */
	private sweepAt = 0;
	/**
	 * A step that returned `more` while this is set waits on the disk (the compacted file's
	 * write, off the event loop): a caller that can wait awaits it before the next step.
	 */
	pending: Promise<void> | null = null;
	/** The last step read the log to its end (nothing more there then). */
	private readToEnd = false;
	/** An import's carried verdicts written before code-less answers were kept from verdicts:
	 *  its rows are read through this (never from, nor into, a compacted file). */
	private legacy: LegacyCorrection | null = null;
	/** The run's folder and the files a step stats, joined once. */
	readonly dir: string;
	private readonly manifestPath: string;
	private readonly logPath: string;

	constructor(
		readonly runsDir: string,
		readonly runId: string,
		private readonly options: { compact?: boolean } = {}
	) {
		this.dir = join(runsDir, runId);
		this.manifestPath = join(this.dir, MANIFEST_FILE);
		this.logPath = join(this.dir, LOG_FILE);
	}

	/** generations or verdicts, by the run's kind; null for other kinds (they are only in `runs`). */
	get table(): RowTableName | null {
		return this.manifest ? (ROW_TABLE_OF_KIND[this.manifest.kind] ?? null) : null;
	}

	get warnings(): string[] {
		const out: string[] = [];
		if (this.manifestWarning) out.push(this.manifestWarning);
		if (this.failure) out.push(this.failure);
		if (this.compacted) out.push(...this.compacted.warnings);
		if (this.legacy) out.push(...this.legacy.warnings);
		if (this.log) {
			out.push(...this.log.warnings);
			if (this.log.fragment !== null) out.push(`${join(this.dir, LOG_FILE)}:${this.log.lines + 1}: skipped an unfinished last line (a write cut short?)`);
		}
		return out;
	}

	/**
	 * Nothing left to read and nobody writing, by what the last step saw: a finished run served
	 * from its compacted file (or, for a kind with no row table, its log read to the end). Only a
	 * change on disk (a resume, an edit, a deletion) unsettles it: a reader told of changes (the
	 * server watches such runs' folders) need not stat it at every refresh.
	 */
	get settled(): boolean {
		if (!this.manifest || this.manifest.state === 'running') return false;
		if (this.compacted) return true;
		return this.table === null && this.log !== null && this.log.fragment === null && this.readToEnd;
	}

	get summary(): RowSummary {
		if (this.compacted) return this.compacted.summary;
		return summarizeRows(this.rows(), usageImplausible);
	}

	/**
	 * Brings the source up to date by one step. Returns true when more steps are needed (a log
	 * longer than one chunk); `changed` reports whether anything a reader sees changed. With
	 * `offLoop`, a compacted file is written off the event loop: the step returns `more` with
	 * `pending` set, and the caller awaits that before stepping again.
	 */
	step(offLoop = false): { more: boolean; changed: boolean } {
		if (this.options.compact) this.sweep();
		const before = `${this.manifestKey}|${this.epoch}|${this.seq}|${this.warnings.length}|${this.failure}`;
		let more = false;
		try {
			more = this.stepInner(offLoop);
			if (!more) this.failure = null;
		} catch (e) {
			this.fail(e);
		}
		return { more, changed: before !== `${this.manifestKey}|${this.epoch}|${this.seq}|${this.warnings.length}|${this.failure}` };
	}

	/** Leftover temporary files of killed writes removed (the server's sources only), at most every SWEEP_EVERY_MS. */
	private sweep(): void {
		const now = Date.now();
		if (now < this.sweepAt) return;
		this.sweepAt = now + SWEEP_EVERY_MS;
		const removed = sweepTempFiles(this.runsDir, this.runId, now);
		if (removed.length) console.warn(`${this.dir}: removed ${removed.length} leftover temporary file${removed.length === 1 ? '' : 's'} of writes cut short (${removed.join(', ')})`);
	}

	/** Writing the compacted file failed: served from memory, tried again later (see compactFailed). */
	private compactionFailed(logSize: number, error: unknown): void {
		const first = this.compactFailed === null;
		const waitMs = this.compactFailed?.logSize === logSize ? Math.min(this.compactFailed.waitMs * 2, COMPACT_RETRY_MAX_MS) : COMPACT_RETRY_MS;
		this.compactFailed = { logSize, retryAt: Date.now() + waitMs, waitMs };
		if (first) {
			const reason = error instanceof Error ? error.message : String(error);
			console.warn(`${this.dir}: its compacted file could not be written (${reason}); its rows are served from memory, and the write is tried again in ${COMPACT_RETRY_MS / 1000} s, then less often (at most every ${COMPACT_RETRY_MAX_MS / 60_000} min) — said once until a write succeeds`);
		}
	}

	/** Whether writing the compacted file for this log size waits after a failure. */
	private compactWaits(logSize: number): boolean {
		const f = this.compactFailed;
		return f !== null && f.logSize === logSize && Date.now() < f.retryAt;
	}

	/** The run's rows cannot be read: listed without rows, with the reason (read again at the next step). */
	private fail(error: unknown): void {
		const reason = error instanceof Error ? error.message : String(error);
		this.failure = error instanceof LinkRefusedError ? reason : `${this.dir}: the run's rows could not be read (${reason}); they are left out`;
		if (this.log || this.compacted) {
			this.epoch = nextEpoch();
			this.seq = 0;
		}
		this.log = null;
		this.compacted = null;
		this.compacting = null;
	}

	private stepInner(offLoop: boolean): boolean {
		const manifestPath = this.manifestPath;
		const manifestStat = statOrNull(manifestPath);
		const key = identity(manifestStat);
		if (key !== this.manifestKey) {
			this.manifestKey = key;
			try {
				this.manifest = readManifest(manifestPath);
				this.manifestWarning = null;
			} catch (e) {
				this.manifest = null;
				this.manifestWarning = `${(e as Error).message}; the run's rows are left out until it is fixed`;
			}
		}
		if (!this.manifest) {
			this.compacted = null;
			this.log = null;
			this.legacy = null;
			return false;
		}
		// A legacy carried run's rows depend on its generation run's: read again when that changes.
		const legacyKey = legacySourceKey(this.runsDir, this.manifest);
		if (legacyKey !== (this.legacy?.sourceKey ?? null)) {
			this.legacy = legacyKey === null ? null : legacyCarriedCorrection(this.runsDir, this.manifest);
			if (this.log || this.compacted) {
				this.log = null;
				this.compacted = null;
				this.compacting = null;
				this.epoch = nextEpoch();
				this.seq = 0;
			}
		}
		const logStat = statOrNull(this.logPath);
		// A log that is a link, a FIFO, a folder…: the run is broken (a FIFO's size is 0, so it
		// would be listed as a run with nothing done yet, and a link's size is its target's name's).
		assertRegularOrAbsent(this.logPath, logStat);
		const logSize = logStat?.size ?? 0;

		if (this.compacted) {
			const still = this.validCompacted(logSize);
			if (still && still.key === this.compacted.key) return false;
			this.compacted = null;
			if (still) return this.useCompacted(still, logSize), false;
			// The log grew (a resume) or the file changed: read the log from the start.
			this.log = null;
			this.epoch = nextEpoch();
			this.seq = 0;
		}
		if (!this.log || (logStat && logStat.ino !== this.log.ino) || logSize < this.log.offset) {
			const found = this.validCompacted(logSize);
			if (found) {
				this.useCompacted(found, logSize);
				return false;
			}
			if (this.log) {
				this.epoch = nextEpoch();
				this.seq = 0;
			}
			this.log = { ino: logStat?.ino ?? 0, offset: 0, lines: 0, latest: new Map(), warnings: [], fragment: null, skipping: false, encoded: null };
		}
		const more = this.readLog(logSize);
		this.readToEnd = !more;
		if (more) {
			this.compacting = null;
			return true;
		}
		return this.maybeCompact(logSize, offLoop);
	}

	/** The compacted file when it is in the served schema and made from this very log. */
	private validCompacted(logSize: number): Compacted | null {
		const table = this.table;
		if (!table || this.legacy) return null;
		const path = join(this.dir, `${table}.arrow`);
		const key = identity(statOrNull(path));
		if (key === 'absent') return null;
		if (this.compacted?.key === key) return this.compacted.logBytes === logSize ? this.compacted : null;
		try {
			const schema = streamSchema(readHead(path));
			const metadata = schema.metadata;
			// A file of an older engine with other columns (a column added since): read the log.
			if (schema.fields.map((f) => f.name).join(',') !== ROW_COLUMNS[table].map(([name]) => name).join(',')) return null;
			const logBytes = Number(metadata.get(LOG_BYTES_KEY));
			if (logBytes !== logSize || !metadata.has(SUMMARY_KEY)) return null;
			const summary = JSON.parse(metadata.get(SUMMARY_KEY)!) as RowSummary;
			// Files the engine wrote name no warnings: its manifest keeps those of the log it read.
			const warnings = metadata.has(WARNINGS_KEY)
				? (JSON.parse(metadata.get(WARNINGS_KEY)!) as string[])
				: (this.manifest?.log_warnings ?? []).filter((w) => w.includes(LOG_FILE));
			return { path, key, logBytes, summary, warnings };
		} catch {
			return null; // not in the served layout (an older engine's file, a cut file): read the log
		}
	}

	private useCompacted(found: Compacted, logSize: number): void {
		// Switching from the log to the file keeps the numbering when every row was already read.
		const caughtUp = this.log !== null && this.log.offset === logSize && this.log.fragment === null && this.seq >= found.summary.rows;
		if (!caughtUp) {
			if (this.log || this.compacted) this.epoch = nextEpoch();
			this.seq = found.summary.rows;
		}
		this.compacted = found;
		this.log = null;
	}

	private readLog(size: number): boolean {
		const log = this.log!;
		const remaining = size - log.offset;
		if (remaining <= 0) {
			if (!log.skipping) log.fragment = null;
			return false;
		}
		const path = this.logPath;
		if (log.skipping) return this.skipLongLine(remaining);
		let bytes = readRange(path, log.offset, Math.min(remaining, LOG_CHUNK_BYTES));
		let atEnd = bytes.length >= remaining;
		let end = bytes.lastIndexOf(10) + 1;
		if (end === 0 && !atEnd) {
			// One line longer than a chunk: read on to its end, up to the longest line read at all.
			bytes = readRange(path, log.offset, Math.min(remaining, this.maxLineBytes + 1));
			atEnd = bytes.length >= remaining;
			end = bytes.lastIndexOf(10) + 1;
			if (end === 0 && !atEnd) {
				// Longer than that: skipped to its end, never held whole (a log of gigabytes with no newline).
				log.offset += bytes.length;
				log.skipping = true;
				return true;
			}
		}
		const text = new TextDecoder().decode(bytes.subarray(0, end));
		let start = 0;
		while (start < text.length) {
			const stop = text.indexOf('\n', start);
			const line = text.slice(start, stop < 0 ? text.length : stop);
			start = stop < 0 ? text.length : stop + 1;
			log.lines++;
			if (line.trim() === '') continue;
			const parsed = tryRow(line);
			if (typeof parsed === 'string') log.warnings.push(`${path}:${log.lines}: skipped: ${parsed}`);
			else this.keep(parsed);
		}
		log.offset += end;
		const fragment = atEnd && end < bytes.length ? new TextDecoder().decode(bytes.subarray(end)) : null;
		log.fragment = fragment !== null && fragment.trim() !== '' ? fragment : null;
		return !atEnd;
	}

	/** The longest log line read: a row of an answer within the run's own endpoint caps (run-log.ts). */
	private get maxLineBytes(): number {
		return logLineLimit(this.manifest);
	}

	/** A step inside a line too long to read: looks for its end, SKIP_CHUNK_BYTES at a time. */
	private skipLongLine(remaining: number): boolean {
		const log = this.log!;
		const bytes = readRange(this.logPath, log.offset, Math.min(remaining, SKIP_CHUNK_BYTES));
		const newline = bytes.indexOf(10);
		if (newline < 0) {
			log.offset += bytes.length;
			const atEnd = bytes.length >= remaining;
			if (atEnd) log.fragment = `(a line longer than ${this.maxLineBytes} bytes)`;
			return !atEnd;
		}
		log.offset += newline + 1;
		log.lines++;
		log.skipping = false;
		log.fragment = null;
		log.warnings.push(`${this.logPath}:${log.lines}: skipped: a line longer than ${this.maxLineBytes} bytes (not read)`);
		return true;
	}

	/** latestRowPerUnit's rule: a finished row beats a later error row; otherwise the later wins. */
	private keep(read: ResultRow): void {
		const row = this.legacy ? this.legacy.apply(read) : read;
		const latest = this.log!.latest;
		const prev = latest.get(row.unit_id);
		if (prev && FINISHED.includes(prev.row.status) && !FINISHED.includes(row.status)) return;
		latest.set(row.unit_id, { row, seq: ++this.seq });
	}

	private rows(): ResultRow[] {
		return this.log ? [...this.log.latest.values()].map((e) => e.row) : [];
	}

	/**
	 * A finished run read to its end moves to its compacted file: the engine's, or one written
	 * here. Writing one is done in steps (true: more to do), each encoding about
	 * COMPACT_SLICE_BYTES of rows as a record batch of its own, so that compacting a big run
	 * never holds the event loop for long (an older runs folder: every run compacted at once);
	 * the file is written at a step of its own, with `offLoop` in the thread pool (its fsync
	 * would otherwise hold the loop: 8 ms at the median, 50+ ms on a busy disk).
	 */
	private maybeCompact(logSize: number, offLoop: boolean): boolean {
		const log = this.log;
		const table = this.table;
		if (!log || !table || log.fragment !== null || log.offset !== logSize || this.manifest?.state === 'running' || existsSync(join(this.dir, LOCK_FILE))) {
			this.compacting = null;
			return false;
		}
		if (this.compacting?.logSize !== logSize) {
			const found = this.validCompacted(logSize);
			if (found) {
				this.compacting = null;
				this.useCompacted({ ...found, warnings: log.warnings }, logSize); // the warnings of the log just read
				return false;
			}
			if (!this.options.compact || this.legacy || this.compactWaits(logSize)) return false;
			this.compacting = { logSize, rows: this.rows(), done: 0, batches: [], writing: false };
			return true;
		}
		const c = this.compacting;
		if (c.done < c.rows.length) {
			let end = c.done;
			for (let bytes = 0; end < c.rows.length && bytes < COMPACT_SLICE_BYTES; end++) bytes += 256 + (c.rows[end].response?.length ?? 0);
			c.batches.push(streamBatches(encodeRunRows(table, this.runId, c.rows.slice(c.done, end))));
			c.done = end;
			// the file is written at the next step: a slice's encoding and the write are a few ms each
			return true;
		}
		if (c.writing) return true; // the caller awaits `pending`
		if (c.written !== undefined) {
			this.compacting = null;
			if (c.written) {
				this.compactFailed = null; // a later failure is said again
				this.useCompacted(c.written, logSize);
			}
			else this.compactionFailed(logSize, c.error); // a read-only runs folder: keep serving from memory
			return false;
		}
		const path = join(this.dir, `${table}.arrow`);
		const summary = summarizeRows(c.rows, usageImplausible);
		// compactBytes' schema and metadata, with the rows' batches encoded above.
		const metadata = new Map([
			[LOG_BYTES_KEY, String(logSize)],
			[SUMMARY_KEY, JSON.stringify(summary)],
			[WARNINGS_KEY, JSON.stringify(log.warnings)]
		]);
		const head = encodeRunRows(table, this.runId, [], metadata);
		const bytes = joinStream(head.subarray(0, streamParts(head).schemaEnd), c.batches);
		const made = () => ({ path, key: identity(statOrNull(path)), logBytes: logSize, summary, warnings: log.warnings });
		if (offLoop) {
			c.writing = true;
			const pending: Promise<void> = writeFileAtomicOffLoop(path, bytes).then(
				() => void (c.written = made()),
				(e) => {
					c.written = null;
					c.error = e;
				}
			).finally(() => {
				c.writing = false;
				if (this.pending === pending) this.pending = null;
			});
			this.pending = pending;
			return true;
		}
		this.compacting = null;
		try {
			writeFileAtomic(path, bytes);
		} catch (e) {
			this.compactionFailed(logSize, e); // a read-only runs folder: keep serving from memory
			return false;
		}
		this.compactFailed = null; // a later failure is said again
		this.useCompacted(made(), logSize);
		return false;
	}

	/** The run's record batches in its table's schema (no schema message, no end marker). */
	async batches(): Promise<Uint8Array> {
		if (this.compacted) {
			// A small file is read at once: the thread pool's open, fstat, read and close cost more
			// than the read (a whole table of 120 such runs: ~20 ms of server CPU). A big one is
			// read off the event loop (a cold disk would hold it up).
			const size = statOrNull(this.compacted.path)?.size ?? 0;
			if (size <= SYNC_READ_BYTES) {
				const bytes = size > 0 ? readRange(this.compacted.path, 0, size) : new Uint8Array(0);
				return bytes.length ? streamBatches(bytes) : bytes;
			}
			const bytes = await readNoFollow(this.compacted.path).catch(() => null);
			if (bytes) return streamBatches(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
			return new Uint8Array(0);
		}
		return this.batchesSync();
	}

	batchesSync(): Uint8Array {
		if (this.compacted) {
			const bytes = readRange(this.compacted.path, 0, statOrNull(this.compacted.path)?.size ?? 0);
			return bytes.length ? streamBatches(bytes) : bytes;
		}
		const log = this.log;
		if (!log || !this.table) return new Uint8Array(0);
		if (log.encoded?.seq !== this.seq) log.encoded = { seq: this.seq, bytes: streamBatches(encodeRunRows(this.table, this.runId, this.rows())) };
		return log.encoded.bytes;
	}

	/**
	 * Rows that changed after sequence `after` of epoch `epoch`: a delta when this source still
	 * numbers rows that way, else every row (`full`), which replaces what the reader had.
	 */
	async changes(epoch: string, after: number): Promise<{ full: boolean; count: number; batches: Uint8Array }> {
		if (this.log && epoch === this.epoch && this.table) {
			const rows = [...this.log.latest.values()].filter((e) => e.seq > after).map((e) => e.row);
			return { full: false, count: rows.length, batches: rows.length ? streamBatches(encodeRunRows(this.table, this.runId, rows)) : new Uint8Array(0) };
		}
		if (this.compacted && epoch === this.epoch && after >= this.seq) return { full: false, count: 0, batches: new Uint8Array(0) };
		return { full: true, count: this.summary.rows, batches: await this.batches() };
	}
}

/** A big compacted file, read off the event loop, never through a link. */
async function readNoFollow(path: string): Promise<Buffer> {
	// Not even a FIFO is opened (the open would wait for a writer, holding a thread of the pool).
	assertRegularOrAbsent(path, statOrNull(path));
	const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
	try {
		const st = await handle.stat();
		if (!st.isFile()) throw new LinkRefusedError(path, fileKind(st));
		return await handle.readFile();
	} finally {
		await handle.close();
	}
}
