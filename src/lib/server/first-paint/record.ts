// An SqlEngine that records every call a notebook run makes, with its answer, in the order made
// (the page replays them while its own DuckDB-WASM starts: workbench/first-paint.ts). It mirrors
// the page's engine: tables are loaded when a statement first names them (browser-engine.ts),
// and tableNames() lists the loaded tables and then the listed ones not loaded yet.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import type { Table } from 'apache-arrow';
import type { PlainColumns } from '../../arrow/columns-to-ipc.ts';
import { columnsToIPC } from '../../arrow/columns-to-ipc.ts';
import type { ResultTable, SqlEngine } from '../../notebook/executor.ts';
import { mentions } from '../../notebook/table-mentions.ts';

/** A recorded call; Arrow IPC stream bytes as base64 (the JSON the page fetches). */
export type RecordedCall =
	| { op: 'tableNames'; names: string[] }
	| { op: 'exec'; sql: string }
	| { op: 'query'; sql: string; ipc: string }
	| { op: 'registerRows'; name: string; ipc: string }
	/** A query or statement the child ran out of memory on: the page shows this error on the cell. */
	| { op: 'fail'; sql: string; message: string };

/** DuckDB's error when a query passes the child's memory limit (child-limits.ts). */
export const OUT_OF_MEMORY = /Out of Memory Error/;

export interface RecordingEngine extends SqlEngine {
	readonly calls: RecordedCall[];
	/** Why the recording cannot be replayed (an engine error, a call the page answers differently), or null. */
	readonly unusable: string | null;
	/** Bytes of Arrow recorded so far. */
	readonly bytes: number;
	/** An answer passed maxResultBytes: the run may stop (nothing more is worth recording). */
	readonly over: boolean;
}

/** The bytes of an Arrow table's buffers: about what its IPC stream takes, known without writing it. */
export function arrowBytes(table: Table): number {
	let n = 0;
	for (const data of table.data) n += data.byteLength;
	return n;
}

export interface RecordOptions {
	/** The listed tables in the page's order (the data folder's, then the run tables), without failed ones. */
	listed: string[];
	/** Loads table `name` into `engine` (it is then no longer "pending"). */
	load(name: string): Promise<void>;
	/**
	 * Arrow bytes of all answers above which the recording is useless: an answer that would pass
	 * it is measured before it is encoded, and not encoded (review10 #4: encoding 400 MB to IPC and
	 * base64 first took the child to 2.8 GB); the recording is then unusable (`over`).
	 */
	maxResultBytes?: number;
	/** Statements not run, recorded as failing with this message (they took the child past its memory cap before). */
	failing?: ReadonlyMap<string, string>;
	/** Told each statement before the engine runs it (the child reports it: the server then knows what it was killed on). */
	onRunning?(sql: string): void;
}

// The Arrow that duckdb-wasm's Node bundle builds its results with (its own require of the
// package): tableToIPC of another copy's Table writes no rows.
const { tableToIPC } = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function recordingEngine(inner: SqlEngine, options: RecordOptions): RecordingEngine {
	const calls: RecordedCall[] = [];
	const loaded = new Set<string>();
	let unusable: string | null = null;
	let bytes = 0;
	let over = false;
	const max = options.maxResultBytes ?? Infinity;
	/** A statement the child ran out of memory on before: not run again, recorded as failing. */
	function refused(sql: string): Error | null {
		const message = options.failing?.get(sql);
		if (message === undefined) return null;
		calls.push({ op: 'fail', sql, message });
		return new Error(message);
	}

	/** Like the page's ensureFor: every listed table the statement names, loaded first. */
	async function ensureFor(sql: string): Promise<void> {
		const text = sql.toLowerCase();
		for (const name of options.listed) {
			if (loaded.has(name) || !mentions(text, name.toLowerCase())) continue;
			await options.load(name);
			loaded.add(name);
		}
	}
	async function guarded<T>(work: () => Promise<T>, sql?: string): Promise<T> {
		try {
			return await work();
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (sql !== undefined && OUT_OF_MEMORY.test(message)) {
				// Kept: the page shows it on the cell instead of running the query again on open.
				// DuckDB's advice after the first line (a temp directory) does not apply here.
				const failure = new Error(`${message.split('\n')[0]} — the server stopped this query at its first-paint memory limit; ▶ Run runs it in this page`);
				calls.push({ op: 'fail', sql, message: failure.message });
				throw failure;
			}
			unusable ??= `engine error: ${message}`;
			throw error;
		}
	}

	return {
		calls,
		get unusable() {
			return unusable;
		},
		get bytes() {
			return bytes;
		},
		get over() {
			return over;
		},
		async tableNames() {
			// The page answers its first tableNames() from its listing; a later one would need
			// its database, whose order of names this engine does not reproduce.
			if (calls.length > 0) unusable ??= 'tableNames() after the first call';
			const names = [...options.listed.filter((n) => loaded.has(n)), ...options.listed.filter((n) => !loaded.has(n))];
			if (loaded.size > 0) unusable ??= 'tableNames() after a table was loaded';
			calls.push({ op: 'tableNames', names });
			return names;
		},
		async exec(sql) {
			const refusal = refused(sql);
			if (refusal) throw refusal;
			await guarded(async () => {
				await ensureFor(sql);
				options.onRunning?.(sql);
				await inner.exec(sql);
			}, sql);
			calls.push({ op: 'exec', sql });
		},
		async query(sql) {
			const refusal = refused(sql);
			if (refusal) throw refusal;
			const table = await guarded(async () => {
				await ensureFor(sql);
				options.onRunning?.(sql);
				return inner.query(sql);
			}, sql);
			const size = arrowBytes(table as unknown as Table);
			if (bytes + size > max) {
				over = true;
				unusable ??= `answers over the size limit (${max} bytes)`;
				throw new Error(`first paint: the answers pass ${max} bytes`);
			}
			const ipc = tableToIPC(table as unknown as Table, 'stream');
			bytes += ipc.byteLength;
			calls.push({ op: 'query', sql, ipc: base64(ipc) });
			return table as ResultTable;
		},
		async registerRows(name: string, columns: PlainColumns) {
			const ipc = columnsToIPC(columns);
			await guarded(() => inner.registerRows(name, columns));
			bytes += ipc.byteLength;
			calls.push({ op: 'registerRows', name, ipc: base64(ipc) });
		}
	};
}
