#!/usr/bin/env node
// GROUP BY over 1M verdict rows, DuckDB-WASM against native DuckDB, and where the difference
// goes (issue 13: "GROUP BY ≤ 1.5× native, 2 threads"). Side by side, alternated per query:
//   - a trivial query (SELECT 1): the round trip page → worker → page, no data;
//   - a scan with one aggregate (count, avg): reading the column data;
//   - the GROUP BY (model, cwe, judge: hashing into ~1,000 groups);
// on the threaded coi bundle (2 threads, cross-origin isolated page), the single-threaded eh
// bundle, and native DuckDB with 2 threads and 1 thread. Prints medians and ratios, the load.
// The machine is shared and its load moves within seconds, so one rep runs every engine back to
// back (the order reversed every other rep, so a drift favours no side), and a ratio is also
// given as the median of the per-rep ratios (each pair of samples saw the same load), with
// their interquartile range: the ratio of two medians taken over a moving load wanders.
// Run: node bench/groupby.js [--rows 1000000] [--runs 31] [--warmup 3]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { patchCoiWorker } from '../src/lib/workbench/duckdb-coi-patch.js';
import { launchChromium } from './lib/chromium.js';
import { startLoopbackServer } from './lib/loopback-server.js';
import { openNativeVerdicts } from './lib/native-duckdb.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { verdictsToArrowStream } from './lib/verdicts-arrow.js';
import { generateVerdictColumns } from './lib/verdicts-columns.js';
import { writeVerdictsCsv } from './lib/verdicts-csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '31' }, warmup: { type: 'string', default: '3' } } });
const RUNS = Number(flags.runs);
const WARMUP = Number(flags.warmup);
/** The p-quantile of xs (nearest rank). */
const quantile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
const log = (...a) => console.error('[groupby bench]', ...a);

const QUERIES = {
	'round trip (SELECT 1)': 'SELECT 1 AS one',
	'scan + aggregate': 'SELECT count(*) AS n, avg(vulnerable::INT) AS rate FROM v',
	'GROUP BY model, cwe, judge': 'SELECT model, cwe, judge, avg(vulnerable::INT) AS insecure_rate, count(*) AS n FROM v GROUP BY ALL'
};

const started = performance.now();
const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-groupby-'));
let browser;
const closers = [];
let exitCode = 0;
try {
	const columns = generateVerdictColumns(Number(flags.rows), 20250510);
	const csvPath = join(work, 'verdicts.csv');
	await writeVerdictsCsv(columns, csvPath);
	// The threaded worker as the app serves it: patched (src/routes/duckdb/coi.worker.js).
	const coiWorker = patchCoiWorker(readFileSync(join(root, 'node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js'), 'utf8'));
	if (coiWorker instanceof Error) throw coiWorker;
	const routes = {
		bodies: { '/wasm-page.html': readFileSync(join(here, 'lib/wasm-page.html')), '/wasm-page.js': readFileSync(join(here, 'lib/wasm-page.js')), '/v.arrow': verdictsToArrowStream(columns), '/coi.worker.js': coiWorker },
		mounts: {
			'/npm/@duckdb/duckdb-wasm/dist/': join(root, 'node_modules/@duckdb/duckdb-wasm/dist'),
			'/npm/apache-arrow/': join(root, 'node_modules/apache-arrow'),
			'/npm/flatbuffers/': join(root, 'node_modules/flatbuffers'),
			'/npm/tslib/': join(root, 'node_modules/tslib')
		}
	};
	browser = await launchChromium();
	/** @type {Record<string, (sql: string) => Promise<number>>} */
	const engines = {};
	for (const isolated of [true, false]) {
		const server = await startLoopbackServer({ ...routes, isolated });
		closers.push(() => server.close());
		const page = await (await browser.newContext()).newPage();
		await page.goto(server.origin + '/wasm-page.html');
		await page.waitForFunction(() => 'bench' in window, null, { timeout: 60_000 });
		await page.evaluate(() => window.bench.start(2, '/coi.worker.js'));
		const bundle = await page.evaluate(() => window.bench.bundle);
		const { rows: loaded } = await page.evaluate(() => window.bench.ingest('/v.arrow', 'v'));
		if (loaded !== columns.rowCount) throw new Error(`${bundle}: loaded ${loaded} rows of ${columns.rowCount}`);
		engines[`DuckDB-WASM ${bundle}`] = async (sql) => (await page.evaluate((s) => window.bench.time(s), sql)).ms;
		log(`started ${bundle}`);
	}
	for (const threads of [2, 1]) {
		const native = await openNativeVerdicts(csvPath, 'v');
		closers.push(() => native.close());
		await native.run(`SET threads = ${threads}`);
		engines[`native, ${threads} thread${threads > 1 ? 's' : ''}`] = async (sql) => (await native.time(sql)).ms;
	}
	/** @type {Record<string, Record<string, number[]>>} */
	const samples = {};
	for (const [label, sql] of Object.entries(QUERIES)) {
		samples[label] = {};
		for (const [engine, time] of Object.entries(engines)) {
			samples[label][engine] = [];
			for (let w = 0; w < WARMUP; w++) await time(sql); // warm-up: the wasm heap grown, the result path compiled
		}
		const order = Object.entries(engines);
		for (let i = 0; i < RUNS; i++) for (const [engine, time] of i % 2 ? [...order].reverse() : order) samples[label][engine].push(await time(sql));
	}
	const rows = [];
	const names = Object.keys(engines);
	const coi = names.find((n) => n.includes('coi'));
	const eh = names.find((n) => n.includes('eh'));
	for (const [label, byEngine] of Object.entries(samples)) {
		for (const engine of names) rows.push({ metric: `${label}: ${engine}`, median: median(byEngine[engine]), unit: 'ms', runs: RUNS, target: null, samples: byEngine[engine] });
		// Per rep: the two samples were taken back to back, under the same load.
		const paired = (a, b) => byEngine[a].map((x, i) => x / byEngine[b][i]);
		const spread = (ratios) => `IQR ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}×`;
		if (coi) {
			const ratios = paired(coi, 'native, 2 threads');
			rows.push({ metric: `  ratio ${coi} / native 2 threads, median of per-rep ratios (${spread(ratios)})`, median: median(ratios), unit: 'x', runs: RUNS, target: label.startsWith('GROUP') ? 1.5 : null, samples: ratios });
			rows.push({ metric: `  ratio of the medians`, median: median(byEngine[coi]) / median(byEngine['native, 2 threads']), unit: 'x', runs: RUNS, target: null });
		}
		if (eh) {
			const ratios = paired(eh, 'native, 1 thread');
			rows.push({ metric: `  ratio ${eh} / native 1 thread, median of per-rep ratios (${spread(ratios)})`, median: median(ratios), unit: 'x', runs: RUNS, target: null, samples: ratios });
		}
	}
	const loadAtEnd = loadavg()[0];
	console.log(formatTable(rows));
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: compare the ratios' : ''}`);
	console.log(`results: ${writeResults(join(here, 'results'), { bench: 'groupby', at: new Date().toISOString(), rows: rows.map((r) => ({ ...r, result: verdict(r) })), loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'groupby')}`);
} catch (error) {
	console.error('bench/groupby.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	await browser?.close();
	for (const close of closers) await close();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
