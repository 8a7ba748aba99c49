#!/usr/bin/env node
// What the replication bench's GROUP BY compares (issue 13: GROUP BY over 1M rows ≤ 1.5× native,
// 2 threads), checked rather than assumed, and whether a setting lowers the ratio:
//   - in the page: cross-origin isolation, the bundle, and current_setting('threads') after
//     db.open({ maximumThreads: 2 }) — with the package's coi worker (what bench/replication.js
//     loads) and the patched one the app serves (src/routes/duckdb/coi.worker.js);
//   - native: current_setting('threads') after SET threads = 2;
//   - the GROUP BY under each setting, set on BOTH sides: as is; preserve_insertion_order =
//     false; threads = 1; a memory_limit of 1 GB.
// Every setting is timed once per round (a drifting load favours none); one rep runs every engine
// back to back (order reversed every other rep); a ratio is the median of per-rep ratios (each
// pair saw the same load), with its interquartile range.
// Run: node bench/groupby-settings.js [--rows 1000000] [--runs 5] [--rounds 4]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { patchCoiWorker } from '../src/lib/workbench/duckdb-coi-patch.js';
import { launchChromium } from './lib/chromium.js';
import { startLoopbackServer } from './lib/loopback-server.js';
import { openNativeVerdicts } from './lib/native-duckdb.js';
import { median } from './lib/stats.js';
import { verdictsToArrowStream } from './lib/verdicts-arrow.js';
import { generateVerdictColumns } from './lib/verdicts-columns.js';
import { writeVerdictsCsv } from './lib/verdicts-csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, rounds: { type: 'string', default: '4' } } });
const RUNS = Number(flags.runs);
const ROUNDS = Number(flags.rounds);
const log = (...a) => console.error('[groupby-settings bench]', ...a);
const quantile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
const SQL = 'SELECT model, cwe, judge, avg(vulnerable::INT) AS insecure_rate, count(*) AS n FROM v GROUP BY ALL';
/** Each setting: the statements that set it and those that undo it (both sides). */
const SETTINGS = {
	'as is (2 threads)': [[], []],
	'preserve_insertion_order = false': [['SET preserve_insertion_order = false'], ['SET preserve_insertion_order = true']],
	'memory_limit = 1GB': [["SET memory_limit = '1GB'"], ['RESET memory_limit']],
	'threads = 1': [['SET threads = 1'], ['SET threads = 2']]
};

const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-groupby-settings-'));
let browser;
const closers = [];
try {
	const columns = generateVerdictColumns(Number(flags.rows), 20250510);
	const csvPath = join(work, 'verdicts.csv');
	await writeVerdictsCsv(columns, csvPath);
	const coiWorker = patchCoiWorker(readFileSync(join(root, 'node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js'), 'utf8'));
	if (coiWorker instanceof Error) throw coiWorker;
	const server = await startLoopbackServer({
		bodies: { '/wasm-page.html': readFileSync(join(here, 'lib/wasm-page.html')), '/wasm-page.js': readFileSync(join(here, 'lib/wasm-page.js')), '/v.arrow': verdictsToArrowStream(columns), '/coi.worker.js': coiWorker },
		mounts: {
			'/npm/@duckdb/duckdb-wasm/dist/': join(root, 'node_modules/@duckdb/duckdb-wasm/dist'),
			'/npm/apache-arrow/': join(root, 'node_modules/apache-arrow'),
			'/npm/flatbuffers/': join(root, 'node_modules/flatbuffers'),
			'/npm/tslib/': join(root, 'node_modules/tslib')
		},
		isolated: true
	});
	closers.push(() => server.close());
	browser = await launchChromium();
	const engines = {};
	for (const [label, worker] of [['package coi worker', undefined], ['patched coi worker (the app\'s)', '/coi.worker.js']]) {
		const page = await (await browser.newContext()).newPage();
		await page.goto(server.origin + '/wasm-page.html');
		await page.waitForFunction(() => 'bench' in window, null, { timeout: 60_000 });
		await page.evaluate((w) => window.bench.start(2, w), worker);
		const isolated = await page.evaluate(() => crossOriginIsolated);
		const bundle = await page.evaluate(() => window.bench.bundle);
		const threads = (await page.evaluate(() => window.bench.rows("SELECT current_setting('threads') AS t, version() AS v")))[0];
		const { rows } = await page.evaluate(() => window.bench.ingest('/v.arrow', 'v'));
		console.log(`DuckDB-WASM, ${label}: crossOriginIsolated ${isolated}, bundle ${bundle}, current_setting('threads') = ${threads[0]}, ${threads[1]}, ${rows} rows`);
		engines[worker ? 'wasm patched' : 'wasm package'] = { run: (sql) => page.evaluate((s) => window.bench.time(s), sql).then((r) => r.ms), exec: (sql) => page.evaluate((s) => window.bench.time(s), sql) };
	}
	const native = await openNativeVerdicts(csvPath, 'v');
	closers.push(() => native.close());
	await native.run('SET threads = 2');
	const nativeThreads = (await native.rows("SELECT current_setting('threads') AS t"))[0][0];
	console.log(`native DuckDB ${native.version}: current_setting('threads') = ${nativeThreads} (machine: ${cpus().length} cores)`);
	engines.native = { run: (sql) => native.time(sql).then((r) => r.ms), exec: (sql) => native.run(sql) };

	const names = Object.keys(engines);
	// In rounds: every setting once per round, so a load that drifts over the minutes favours none.
	const samples = Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, Object.fromEntries(names.map((n) => [n, []]))]));
	for (const e of Object.values(engines)) for (let w = 0; w < 3; w++) await e.run(SQL);
	for (let round = 0; round < ROUNDS; round++) {
		for (const [setting, [set, unset]] of Object.entries(SETTINGS)) {
			for (const e of Object.values(engines)) for (const s of set) await e.exec(s);
			for (const e of Object.values(engines)) await e.run(SQL); // one untimed run under the setting
			for (let i = 0; i < RUNS; i++) for (const n of i % 2 ? [...names].reverse() : names) samples[setting][n].push(await engines[n].run(SQL));
			for (const e of Object.values(engines)) for (const s of unset) await e.exec(s);
		}
		log(`round ${round + 1} of ${ROUNDS} done`);
	}
	console.log(`\nGROUP BY over ${columns.rowCount.toLocaleString('en')} rows (${ROUNDS} rounds × ${RUNS} reps; ms medians; ratio = median of per-rep wasm/native ratios, IQR)`);
	console.log(`${'setting (both sides)'.padEnd(36)}${names.map((n) => n.padEnd(22)).join('')}ratios`);
	for (const setting of Object.keys(SETTINGS)) {
		const by = samples[setting];
		const ratios = names.filter((n) => n.startsWith('wasm')).map((n) => {
			const r = by[n].map((x, i) => x / by.native[i]);
			return `${n}: ${median(r).toFixed(2)}× (${quantile(r, 0.25).toFixed(2)}–${quantile(r, 0.75).toFixed(2)})`;
		});
		console.log(`${setting.padEnd(36)}${names.map((n) => `${median(by[n]).toFixed(1)}`.padEnd(22)).join('')}${ratios.join('; ')}`);
	}
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end, on ${cpus().length} cores`);
} finally {
	await browser?.close();
	for (const close of closers) await close();
	rmSync(work, { recursive: true, force: true });
}
process.exit(0);
