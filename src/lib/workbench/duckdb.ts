// DuckDB-WASM in a worker, self-hosted: Vite's `?url` imports make the app serve the wasm and
// worker files itself, so the workbench works offline. Only the `eh` bundle is used: the
// threaded `coi` bundle needs COOP/COEP headers and otherwise hangs in instantiate(), and every
// browser we target supports wasm exception handling.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { lockDownDatabase } from './duckdb-lockdown.ts';

let instance: Promise<duckdb.AsyncDuckDB> | null = null;

/** The page's one database, started on first use. */
export function database(): Promise<duckdb.AsyncDuckDB> {
	instance ??= (async () => {
		const worker = new Worker(ehWorker);
		const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
		await db.instantiate(ehWasm);
		await lockDownDatabase(db); // no file or URL access from SQL
		return db;
	})();
	return instance;
}
