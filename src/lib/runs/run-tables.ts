// The three run tables the workbench queries, across ALL runs in the runs folder, as Arrow IPC
// stream bytes (the format DuckDB-WASM's insertArrowFromIPCStream reads):
//   generations — one row per generation unit of every generation run;
//   verdicts    — one row per judge unit of every judge run (LLM, rules, parsers);
//   runs        — one row per manifest.
// Each run is a RunSource (run-source.ts) that reads only what changed: a finished run's
// compacted file as it is, a live run's log from where the last read stopped. A table is the
// fixed schema followed by each run's record batches, oldest run first: nothing is
// re-encoded to serve it. An empty runs folder gives empty tables with the same columns.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
	encodeRunRows, encodeRunsTable, GENERATION_COLUMNS, RUN_COLUMNS, RUN_TABLE_NAMES, VERDICT_COLUMNS,
	type RowTableName, type RunSummaryRecord, type RunTableName
} from '../arrow/run-schema.ts';
import { joinStream, streamParts } from '../arrow/ipc-stream.ts';
import { RunSource } from './run-source.ts';

export { GENERATION_COLUMNS, RUN_COLUMNS, RUN_TABLE_NAMES, VERDICT_COLUMNS, type RunTableName };

export interface RunTables {
	generations: Uint8Array;
	verdicts: Uint8Array;
	runs: Uint8Array;
	/** Skipped log lines, unreadable manifests: "<file>:<line>: …". */
	warnings: string[];
}

/** Where a reader of one row table stands with one run: see RunSource.changes. */
export interface RunVersion {
	run_id: string;
	epoch: string;
	seq: number;
	rows: number;
}

/** What changed is told by `version`; each row table lists its runs' versions. */
export interface RunTablesStatus {
	version: number;
	tables: Record<RowTableName, { rows: number; runs: RunVersion[] }> & { runs: { rows: number } };
	warnings: string[];
}

const schemas = new Map<RowTableName, Uint8Array>();
/** The schema message every run of the table shares (no metadata). */
export function schemaMessage(table: RowTableName): Uint8Array {
	let bytes = schemas.get(table);
	if (!bytes) {
		const empty = encodeRunRows(table, '', []);
		bytes = empty.slice(0, streamParts(empty).schemaEnd);
		schemas.set(table, bytes);
	}
	return bytes;
}

/** Folders of the runs folder (a folder without a manifest is no run: its source stays empty). */
function listFolders(runsDir: string): string[] {
	try {
		return readdirSync(runsDir, { withFileTypes: true })
			.filter((d) => d.isDirectory())
			.map((d) => d.name);
	} catch {
		return [];
	}
}

/** What an update looks at when the caller knows what changed (see RunTableSet.update). */
export interface UpdateOnly {
	/** List the runs folder (new and removed runs); else only the runs known already. */
	list: boolean;
	/** Whether to bring this known run up to date (stat its files, read what is new). */
	step: (runId: string) => boolean;
}

export class RunTableSet {
	version = 0;
	/** Runs the last update() brought up to date (stat'ed, read on): what it cost. */
	stepped = 0;
	private readonly sources = new Map<string, RunSource>();
	private runsTable: { version: number; bytes: Uint8Array } | null = null;
	private whole = new Map<RowTableName, { version: number; bytes: Uint8Array }>();

	constructor(
		readonly runsDir: string,
		private readonly options: { compact?: boolean } = {}
	) {}

	/**
	 * Brings every run up to date. With `pause`, awaits it whenever `sliceMs` of work has gone
	 * by, so a long read (a cold start over many logs) never holds the event loop for long, and
	 * a compacted file a run source writes is written off the loop (RunSource.step's `offLoop`).
	 * With `only`, a reader that knows what changed (the server watches the runs folder) lists
	 * the folder only when `list`, and steps only the runs `step` names (and new folders): a
	 * refresh then costs what changed, not a stat of every run.
	 */
	async update(pause?: () => Promise<void>, sliceMs = 4, only?: UpdateOnly): Promise<void> {
		let sliceStart = performance.now();
		this.stepped = 0;
		const ids = !only || only.list ? listFolders(this.runsDir) : [...this.sources.keys()];
		if (!only || only.list) {
			const listed = new Set(ids);
			for (const id of this.sources.keys()) {
				if (!listed.has(id)) {
					this.sources.delete(id);
					this.version++;
				}
			}
		}
		for (const id of ids) {
			let source = this.sources.get(id);
			if (!source) {
				source = new RunSource(this.runsDir, id, this.options);
				this.sources.set(id, source);
				this.version++;
			} else if (only && !only.step(id)) continue;
			this.stepped++;
			for (;;) {
				const { more, changed } = source.step(pause !== undefined);
				if (changed) this.version++;
				if (more && source.pending) {
					await source.pending; // a compacted file's write, off the event loop (the loop runs meanwhile)
					sliceStart = performance.now();
				} else if (pause && performance.now() - sliceStart > sliceMs) {
					await pause();
					sliceStart = performance.now();
				}
				if (!more) break;
			}
		}
	}

	/**
	 * Brings the given runs only up to date (a reader of those runs: no stat of every other run
	 * folder). Returns false when one of them is a folder this set does not know yet: then only
	 * update() finds it. A run with no folder is nothing to bring up to date.
	 */
	async updateRuns(runIds: readonly string[], pause?: () => Promise<void>, sliceMs = 4): Promise<boolean> {
		let sliceStart = performance.now();
		for (const id of runIds) {
			const source = this.sources.get(id);
			if (!source) {
				// A plain folder name that is there now: a run started since the last update().
				if (/^[\w.-]+$/.test(id) && id !== '.' && id !== '..' && existsSync(join(this.runsDir, id))) return false;
				continue;
			}
			for (;;) {
				const { more, changed } = source.step(pause !== undefined);
				if (changed) this.version++;
				if (more && source.pending) {
					await source.pending; // a compacted file's write, off the event loop (the loop runs meanwhile)
					sliceStart = performance.now();
				} else if (pause && performance.now() - sliceStart > sliceMs) {
					await pause();
					sliceStart = performance.now();
				}
				if (!more) break;
			}
		}
		return true;
	}

	/** The same, synchronously (one-shot readers: headless notebooks, tests). */
	updateSync(): void {
		// update() without a pause never awaits: its body runs to completion synchronously.
		void this.update();
	}

	/** One run's source as the last update left it (undefined: no such folder then). */
	source(runId: string): RunSource | undefined {
		return this.sources.get(runId);
	}

	/** Every run folder the last update knew, in no order (broken manifests included). */
	known(): IterableIterator<RunSource> {
		return this.sources.values();
	}

	/** Runs with a readable manifest, oldest first. */
	runs(): RunSource[] {
		return [...this.sources.values()]
			.filter((s) => s.manifest !== null)
			.sort((a, b) => a.manifest!.started_at.localeCompare(b.manifest!.started_at) || a.runId.localeCompare(b.runId));
	}

	/** Every warning, or those behind one table (a broken manifest is behind all three). */
	warnings(table?: RunTableName): string[] {
		const behind = (s: RunSource) => table === undefined || s.manifest === null || (table !== 'runs' && s.table === table);
		return [...this.sources.values()].filter(behind).flatMap((s) => (table === 'runs' ? (s.manifestWarning ? [s.manifestWarning] : []) : s.warnings));
	}

	status(): RunTablesStatus {
		const runs = this.runs();
		const table = (name: RowTableName) => {
			const versions = runs
				.filter((r) => r.table === name)
				.map((r) => ({ run_id: r.runId, epoch: r.epoch, seq: r.seq, rows: r.summary.rows }));
			return { rows: versions.reduce((n, v) => n + v.rows, 0), runs: versions };
		};
		return {
			version: this.version,
			tables: { generations: table('generations'), verdicts: table('verdicts'), runs: { rows: runs.length } },
			warnings: this.warnings()
		};
	}

	/** The runs table: one row per run, re-encoded only when something changed. */
	runsIPC(): Uint8Array {
		if (this.runsTable?.version !== this.version) {
			const records = this.runs().map((s) => ({ manifest: s.manifest, summary: s.summary }) as RunSummaryRecord);
			this.runsTable = { version: this.version, bytes: encodeRunsTable(records) };
		}
		return this.runsTable.bytes;
	}

	/** A row table's parts, in order: schema, each run's batches (read as they are needed), end. */
	async *parts(table: RowTableName): AsyncGenerator<Uint8Array> {
		yield schemaMessage(table);
		for (const run of this.runs().filter((r) => r.table === table)) {
			// One run's unreadable file (replaced by a link since it was listed) never holds back the others.
			const batches = await run.batches().catch(() => new Uint8Array(0));
			yield batches;
		}
		yield new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]);
	}

	/** One whole table as bytes; kept until the next change (server-side readers ask often). */
	async ipc(name: RunTableName): Promise<Uint8Array> {
		if (name === 'runs') return this.runsIPC();
		const kept = this.whole.get(name);
		if (kept?.version === this.version) return kept.bytes;
		const version = this.version;
		const chunks: Uint8Array[] = [];
		for await (const part of this.parts(name)) chunks.push(part);
		const bytes = joinStream(chunks[0], chunks.slice(1, -1));
		this.whole.set(name, { version, bytes });
		return bytes;
	}

	ipcSync(name: RunTableName): Uint8Array {
		if (name === 'runs') return this.runsIPC();
		return joinStream(schemaMessage(name), this.runs().filter((r) => r.table === name).map((r) => r.batchesSync()));
	}

	/** One run's rows that changed since (epoch, after), as a stream; `full` when it is all of them. */
	async runChanges(table: RowTableName, runId: string, epoch: string, after: number) {
		const source = this.sources.get(runId);
		if (!source || source.table !== table || !source.manifest) {
			return { full: true, count: 0, epoch: '', seq: 0, bytes: joinStream(schemaMessage(table), []) };
		}
		// the version the rows are read at (a refresh during the read must not be recorded as sent)
		const version = { epoch: source.epoch, seq: source.seq };
		const { full, count, batches } = await source.changes(epoch, after);
		return { full, count, ...version, bytes: joinStream(schemaMessage(table), [batches]) };
	}
}

/** Every run table at once, read from the runs folder now (nothing kept, nothing written). */
export function runTablesIPC(runsDir: string): RunTables {
	const set = new RunTableSet(runsDir);
	set.updateSync();
	return {
		generations: set.ipcSync('generations'),
		verdicts: set.ipcSync('verdicts'),
		runs: set.ipcSync('runs'),
		warnings: set.warnings()
	};
}
