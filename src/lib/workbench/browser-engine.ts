// The notebook executor's SqlEngine, backed by DuckDB-WASM in this tab. Tables the server lists
// are fetched lazily (tables.svelte.ts registers the hook): a query first loads the listed
// tables its text names, so a notebook fetches only the tables its cells read. The cells'
// queries run on a connection of their own and can be cancelled (query-runner.ts).
import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import { Table, tableFromIPC, type RecordBatch, type Schema } from 'apache-arrow';
import type { SqlEngine, ResultTable } from '../notebook/executor.ts';
import { columnsToIPC, type PlainColumns } from '../arrow/columns-to-ipc.ts';
import { database } from './duckdb.ts';
import { dropStatement, objectTypeQuery } from '../notebook/sql-ident.ts';
import { ReplayingEngine, markOpen, notebookOfPath, takeEarly, type Recording } from './first-paint.ts';
import { holdEditors, openEditors } from './editor/editor-gate.ts';
import { runRowsStatements, type RunRowsChange } from './runs/run-rows-sync.ts';
import { QueryRunner } from './query-runner.ts';

let connection: Promise<AsyncDuckDBConnection> | null = null;
let signalStarted: () => void = () => {};
/** Resolves when something started the database (connect() was called). */
const started = new Promise<void>((resolve) => (signalStarted = resolve));

export function connect(): Promise<AsyncDuckDBConnection> {
	signalStarted();
	connection ??= database().then((db) => db.connect());
	return connection;
}

/** The cells' own connection (query-runner.ts): a pending query there disturbs no other. */
let cellConnection: Promise<AsyncDuckDBConnection> | null = null;
function connectForCells(): Promise<AsyncDuckDBConnection> {
	signalStarted();
	cellConnection ??= database().then((db) => db.connect());
	return cellConnection;
}

/** The cells' queries, cancellable (the cell's Cancel button). */
export const cellQueries = new QueryRunner<ResultTable>(
	connectForCells,
	(schema, batches) => new Table(schema as Schema, batches as RecordBatch[]) as unknown as ResultTable,
	() => performance.now()
);

/** Tables known to the server but loaded only when a query names them. */
export interface LazyTables {
	/** Names of listed tables not loaded yet. */
	names(): string[];
	/** Loads the listed tables `sql` names (no-op for the rest). */
	ensureFor(sql: string): Promise<void>;
	/** Resolves when the list is known. */
	ready(): Promise<void>;
	/** The run tables' version the page holds. */
	runTablesVersion(): number | undefined;
}
let lazy: LazyTables | null = null;
export function setLazyTables(tables: LazyTables): void {
	lazy = tables;
}

/** Load (or replace) a table from Arrow IPC stream bytes. The bytes are detached afterwards. */
export async function loadArrowTable(name: string, ipc: Uint8Array): Promise<void> {
	const conn = await connect();
	const existing = (await conn.query(objectTypeQuery(name))).toArray()[0]?.table_type;
	const drop = dropStatement(name, existing);
	if (drop) await conn.query(drop);
	await conn.insertArrowFromIPCStream(ipc, { name, create: true });
}

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;
const CHANGES = '__covw_run_changes';

/**
 * Applies several runs' changed rows (one answer of POST /api/run-tables/rows) to a loaded run
 * table in one go: see run-rows-sync.ts runRowsStatements. The table must exist.
 */
export async function applyRunsRows(table: string, ipc: Uint8Array, runs: readonly RunRowsChange[]): Promise<void> {
	const conn = await connect();
	const dropChanges = `DROP TABLE IF EXISTS ${CHANGES}`;
	await conn.query(dropChanges);
	// No rows (only runs gone or emptied): the statements never read the changes table.
	if (runs.some((r) => r.count > 0)) await conn.insertArrowFromIPCStream(ipc, { name: CHANGES, create: true });
	for (const sql of runRowsStatements(table, CHANGES, runs)) await conn.query(sql);
	await conn.query(dropChanges);
}

/** Removes a run's rows (its folder went away). */
export async function deleteRunRows(table: string, runId: string): Promise<void> {
	await (await connect()).query(`DELETE FROM "${table}" WHERE run_id = ${quoted(runId)}`);
}

function loadTablesFor(sql: string): (() => Promise<void>) | undefined {
	const tables = lazy;
	return tables ? () => tables.ensureFor(sql) : undefined;
}

/** The engine on this tab's DuckDB-WASM. */
const duckdbEngine: SqlEngine = {
	// The tables a query reads load first, inside the cell query: a Cancel while they load stops
	// the query before it is sent, and says so (review10 #8).
	async query(sql: string): Promise<ResultTable> {
		return cellQueries.run(sql, loadTablesFor(sql));
	},
	async exec(sql: string): Promise<void> {
		await cellQueries.run(sql, loadTablesFor(sql));
	},
	async registerRows(name: string, columns: PlainColumns): Promise<void> {
		await loadArrowTable(name, columnsToIPC(columns));
	},
	async tableNames(): Promise<string[]> {
		const result = await (await connect()).query(
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
		);
		const loaded = result.toArray().map((row) => String(row.table_name));
		const pending = (lazy?.names() ?? []).filter((n) => !loaded.some((l) => l.toLowerCase() === n.toLowerCase()));
		return [...loaded, ...pending];
	}
};

const replaying = new ReplayingEngine(duckdbEngine, {
	async listedNames() {
		await lazy?.ready();
		return lazy?.names() ?? [];
	},
	runTablesVersion: () => lazy?.runTablesVersion(),
	realReady: () => started.then(() => connect()), // never starts the database itself
	decode: (ipc) => tableFromIPC(ipc) as unknown as ResultTable,
	encode: (columns) => columnsToIPC(columns)
});

/**
 * The notebook executor's engine: DuckDB-WASM, answered from the server's recording of the
 * notebook opened first while DuckDB-WASM starts (first-paint.ts).
 */
export const browserEngine: SqlEngine = replaying;

/**
 * Asks the server for the recorded run of the notebook this page opened with (if it is a
 * notebook page), so its cells draw before DuckDB-WASM started. Called once at app start.
 * Returns whether a first paint is under way.
 */
export function startFirstPaint(): boolean {
	if (typeof location === 'undefined') return false;
	const name = notebookOfPath(location.pathname);
	if (!name) return false;
	holdEditors(); // the cells' editors are built after the first paint (NotebookSession.open opens them)
	const recording = (takeEarly('firstPaint') ?? fetch(`/api/notebooks/${encodeURIComponent(name)}/first-paint`)).then(async (response) => {
		if (response.status !== 200) return null;
		const recording = (await response.json()) as Recording;
		markOpen('recording');
		return recording.notebook === name ? recording : null;
	});
	// No recording: the page runs the notebook on its own DuckDB, which takes the worker, not this thread.
	void recording.then((r) => r ?? openEditors(), () => openEditors());
	replaying.offer(recording);
	return true;
}

/** Resolves when the first paint's replay ended (or there was none). */
export function firstPaintEnded(): Promise<void> {
	return replaying.ended;
}
