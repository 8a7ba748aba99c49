// DuckDB-WASM in a worker, self-hosted: Vite's `?url` imports make the app serve the wasm and
// worker files itself (hashed, cached as immutable), so the workbench works offline.
// The threaded `coi` bundle runs where the page is cross-origin isolated (bin/start.js and the
// dev server send COOP/COEP on every response) and the machine has cores for it (see
// bundleKind); elsewhere the single-threaded `eh` bundle (the coi bundle hangs in
// instantiate() without isolation, so it is never tried there).
// The database is started at app start (tables.svelte.ts), in parallel with the notebook.
// The coi worker is not the package's file as is: the server serves it patched
// (routes/duckdb/coi.worker.js, duckdb-coi-patch.js: the package's worker copies through stale
// heap views once DuckDB's threads grew the memory, and a big table load threw "offset is out of
// bounds"). Should that worker fail to load, the page runs `eh`.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiPthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import { lockDownDatabase } from './duckdb-lockdown.ts';
import { markOpen } from './first-paint.ts';

/** The patched threaded worker (routes/duckdb/coi.worker.js). */
const COI_WORKER = '/duckdb/coi.worker.js';

let instance: Promise<duckdb.AsyncDuckDB> | null = null;

/** Overrides the choice below: localStorage['covw-duckdb-bundle'] = 'coi' | 'eh'. */
const OVERRIDE_KEY = 'covw-duckdb-bundle';

/**
 * Which bundle this page runs. Threads need cross-origin isolation (SharedArrayBuffer), and pay
 * off only with cores to spare: starting the threaded bundle (its pool of pthread workers) took
 * 4× as long as `eh` on a 2-core machine (19–25 s vs 5–6 s under load; bench/replication.js),
 * more than its GROUP BY wins back when a notebook opens. So: coi with 4 cores or more.
 */
export function bundleKind(): 'coi' | 'eh' {
	const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
	if (!isolated) return 'eh';
	let override: string | null = null;
	try {
		override = localStorage.getItem(OVERRIDE_KEY);
	} catch {
		// storage may be unavailable (privacy settings): no override
	}
	if (override === 'coi' || override === 'eh') return override;
	return (navigator.hardwareConcurrency ?? 1) >= 4 ? 'coi' : 'eh';
}

/** The page's one database, started on first use. */
export function database(): Promise<duckdb.AsyncDuckDB> {
	instance ??= (async () => {
		if (bundleKind() === 'coi') {
			try {
				return await start('coi');
			} catch (error) {
				console.warn('DuckDB-WASM: the threaded bundle did not start, running the single-threaded one:', error);
			}
		}
		return start('eh');
	})();
	return instance;
}

async function start(kind: 'coi' | 'eh'): Promise<duckdb.AsyncDuckDB> {
	const threaded = kind === 'coi';
	const worker = new Worker(threaded ? COI_WORKER : ehWorker);
	// A worker whose script fails to load (the server could not patch it) only fires 'error'.
	const failed = new Promise<never>((_, reject) => worker.addEventListener('error', () => reject(new Error(`the ${kind} worker failed to load`)), { once: true }));
	try {
		const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
		// Absolute URLs: the coi worker lives under /duckdb/, not beside the assets.
		const absolute = (url: string) => new URL(url, location.href).href;
		await Promise.race([db.instantiate(absolute(threaded ? coiWasm : ehWasm), threaded ? absolute(coiPthreadWorker) : null), failed]);
		if (threaded) await db.open({ maximumThreads: Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4)) });
		await lockDownDatabase(db); // no file or URL access from SQL
		markOpen(`duckdb-ready (${kind})`);
		return db;
	} catch (error) {
		worker.terminate();
		throw error;
	}
}
