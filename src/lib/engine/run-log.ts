// The append-only run log: runs/<run_id>/log.jsonl, one JSON line per finished unit, flat
// (meta keys beside the fixed fields, so DuckDB's read_json sees plain columns).
//
// Durability: each line is written with one synchronous write(2) as its unit finishes, so once
// a row is logged it survives a kill -9 of this process (the kernel has it). `fsync: true`
// also survives power loss, at the cost of a disk flush per row.
//
// Reading is tolerant: a line that is not a complete, well-formed row (a crash mid-write, a
// hand edit) is skipped with a warning naming file and line, never fatal; so the log can be
// read while a run is still appending to it. It is read in chunks, never as one string (a log
// may be larger than the biggest string or buffer the runtime makes), and a line longer than a
// capped answer's row can be (logLineLimit: the run's own endpoint caps as its manifest records
// them, else MAX_LOG_LINE_BYTES) is skipped with a warning without being held whole.
//
// The log is never opened through a link (atomic-file.ts openNoFollow): a run folder from
// someone else whose log.jsonl is a link to ~/.bashrc must not get the run's lines.
import { closeSync, constants, fstatSync, fsyncSync, readSync, writeSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import { concatBytes } from '../core/text/concat-bytes.ts';
import { type CheckedFolder, openNoFollow } from './atomic-file.ts';
import { MAX_ANSWER_BYTES } from './config.ts';
import { MANIFEST_FILE, readManifest } from './manifest.ts';
import { type MetaValue, type ResultRow, ROW_FIELDS, type RowStatus } from './types.ts';

export const LOG_FILE = 'log.jsonl';

const STATUSES: readonly RowStatus[] = ['ok', 'error', 'unparsed', 'no_code'];

export function rowToLine(row: ResultRow): string {
	// The fixed fields as one object literal (in ROW_FIELDS order: run-log.test.ts checks), then
	// the meta keys: the same object, so the same line, as assigning field by field, at about a
	// third of the CPU (every answer and every verdict is one line).
	const flat: Record<string, unknown> = {
		unit_id: row.unit_id,
		sample: row.sample,
		status: row.status,
		response: row.response,
		error: row.error,
		latency_ms: row.latency_ms,
		tokens_in: row.tokens_in,
		tokens_out: row.tokens_out,
		cached: row.cached,
		attempts: row.attempts,
		finished_at: row.finished_at
	};
	const meta = row.meta;
	for (const k of Object.keys(meta)) flat[k] = meta[k];
	return JSON.stringify(flat) + '\n';
}

export class RunLogWriter {
	readonly #fd: number;
	readonly #fsync: boolean;
	#closed = false;

	/** `within`: the run folder the log must be in (atomic-file.ts openNoFollow). */
	constructor(readonly path: string, options: { fsync?: boolean; within?: CheckedFolder } = {}) {
		this.#fsync = options.fsync ?? false;
		this.#fd = openNoFollow(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644, options.within);
		// A crash mid-write can leave a last line without its newline; start on a fresh line so
		// our first row is not glued onto the fragment.
		const size = fstatSync(this.#fd).size;
		if (size > 0) {
			const last = new Uint8Array(1);
			readSync(this.#fd, last, 0, 1, size - 1);
			if (last[0] !== 10) writeSync(this.#fd, '\n');
		}
	}

	append(row: ResultRow): void {
		if (this.#closed) throw new Error(`${this.path}: log is closed`);
		writeSync(this.#fd, rowToLine(row));
		if (this.#fsync) fsyncSync(this.#fd);
	}

	/** Several rows in one write(2) (rows computed locally, e.g. a direct run's verdicts). */
	appendMany(rows: readonly ResultRow[]): void {
		if (this.#closed) throw new Error(`${this.path}: log is closed`);
		if (rows.length === 0) return;
		writeSync(this.#fd, rows.map(rowToLine).join(''));
		if (this.#fsync) fsyncSync(this.#fd);
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		closeSync(this.#fd);
	}
}

export interface LogRead {
	rows: ResultRow[];
	/** One message per skipped line: "<file>:<line>: …". */
	warnings: string[];
}

/**
 * The longest line a row whose answer is within `maxAnswerBytes` can take: the answer JSON-escaped
 * (quotes, backslashes and line breaks double), the row's other fields (64 kB) — as
 * batch-ingest.ts bounds a batch output line.
 */
export function logLineLimitFor(maxAnswerBytes: number): number {
	return 2 * maxAnswerBytes + 65_536;
}

/** A log line longer than this is skipped with a warning: the longest row of an answer within the default cap (4 MB). */
export const MAX_LOG_LINE_BYTES = logLineLimitFor(MAX_ANSWER_BYTES);

/** The largest maxAnswerBytes a config accepts (config.ts): a manifest saying more is not believed. */
const LARGEST_ANSWER_CAP = 1024 * 1024 * 1024;

/**
 * A run's log line limit: from the largest answer cap of its endpoints as its manifest records
 * them (an endpoint's maxAnswerBytes, shown only when not the default), at most the largest a
 * config accepts; else (no manifest, no endpoints, none with a cap) MAX_LOG_LINE_BYTES.
 */
export function logLineLimit(manifest: { endpoints?: unknown } | null | undefined): number {
	let cap = MAX_ANSWER_BYTES;
	const endpoints = manifest?.endpoints;
	if (Array.isArray(endpoints)) {
		for (const e of endpoints) {
			const v = e !== null && typeof e === 'object' ? (e as { maxAnswerBytes?: unknown }).maxAnswerBytes : undefined;
			if (typeof v === 'number' && Number.isInteger(v) && v > cap) cap = Math.min(v, LARGEST_ANSWER_CAP);
		}
	}
	return logLineLimitFor(cap);
}

/** The line limit of the run whose log is `logPath` (its manifest beside it; unreadable → the default). */
function runLineLimit(logPath: string): number {
	try {
		return logLineLimit(readManifest(joinPath(dirname(logPath), MANIFEST_FILE)));
	} catch {
		return MAX_LOG_LINE_BYTES;
	}
}

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The log's rows and warnings; no file means no rows. Throws LinkRefusedError for a link. Lines
 * longer than `maxLineBytes` (default: the run's own limit, logLineLimit) are skipped unread.
 */
export function readRunLog(path: string, maxLineBytes = runLineLimit(path), within?: CheckedFolder): LogRead {
	let fd: number;
	try {
		fd = openNoFollow(path, constants.O_RDONLY, 0o644, within);
	} catch (e) {
		if ((e as { code?: string }).code === 'ENOENT') return { rows: [], warnings: [] };
		throw e;
	}
	const rows: ResultRow[] = [];
	const warnings: string[] = [];
	const decoder = new TextDecoder();
	let lineNo = 0;
	const line = (text: string) => {
		lineNo++;
		if (text.trim() === '') return;
		const parsed = tryRow(text);
		if (typeof parsed !== 'string') rows.push(parsed);
		else warnings.push(`${path}:${lineNo}: skipped: ${parsed}`);
	};
	const tooLong = () => `${path}:${lineNo}: skipped: a line longer than ${maxLineBytes} bytes (not read)`;
	try {
		// The bytes of the line not ended yet, in pieces (a long line is joined once, at its end).
		let pending: Uint8Array[] = [];
		let pendingBytes = 0;
		let skipping = false;
		let position = 0;
		for (;;) {
			// A line held whole in one chunk is shorter than the chunk, so never over the limit.
			const chunk = new Uint8Array(Math.min(READ_CHUNK_BYTES, maxLineBytes));
			const n = readSync(fd, chunk, 0, chunk.length, position);
			if (n === 0) break;
			position += n;
			const bytes = chunk.subarray(0, n);
			let start = 0;
			const first = bytes.indexOf(10);
			if (first >= 0 && (skipping || pendingBytes > 0)) {
				if (skipping) {
					lineNo++;
					warnings.push(tooLong());
				} else if (pendingBytes + first > maxLineBytes) {
					lineNo++;
					warnings.push(tooLong());
				} else {
					line(decoder.decode(concatBytes([...pending, bytes.subarray(0, first)])));
				}
				pending = [];
				pendingBytes = 0;
				skipping = false;
				start = first + 1;
			}
			if (skipping) continue;
			const last = bytes.lastIndexOf(10);
			if (last >= start) {
				// Whole lines: one decode, then split.
				const text = decoder.decode(bytes.subarray(start, last));
				for (const l of text.split('\n')) line(l);
				start = last + 1;
			}
			if (start < n) {
				pendingBytes += n - start;
				if (pendingBytes > maxLineBytes) {
					skipping = true;
					pending = [];
					pendingBytes = 0;
				} else {
					pending.push(bytes.subarray(start));
				}
			}
		}
		// What is left has no newline: a write in progress or cut by a crash.
		if (skipping) {
			lineNo++;
			warnings.push(`${path}:${lineNo}: skipped an unfinished last line longer than ${maxLineBytes} bytes (a write cut short?)`);
		} else if (pendingBytes > 0) {
			const text = decoder.decode(concatBytes(pending));
			lineNo++;
			if (text.trim() !== '') {
				const parsed = tryRow(text);
				if (typeof parsed !== 'string') rows.push(parsed);
				else warnings.push(`${path}:${lineNo}: skipped an unfinished last line (a write cut short?)`);
			}
		}
	} finally {
		closeSync(fd);
	}
	return { rows, warnings };
}

export function parseRunLog(text: string, file: string): LogRead {
	const rows: ResultRow[] = [];
	const warnings: string[] = [];
	const lines = text.split('\n');
	// A final fragment with no newline is a write in progress or cut by a crash.
	const fragment = text.endsWith('\n') ? -1 : lines.length - 1;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (line.trim() === '') continue;
		const where = `${file}:${i + 1}`;
		const parsed = tryRow(line);
		if (typeof parsed !== 'string') rows.push(parsed);
		else if (i === fragment) warnings.push(`${where}: skipped an unfinished last line (a write cut short?)`);
		else warnings.push(`${where}: skipped: ${parsed}`);
	}
	return { rows, warnings };
}

/** One log line as a row, or why it is not one (the reader's checks; exported for incremental readers). */
export function tryRow(line: string): ResultRow | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return 'not valid JSON (truncated or corrupted line)';
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
	const o = value as Record<string, unknown>;
	const bad = (field: string, want: string) => `field ${field} must be ${want}`;
	if (typeof o.unit_id !== 'string' || o.unit_id === '') return bad('unit_id', 'a non-empty string');
	if (!Number.isInteger(o.sample)) return bad('sample', 'an integer');
	if (!STATUSES.includes(o.status as RowStatus)) return bad('status', STATUSES.join(' | '));
	for (const f of ['response', 'error', 'finished_at'] as const) {
		if (o[f] !== null && typeof o[f] !== 'string') return bad(f, 'a string or null');
	}
	if (typeof o.finished_at !== 'string') return bad('finished_at', 'a timestamp string');
	for (const f of ['latency_ms', 'tokens_in', 'tokens_out'] as const) {
		if (o[f] !== null && typeof o[f] !== 'number') return bad(f, 'a number or null');
	}
	if (typeof o.cached !== 'boolean') return bad('cached', 'true or false');
	if (!Number.isInteger(o.attempts)) return bad('attempts', 'an integer');
	const meta: Record<string, MetaValue | boolean> = {};
	for (const [k, v] of Object.entries(o)) {
		if ((ROW_FIELDS as readonly string[]).includes(k)) continue;
		if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
			return bad(k, 'a string, number, boolean or null');
		}
		meta[k] = v as MetaValue | boolean;
	}
	return {
		unit_id: o.unit_id,
		sample: o.sample as number,
		status: o.status as RowStatus,
		response: o.response as string | null,
		error: o.error as string | null,
		latency_ms: o.latency_ms as number | null,
		tokens_in: o.tokens_in as number | null,
		tokens_out: o.tokens_out as number | null,
		cached: o.cached,
		attempts: o.attempts as number,
		finished_at: o.finished_at,
		meta
	};
}

/** Statuses that finish a unit: resume skips them. 'error' rows are retried on resume. */
export const FINISHED: readonly RowStatus[] = ['ok', 'unparsed', 'no_code'];

/**
 * One row per unit: a finished row (ok/unparsed) beats an error row; among equals, the later
 * line wins. Keeps first-seen order of units.
 */
export function latestRowPerUnit(rows: ResultRow[]): Map<string, ResultRow> {
	const out = new Map<string, ResultRow>();
	for (const row of rows) keepLatestRow(out, row);
	return out;
}

/** latestRowPerUnit's rule for one more row, so a writer can keep the same map as it appends. */
export function keepLatestRow(latest: Map<string, ResultRow>, row: ResultRow): void {
	const prev = latest.get(row.unit_id);
	if (prev && FINISHED.includes(prev.status) && !FINISHED.includes(row.status)) return;
	latest.set(row.unit_id, row);
}

/**
 * True when reading `rowToLine(row)` back gives a row equal to `row`: every field passes the
 * reader's checks and every value survives JSON as is. Lets a writer compact from the rows it
 * holds instead of re-reading its own log. False for what JSON changes or drops (undefined,
 * NaN, ±Infinity, -0, objects), for a meta key that collides with a field or is "__proto__",
 * and for anything the reader would skip.
 */
export function readsBackUnchanged(row: ResultRow): boolean {
	if (typeof row.unit_id !== 'string' || row.unit_id === '' || !Number.isInteger(row.sample) || !STATUSES.includes(row.status)) return false;
	if (!stringOrNull(row.response) || !stringOrNull(row.error) || typeof row.finished_at !== 'string') return false;
	if (!numberOrNull(row.latency_ms) || !numberOrNull(row.tokens_in) || !numberOrNull(row.tokens_out)) return false;
	if (typeof row.cached !== 'boolean' || !Number.isInteger(row.attempts)) return false;
	for (const field of ROW_FIELDS) if (!exact(row[field])) return false;
	if (row.meta === null || typeof row.meta !== 'object') return false;
	// Every answer and every verdict passes through here (RunSession.append): a Set, not a list scan, per key.
	const meta = row.meta;
	for (const key of Object.keys(meta)) {
		if (key === '__proto__' || FIELD_NAMES.has(key) || !exact(meta[key])) return false;
	}
	return true;
}

const FIELD_NAMES: ReadonlySet<string> = new Set(ROW_FIELDS);
const exact = (v: unknown) =>
	v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0));
const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
const numberOrNull = (v: unknown) => v === null || typeof v === 'number';
