#!/usr/bin/env node
// Workbench speed benchmark (issue 2, "Speed"): a script, not a timed test. In Debian's headless
// Chromium it times fetching + ingesting a generated 1,000,000-row verdicts table into
// DuckDB-WASM and a GROUP BY over it; runs the same query on native DuckDB (@duckdb/node-api)
// over the same data; and, when a built app exists, times opening figure4-correlations until
// its plot is drawn. Prints medians and targets, writes bench/results/workbench-<time>.json.
//   node bench/workbench.js [--rows 1000000] [--runs 5] [--query-runs 15] [--open-runs 3]
//                           [--warm-open-runs 2] [--seed N]
// Exit status: 0 when it measured (whether or not targets were met), 1 when it could not run
// or the two engines disagreed on the data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, launchChromium } from './lib/chromium.js';
import { startLoopbackServer } from './lib/loopback-server.js';
import { openNativeVerdicts } from './lib/native-duckdb.js';
import { timeNotebookOpen } from './lib/notebook-open.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { firstDifference } from './lib/same-rows.js';
import { median } from './lib/stats.js';
import { verdictsToArrowStream } from './lib/verdicts-arrow.js';
import { generateVerdictColumns } from './lib/verdicts-columns.js';
import { writeVerdictsCsv } from './lib/verdicts-csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '5' },
		'query-runs': { type: 'string', default: '15' },
		'open-runs': { type: 'string', default: '3' },
		'warm-open-runs': { type: 'string', default: '2' },
		seed: { type: 'string', default: '20250510' }
	}
});
const positive = (name) => {
	const n = Number(flags[name]);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`bench/workbench.js: --${name} must be a positive integer, got ${JSON.stringify(flags[name])}`);
	return n;
};
const ROWS = positive('rows');
const INGEST_RUNS = positive('runs');
const QUERY_RUNS = positive('query-runs');
const OPEN_RUNS = positive('open-runs');
const WARM_OPEN_RUNS = positive('warm-open-runs');
const SEED = positive('seed');

const TABLE = 'v';
const GROUP_BY = `SELECT model, cwe, judge, avg(vulnerable::INT) AS insecure_rate, count(*) AS n FROM ${TABLE} GROUP BY ALL`;
// Untimed: answers both engines must agree on, so "the same data" is checked, not assumed.
// Counts are cast to DOUBLE so both clients hand back plain numbers.
const SAME_DATA_CHECKS = [
	`SELECT model, cwe, judge, avg(vulnerable::INT), count(*)::DOUBLE FROM ${TABLE} GROUP BY ALL ORDER BY ALL`,
	`SELECT run_id, task, count(*)::DOUBLE, count(vulnerable)::DOUBLE, sum(vulnerable::INT)::DOUBLE, sum(score), min(score), max(score) FROM ${TABLE} GROUP BY ALL ORDER BY ALL`
];

const log = (...a) => console.error('[workbench bench]', ...a); // progress on stderr, table on stdout
const timesOf = async (n, once) => {
	const samples = [];
	for (let i = 0; i < n; i++) samples.push(await once());
	return samples;
};

const started = performance.now();
const loadAtStart = loadavg()[0];
log(`generating ${ROWS.toLocaleString('en')} verdict rows (seed ${SEED})`);
const columns = generateVerdictColumns(ROWS, SEED);
const ipc = verdictsToArrowStream(columns);
const dictIpc = verdictsToArrowStream(columns, { dictionary: true });
const work = mkdtempSync(join(tmpdir(), 'covw-bench-workbench-'));
const csvPath = join(work, 'verdicts.csv');
await writeVerdictsCsv(columns, csvPath);
log(`Arrow IPC stream ${(ipc.byteLength / 1e6).toFixed(1)} MB; generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const server = await startLoopbackServer({
	bodies: {
		'/wasm-page.html': readFileSync(join(here, 'lib/wasm-page.html')),
		'/wasm-page.js': readFileSync(join(here, 'lib/wasm-page.js')),
		'/verdicts.arrow': ipc,
		'/verdicts-dict.arrow': dictIpc
	},
	mounts: {
		'/npm/@duckdb/duckdb-wasm/dist/': join(root, 'node_modules/@duckdb/duckdb-wasm/dist'),
		'/npm/apache-arrow/': join(root, 'node_modules/apache-arrow'),
		'/npm/flatbuffers/': join(root, 'node_modules/flatbuffers'),
		'/npm/tslib/': join(root, 'node_modules/tslib')
	}
});

let browser;
let native;
let exitCode = 0;
try {
	browser = await launchChromium();
	const browserVersion = browser.version();

	// --- DuckDB-WASM in the page ---
	const page = await browser.newPage();
	page.on('pageerror', (e) => log('page error:', e.message));
	page.on('console', (m) => m.type() === 'error' && log('page console:', m.text()));
	page.on('response', (r) => r.status() >= 400 && log(`HTTP ${r.status()} for ${r.url()}`));
	await page.goto(server.origin + '/wasm-page.html');
	await page.waitForFunction(() => 'bench' in window, null, { timeout: 30_000 });
	const wasmVersion = await page.evaluate(() => window.bench.start());
	const wasmBundle = await page.evaluate(() => window.bench.bundle);
	log(`DuckDB-WASM ${wasmVersion} (${wasmBundle} bundle) in Chromium ${browserVersion}`);

	const ingest = (url) => page.evaluate(([u, name]) => window.bench.ingest(u, name), [url, TABLE]);
	const wasmCount = async () => (await page.evaluate((sql) => window.bench.rows(sql), `SELECT count(*)::DOUBLE FROM ${TABLE}`))[0][0];
	log('timing fetch + ingest');
	await ingest('/verdicts-dict.arrow'); // warm-up: first fetch, wasm memory growth
	const dictIngests = await timesOf(INGEST_RUNS, () => ingest('/verdicts-dict.arrow'));
	if ((await wasmCount()) !== ROWS) throw new Error(`DuckDB-WASM holds ${await wasmCount()} rows after the dictionary ingest, expected ${ROWS}`);
	const ingests = await timesOf(INGEST_RUNS, () => ingest('/verdicts.arrow'));
	if ((await wasmCount()) !== ROWS) throw new Error(`DuckDB-WASM holds ${await wasmCount()} rows after ingest, expected ${ROWS}`);

	// --- native DuckDB over the same rows, loaded from the CSV copy ---
	native = await openNativeVerdicts(csvPath, TABLE);
	await native.run('SET threads = 2'); // the same as the wasm side's
	const nativeVersion = native.version;
	const nativeThreads = (await native.rows(`SELECT current_setting('threads')::DOUBLE`))[0][0];
	log(`native DuckDB ${nativeVersion}, ${nativeThreads} threads; checking both hold the same data`);
	const differences = [];
	for (const [i, sql] of SAME_DATA_CHECKS.entries()) {
		const wasmRows = await page.evaluate((s) => window.bench.rows(s), sql);
		const difference = firstDifference(wasmRows, await native.rows(sql));
		if (difference) differences.push(`check ${i + 1}: ${difference}`);
	}

	// Queries alternate wasm / native, so a load spike from the shared machine hits both sides
	// of the ratio alike. The idle page does not compete while native runs.
	log('timing the GROUP BY');
	const wasmTime = () => page.evaluate((sql) => window.bench.time(sql), GROUP_BY);
	const pairs = async () => {
		await wasmTime(); // warm-up
		await native.time(GROUP_BY);
		const wasm = [];
		const nat = [];
		for (let i = 0; i < QUERY_RUNS; i++) {
			wasm.push((await wasmTime()).ms);
			nat.push((await native.time(GROUP_BY)).ms);
		}
		return { wasm, native: nat };
	};
	const multi = await pairs();
	await native.run('SET threads = 1'); // one thread: the like-for-like figure for the eh bundle
	const single = await pairs();
	native.close();
	native = undefined;
	await page.close();

	// --- the app: open figure4-correlations until its plot is drawn ---
	log('timing figure4-correlations in the built app (if any)');
	const opened = await timeNotebookOpen({ root, browser, freshRuns: OPEN_RUNS, warmRuns: WARM_OPEN_RUNS, notebook: 'figure4-correlations' });

	const wasmSamples = [...multi.wasm, ...single.wasm];
	const wasmMs = median(wasmSamples);
	const nativeMs = median(multi.native);
	const nativeSingleMs = median(single.native);
	const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
	const rows = [
		{ metric: `fetch + insertArrowFromIPCStream, ${ROWS.toLocaleString('en')} rows (wasm)`, median: median(ingests.map((r) => r.totalMs)), unit: 'ms', runs: INGEST_RUNS, target: 500, samples: ingests.map((r) => r.totalMs) },
		{ metric: `  of which fetch (${mb(ipc.byteLength)} Utf8 stream, loopback)`, median: median(ingests.map((r) => r.fetchMs)), unit: 'ms', runs: INGEST_RUNS, target: null, samples: ingests.map((r) => r.fetchMs) },
		{ metric: '  of which insertArrowFromIPCStream', median: median(ingests.map((r) => r.insertMs)), unit: 'ms', runs: INGEST_RUNS, target: null, samples: ingests.map((r) => r.insertMs) },
		{ metric: `  same, dictionary-encoded text (${mb(dictIpc.byteLength)})`, median: median(dictIngests.map((r) => r.totalMs)), unit: 'ms', runs: INGEST_RUNS, target: null, samples: dictIngests.map((r) => r.totalMs) },
		{ metric: 'GROUP BY model, cwe, judge (wasm)', median: wasmMs, unit: 'ms', runs: wasmSamples.length, target: 100, samples: wasmSamples },
		{ metric: `GROUP BY model, cwe, judge (native, ${nativeThreads} threads)`, median: nativeMs, unit: 'ms', runs: QUERY_RUNS, target: null, samples: multi.native },
		{ metric: 'ratio wasm / native', median: median(multi.wasm) / nativeMs, unit: 'x', runs: 0, target: 2 },
		{ metric: 'GROUP BY model, cwe, judge (native, 1 thread)', median: nativeSingleMs, unit: 'ms', runs: QUERY_RUNS, target: null, samples: single.native },
		{ metric: 'ratio wasm / native 1 thread', median: median(single.wasm) / nativeSingleMs, unit: 'x', runs: 0, target: null },
		...('skipped' in opened
			? [{ metric: 'open figure4-correlations to a drawn plot', median: null, unit: 'ms', runs: 0, target: 2000, note: `skipped: ${opened.skipped}` }]
			: [
					{ metric: 'open figure4-correlations to a drawn plot (fresh)', median: median(opened.fresh.map((l) => l.plotMs)), unit: 'ms', runs: opened.fresh.length, target: 2000, samples: opened.fresh },
					{ metric: '  same, warm browser cache', median: median(opened.warm.map((l) => l.plotMs)), unit: 'ms', runs: opened.warm.length, target: null, samples: opened.warm }
				])
	];

	console.log(`\nWorkbench speed — ${cpus().length} cores (${availableParallelism()} usable), Chromium ${browserVersion}, DuckDB-WASM ${wasmVersion}, native DuckDB ${nativeVersion}`);
	console.log(formatTable(rows));
	if (!('skipped' in opened)) {
		const at = (key) => median(opened.fresh.map((l) => l[key])).toFixed(0);
		console.log(`\nfigure4 fresh loads, medians from navigation start: DOMContentLoaded ${at('domContentLoadedMs')} ms, the page's own requests done ${at('pageRequestsDoneMs')} ms, plot ${at('plotMs')} ms (the rest: DuckDB worker + wasm compile, table fetch + ingest, queries, drawing)`);
	}
	console.log(differences.length ? `\nSAME DATA CHECK FAILED — wasm and native answers differ: ${differences.join('; ')}` : `\nsame data: wasm and native agree on ${SAME_DATA_CHECKS.length} check queries`);
	if (differences.length) exitCode = 1;
	// The machines are shared: say how busy this one was, since every figure above depends on it.
	const loadAtEnd = loadavg()[0];
	const busy = Math.max(loadAtStart, loadAtEnd) > cpus().length;
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${busy ? ' — BUSY: other processes competed for the CPU, so these figures are pessimistic' : ''}`);

	const file = writeResults(join(here, 'results'), {
		at: new Date().toISOString(),
		machine: { cores: cpus().length, loadAverage: { start: loadAtStart, end: loadAtEnd }, cpu: cpus()[0]?.model, node: process.version, chromium: browserVersion, chromiumPath: CHROMIUM_PATH },
		engines: { wasm: wasmVersion, wasmBundle, native: nativeVersion, nativeThreads },
		data: { rows: ROWS, seed: SEED, ipcBytes: ipc.byteLength, dictionaryIpcBytes: dictIpc.byteLength },
		query: GROUP_BY,
		sameData: differences.length ? differences : 'agree',
		rows: rows.map((r) => ({ ...r, metric: r.metric.trim(), result: verdict(r) })),
		totalSeconds: (performance.now() - started) / 1000
	});
	console.log(`results: ${file} (total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
} catch (error) {
	console.error('bench/workbench.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	native?.close();
	await browser?.close();
	await server.close();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
