// The notebook executor's SqlEngine for headless runs (CLI, tests, benchmarks): duckdb-wasm's
// Node bundle — the same engine and version as the browser, so a notebook means the same thing
// in both places. Runs on Node and on Deno (which needs --allow-sys=cpus for it).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlEngine, ResultTable } from '../../notebook/executor.ts';
import { columnsToIPC, type PlainColumns } from '../../arrow/columns-to-ipc.ts';
import { dropStatement, objectTypeQuery } from '../../notebook/sql-ident.ts';
import { lockDown } from '../../notebook/sql-lockdown.ts';

const require = createRequire(import.meta.url);

/** duckdb-wasm's synchronous Node connection, the part of it we use. */
export interface BlockingConnection {
	query(sql: string): ResultTable & { toArray(): (Record<string, unknown> & { toJSON(): Record<string, unknown> })[] };
	insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string; create?: boolean }): void;
	close(): void;
}

export interface HeadlessEngine extends SqlEngine {
	loadArrowTable(name: string, ipc: Uint8Array): void;
	close(): void;
}

/** A connection to a fresh in-memory database on duckdb-wasm's Node bundle. */
export async function connectNodeDuckDB(): Promise<BlockingConnection> {
	const bundle = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
	const duckdb = require(bundle);
	const dist = dirname(bundle);
	const db = await duckdb.createDuckDB(
		{
			mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
			eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' }
		},
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await db.instantiate();
	return db.connect();
}

/**
 * A locked-down engine: no file or URL access from SQL (see notebook/sql-lockdown.ts).
 * `memoryLimit` (DuckDB's `memory_limit`, e.g. '512MiB') is set before the lockdown locks it.
 */
export async function createHeadlessEngine(options: { memoryLimit?: string } = {}): Promise<HeadlessEngine> {
	const conn = await connectNodeDuckDB();
	if (options.memoryLimit !== undefined) conn.query(`SET memory_limit = '${options.memoryLimit.replace(/'/g, "''")}'`);
	await lockDown((sql) => conn.query(sql));

	function loadArrowTable(name: string, ipc: Uint8Array): void {
		const existing = conn.query(objectTypeQuery(name)).toArray()[0]?.table_type;
		const drop = dropStatement(name, existing);
		if (drop) conn.query(drop);
		conn.insertArrowFromIPCStream(ipc, { name, create: true });
	}

	return {
		async query(sql) {
			return conn.query(sql);
		},
		async exec(sql) {
			conn.query(sql);
		},
		async registerRows(name: string, columns: PlainColumns) {
			loadArrowTable(name, columnsToIPC(columns));
		},
		async tableNames() {
			return conn
				.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
				.toArray()
				.map((row) => String(row.table_name));
		},
		loadArrowTable,
		close() {
			conn.close();
		}
	};
}
