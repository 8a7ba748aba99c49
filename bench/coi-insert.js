#!/usr/bin/env node
// Loading a table into the threaded (coi) DuckDB-WASM right after a query that made DuckDB's
// threads grow the memory: the package's worker against the app's patched one
// (src/lib/workbench/duckdb-coi-patch.js), alternated trial by trial. The package's worker copies
// the table through a view that missed the growth and fails with "RangeError: offset is out of
// bounds" (duckdb-wasm #2256; a race, seen in 1 of 2–4 trials here); the patched one must never
// fail and must hold every row. Exit 1 when a patched trial fails. Prints the load.
// Run: node bench/coi-insert.js [--trials 4] [--rows 200000] [--groups 2000000]
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { patchCoiWorker } from '../src/lib/workbench/duckdb-coi-patch.js';
import { launchChromium } from './lib/chromium.js';
import { startLoopbackServer } from './lib/loopback-server.js';
import { verdictsToArrowStream } from './lib/verdicts-arrow.js';
import { generateVerdictColumns } from './lib/verdicts-columns.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({ options: { trials: { type: 'string', default: '4' }, rows: { type: 'string', default: '200000' }, groups: { type: 'string', default: '2000000' } } });
const TRIALS = Number(flags.trials);
const GROUPS = Number(flags.groups);
const log = (...a) => console.error('[coi-insert bench]', ...a);

const loadAtStart = loadavg()[0];
const columns = generateVerdictColumns(Number(flags.rows), 1);
const dist = join(root, 'node_modules/@duckdb/duckdb-wasm/dist');
const patched = patchCoiWorker(readFileSync(join(dist, 'duckdb-browser-coi.worker.js'), 'utf8'));
let browser;
let server;
let exitCode = 0;
try {
	if (patched instanceof Error) throw patched;
	server = await startLoopbackServer({
		bodies: { '/wasm-page.html': readFileSync(join(here, 'lib/wasm-page.html')), '/wasm-page.js': readFileSync(join(here, 'lib/wasm-page.js')), '/v.arrow': verdictsToArrowStream(columns), '/coi.worker.js': patched },
		mounts: {
			'/npm/@duckdb/duckdb-wasm/dist/': dist,
			'/npm/apache-arrow/': join(root, 'node_modules/apache-arrow'),
			'/npm/flatbuffers/': join(root, 'node_modules/flatbuffers'),
			'/npm/tslib/': join(root, 'node_modules/tslib')
		}
	});
	browser = await launchChromium();
	const sides = { 'package worker': '/npm/@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js', 'patched worker (the app)': '/coi.worker.js' };
	/** @type {Record<string, { ok: number, failed: string[] }>} */
	const results = Object.fromEntries(Object.keys(sides).map((s) => [s, { ok: 0, failed: [] }]));
	for (let trial = 0; trial < TRIALS; trial++) {
		const order = trial % 2 ? Object.entries(sides).reverse() : Object.entries(sides);
		for (const [side, worker] of order) {
			const context = await browser.newContext();
			try {
				const page = await context.newPage();
				await page.goto(server.origin + '/wasm-page.html');
				await page.waitForFunction(() => 'bench' in window, null, { timeout: 60_000 });
				await page.evaluate((url) => window.bench.start(2, url), worker);
				if (!(await page.evaluate(() => window.bench.bundle)).startsWith('coi')) throw new Error('the page is not cross-origin isolated: no coi bundle');
				// Hash tables on both threads: the memory grows, often from DuckDB's own thread.
				await page.evaluate((sql) => window.bench.time(sql), `SELECT count(*) FROM (SELECT i % ${GROUPS} AS k, count(*) FROM range(${GROUPS * 4}) t(i) GROUP BY k)`);
				const { rows } = await page.evaluate(() => window.bench.ingest('/v.arrow', 'v'));
				if (rows !== columns.rowCount) throw new Error(`loaded ${rows} rows of ${columns.rowCount}`);
				results[side].ok++;
			} catch (error) {
				results[side].failed.push(String(error instanceof Error ? error.message : error).split('\n')[0].slice(0, 160));
			} finally {
				await context.close();
			}
		}
		log(`trial ${trial + 1}/${TRIALS}: ${Object.entries(results).map(([s, r]) => `${s} ${r.ok} ok, ${r.failed.length} failed`).join('; ')}`);
	}
	for (const [side, r] of Object.entries(results)) {
		console.log(`${side.padEnd(26)} ${r.ok} of ${TRIALS} loaded every row, ${r.failed.length} failed${r.failed.length ? ': ' + [...new Set(r.failed)].join(' | ') : ''}`);
	}
	if (results['patched worker (the app)'].failed.length) exitCode = 1;
	const loadAtEnd = loadavg()[0];
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores`);
} catch (error) {
	console.error('bench/coi-insert.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	await browser?.close();
	await server?.close();
}
process.exit(exitCode);
