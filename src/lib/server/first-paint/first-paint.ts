// A notebook's first paint, computed by the server (issue 13, "open in a second"): the notebook
// is run headless on duckdb-wasm's Node bundle — the page's engine and version, locked down the
// same way (notebook/sql-lockdown.ts) — and every engine call is recorded with its answer
// (record-notebook.ts), so the page draws the cells at once while its own DuckDB-WASM starts
// (workbench/first-paint.ts). This file is the cache: recordings keyed by the notebook's version
// and the versions of the tables it names, one computed at a time, by a `record` function (in
// the app: a separate process, first-paint-process.ts). A notebook with a failing cell, a run
// cell, results over the size limit, or run tables too large to read quickly gets none: the
// page then runs it itself, as before.
import { mentions } from '../../notebook/table-mentions.ts';
import type { Recording, RecordRequest } from './record-notebook.ts';

export type { Recording, RecordRequest };

export interface FirstPaintSources {
	notebook(name: string): Promise<{ text: string; version: string }>;
	/** The data folder's tables (scan), in listing order. */
	dataTables(): Promise<{ name: string; error?: string }[]>;
	/** A data table's IPC bytes: the same array while the file is unchanged (not modified). */
	dataBytes(name: string): Promise<Uint8Array>;
	runTableNames: readonly string[];
	runTablesStatus(): Promise<{ version: number; tables: Record<string, { rows: number }> }>;
}

export interface FirstPaintLimits {
	/** Rows of a run table above which a notebook that names it gets no recording. */
	maxRunTableRows: number;
	/** Arrow bytes of all recorded answers. */
	maxResultBytes: number;
	/** Recordings kept. */
	maxEntries: number;
}

export const FIRST_PAINT_LIMITS: FirstPaintLimits = { maxRunTableRows: 20_000, maxResultBytes: 4 << 20, maxEntries: 32 };

export class FirstPaint {
	private readonly cache = new Map<string, string | null>();
	private readonly inFlight = new Map<string, Promise<string | null>>();
	private readonly ids = new WeakMap<Uint8Array, number>();
	private nextId = 1;
	private queue: Promise<unknown> = Promise.resolve();
	/** How many recordings were computed (not served from the cache). */
	computed = 0;

	constructor(
		private readonly sources: FirstPaintSources,
		private readonly record: (request: RecordRequest) => Promise<Recording | null>,
		private readonly limits: FirstPaintLimits = FIRST_PAINT_LIMITS
	) {}

	private idOf(bytes: Uint8Array): number {
		let id = this.ids.get(bytes);
		if (id === undefined) this.ids.set(bytes, (id = this.nextId++));
		return id;
	}

	/**
	 * The recording as JSON text, or null when the notebook gets none. With `wait: false`, a
	 * recording not cached yet is started and null returned at once (the page does not wait).
	 */
	async recording(name: string, { wait = true } = {}): Promise<string | null> {
		const { sources, limits } = this;
		const notebook = await sources.notebook(name);
		const text = notebook.text.toLowerCase();
		const runNames = new Set(sources.runTableNames);
		const dataNames = (await sources.dataTables()).filter((t) => t.error === undefined && !runNames.has(t.name)).map((t) => t.name);
		const listed = [...dataNames, ...sources.runTableNames];
		const named = (n: string) => mentions(text, n.toLowerCase());
		const dataIds: [string, number][] = [];
		for (const n of dataNames.filter(named)) dataIds.push([n, this.idOf(await sources.dataBytes(n))]);
		const runsNamed = sources.runTableNames.filter(named);
		let runTablesVersion: number | undefined;
		if (runsNamed.length) {
			const status = await sources.runTablesStatus();
			if (runsNamed.some((n) => (status.tables[n]?.rows ?? 0) > limits.maxRunTableRows)) return null;
			runTablesVersion = status.version;
		}
		const key = JSON.stringify([name, notebook.version, listed, dataIds, runTablesVersion ?? null]);
		if (this.cache.has(key)) return this.cache.get(key)!;
		let job = this.inFlight.get(key);
		if (!job) {
			const request: RecordRequest = { name, text: notebook.text, listed, runTablesVersion, maxResultBytes: limits.maxResultBytes };
			job = this.serial(async () => {
				this.computed++;
				const recording = await this.record(request);
				return recording ? JSON.stringify(recording) : null;
			}).then(
				(json) => (this.remember(key, json), json),
				() => (this.remember(key, null), null) // a recording that failed is not tried again until something changes
			);
			void job.finally(() => this.inFlight.delete(key));
			this.inFlight.set(key, job);
		}
		return wait ? job : null;
	}

	private remember(key: string, json: string | null): void {
		this.cache.delete(key);
		this.cache.set(key, json);
		while (this.cache.size > this.limits.maxEntries) this.cache.delete(this.cache.keys().next().value!);
	}

	private serial<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task);
		this.queue = run.catch(() => {});
		return run;
	}
}
