// Runs in the benchmark page. Exposes window.bench for the Node side to drive; every timing is
// taken here with performance.now() so Playwright's round trips are not counted.
import * as duckdb from '/npm/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

let db;
let conn;

window.bench = {
	/** Which bundle start() chose: the threaded coi one when the page is cross-origin isolated. */
	bundle: null,
	/**
	 * Start DuckDB in a worker, as the app does (not timed: once per tab). `coiWorker`: the URL of
	 * the threaded worker, e.g. the app's patched one (src/lib/workbench/duckdb-coi-patch.js) as a
	 * bench serves it; by default the package's own file.
	 */
	async start(threads = 2, coiWorker = '/npm/@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js') {
		const dist = '/npm/@duckdb/duckdb-wasm/dist';
		const coi = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
		window.bench.bundle = coi ? `coi, ${threads} threads` : 'eh';
		const worker = new Worker(coi ? coiWorker : `${dist}/duckdb-browser-eh.worker.js`);
		db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
		const absolute = (url) => new URL(url, location.href).href;
		await db.instantiate(absolute(`${dist}/duckdb-${coi ? 'coi' : 'eh'}.wasm`), coi ? absolute(`${dist}/duckdb-browser-coi.pthread.worker.js`) : null);
		if (coi) await db.open({ maximumThreads: threads });
		conn = await db.connect();
		return await db.getVersion();
	},
	/** One timed load: fetch the IPC stream and ingest it as table `name`. */
	async ingest(url, name) {
		await conn.query(`DROP TABLE IF EXISTS ${name}`);
		const t0 = performance.now();
		const response = await fetch(url);
		if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
		const bytes = new Uint8Array(await response.arrayBuffer());
		const t1 = performance.now();
		await conn.insertArrowFromIPCStream(bytes, { name, create: true });
		const t2 = performance.now();
		const rows = Number((await conn.query(`SELECT count(*) AS n FROM ${name}`)).toArray()[0].n);
		return { fetchMs: t1 - t0, insertMs: t2 - t1, totalMs: t2 - t0, bytes: bytes.byteLength, rows };
	},
	/** One timed query; returns its time and row count. */
	async time(sql) {
		const t0 = performance.now();
		const table = await conn.query(sql);
		return { ms: performance.now() - t0, rows: table.numRows };
	},
	/** Untimed: a query's rows as plain JSON-able arrays, for comparing with native DuckDB. */
	async rows(sql) {
		const table = await conn.query(sql);
		// By column position, not name: two result columns may share a name.
		const columns = Array.from({ length: table.numCols }, (_, c) => table.getChildAt(c));
		return Array.from({ length: table.numRows }, (_, r) => columns.map((column) => {
			const v = column.get(r);
			return typeof v === 'bigint' ? Number(v) : v;
		}));
	}
};
