// The notebook executor's SqlEngine, backed by DuckDB-WASM in this tab.
import type { AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import type { SqlEngine, ResultTable } from '../notebook/executor.ts';
import { columnsToIPC, type PlainColumns } from '../arrow/columns-to-ipc.ts';
import { database } from './duckdb.ts';
import { dropStatement, objectTypeQuery } from '../notebook/sql-ident.ts';

let connection: Promise<AsyncDuckDBConnection> | null = null;

export function connect(): Promise<AsyncDuckDBConnection> {
	connection ??= database().then((db) => db.connect());
	return connection;
}

/** Load (or replace) a table from Arrow IPC stream bytes. The bytes are detached afterwards. */
export async function loadArrowTable(name: string, ipc: Uint8Array): Promise<void> {
	const conn = await connect();
	const existing = (await conn.query(objectTypeQuery(name))).toArray()[0]?.table_type;
	const drop = dropStatement(name, existing);
	if (drop) await conn.query(drop);
	await conn.insertArrowFromIPCStream(ipc, { name, create: true });
}

export const browserEngine: SqlEngine = {
	async query(sql: string): Promise<ResultTable> {
		return (await connect()).query(sql) as unknown as ResultTable;
	},
	async exec(sql: string): Promise<void> {
		await (await connect()).query(sql);
	},
	async registerRows(name: string, columns: PlainColumns): Promise<void> {
		await loadArrowTable(name, columnsToIPC(columns));
	},
	async tableNames(): Promise<string[]> {
		const result = await (await connect()).query(
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
		);
		return result.toArray().map((row) => String(row.table_name));
	}
};
