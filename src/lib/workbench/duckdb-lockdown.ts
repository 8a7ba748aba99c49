// Turns off DuckDB's file and URL access for the page's database before any notebook SQL runs,
// and locks the setting (see notebook/sql-lockdown.ts). The settings are database-wide, so every
// connection opened afterwards is locked down too.
import type { AsyncDuckDB } from '@duckdb/duckdb-wasm';
import { lockDown } from '../notebook/sql-lockdown.ts';

export async function lockDownDatabase(db: AsyncDuckDB): Promise<void> {
	const conn = await db.connect();
	try {
		await lockDown((sql) => conn.query(sql));
	} finally {
		await conn.close();
	}
}
