// DuckDB-WASM in a worker, self-hosted: Vite's `?url` imports make the app serve the wasm and
// worker files itself (hashed, cached as immutable), so the workbench works offline.
// The threaded `coi` bundle runs where the page is cross-origin isolated (bin/start.js and the
// dev server send COOP/COEP on every response); elsewhere the single-threaded
// `eh` bundle (the coi bundle hangs in instantiate() without isolation, so it is never tried).
// The database is started at app start (tables.svelte.ts), in parallel with the notebook.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';

let instance: Promise<duckdb.AsyncDuckDB> | null = null;

/** Which bundle this page can run: threads need cross-origin isolation (SharedArrayBuffer). */
export function bundleKind(): 'coi' | 'eh' {
	return typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined' ? 'coi' : 'eh';
}

/** The page's one database, started on first use. */
export function database(): Promise<duckdb.AsyncDuckDB> {
	instance ??= (async () => {
		const threaded = bundleKind() === 'coi';
		const worker = new Worker(threaded ? coiWorker : ehWorker);
		const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
		await db.instantiate(threaded ? coiWasm : ehWasm, threaded ? coiPthreadWorker : null);
		if (threaded) await db.open({ maximumThreads: Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4)) });
		return db;
	})();
	return instance;
}
