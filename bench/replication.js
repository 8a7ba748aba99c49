#!/usr/bin/env node
// The workbench at the scale of a full replication (issue 13): generates 20 models' runs on
// disk in the engine's format (bench/replication-data.ts: 26,640 generations with ~1 KB
// answers, 53,280 verdicts, 180 runs, compacted as the engine leaves them), starts the built
// app on them (bin/start.js) and measures, medians printed beside the targets in one table:
//   - the table listing and each run table after a change (a row appended to a live generation
//     run and a live judge run), as the page gets it: its status poll, then only the changed
//     run's new rows (the runs table: whole, it is a row per run); beside them, each whole row
//     table as a page's first read of it fetches it (no target: never refetched after a change)
//     and what it costs the server; the server CPU of a status poll with nothing changed;
//   - the first listing after start, with compacted runs and with logs only (older runs: the
//     server compacts them), and the longest wait of a trivial request meanwhile;
//   - server CPU per page refresh while a run writes (the page's poll plus the new rows);
//   - stalls: a trivial request every 20 ms during that run, p90 and max wait;
//   - server memory (RSS after, peak);
//   - figure4-correlations opened to a drawn plot, fresh and warm, with and without the runs
//     (with the server's first paint made; bench/notebook-open.js compares with and without it);
//   - GROUP BY over 1M rows in DuckDB-WASM (threaded when isolated) vs native, 2 threads each.
// Run: node bench/replication.js [--models 20] [--reps 7] [--refreshes 20]
// Needs a build (`npm run build`); exit 0 when it measured, whether or not targets were met.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.js';
import { startLoopbackServer } from './lib/loopback-server.js';
import { openNativeVerdicts } from './lib/native-duckdb.js';
import { timeLoads } from './lib/notebook-open.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { verdictsToArrowStream } from './lib/verdicts-arrow.js';
import { generateVerdictColumns } from './lib/verdicts-columns.js';
import { writeVerdictsCsv } from './lib/verdicts-csv.js';
import { freePort } from './lib/free-port.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const { values: flags } = parseArgs({
	options: {
		models: { type: 'string', default: '20' },
		reps: { type: 'string', default: '7' },
		refreshes: { type: 'string', default: '20' },
		'open-runs': { type: 'string', default: '3' },
		'no-browser': { type: 'boolean', default: false }
	}
});
const MODELS = Number(flags.models);
const REPS = Number(flags.reps);
const REFRESHES = Number(flags.refreshes);
const OPEN_RUNS = Number(flags['open-runs']);
const log = (...a) => console.error('[replication bench]', ...a);
const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

if (!existsSync(join(root, 'build/index.js'))) {
	console.log('replication bench: skipped — no build (run `npm run build` first)');
	process.exit(0);
}

const started = performance.now();
const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-replication-'));
const runsDir = join(work, 'runs');
const emptyRuns = join(work, 'runs-empty');
mkdirSync(emptyRuns);

// --- the replication on disk ---
log(`writing the ${MODELS}-model replication to ${runsDir}`);
const generated = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${work}`, '--allow-env', join(here, 'replication-data.ts'), runsDir, '--models', String(MODELS)], { cwd: root, encoding: 'utf8' });
if (generated.status !== 0) throw new Error(`replication-data.ts failed: ${generated.stderr}`);
const scale = JSON.parse(generated.stdout.trim().split('\n').at(-1));
const logBytes = readdirSync(runsDir).reduce((n, id) => n + readFileSync(join(runsDir, id, 'log.jsonl')).length, 0);
log(`${scale.runs} runs, ${scale.generations} generations, ${scale.verdicts} verdicts, ${(logBytes / 1e6).toFixed(0)} MB of logs`);

// A run still going: manifest "running", a writer's lock, rows appended by this script.
const live = join(runsDir, 'zz-live-run');
mkdirSync(live);
const liveManifest = JSON.parse(readFileSync(join(runsDir, 'gen-completion-m1', 'manifest.json'), 'utf8'));
writeFileSync(join(live, 'manifest.json'), JSON.stringify({ ...liveManifest, run_id: 'zz-live-run', state: 'running', started_at: '2027-01-01T00:00:00.000Z', counts: { ...liveManifest.counts, total: 100000 } }));
writeFileSync(join(live, 'lock'), String(process.pid));
writeFileSync(join(live, 'log.jsonl'), '');
const sampleRow = JSON.parse(readFileSync(join(runsDir, 'gen-completion-m1', 'log.jsonl'), 'utf8').split('\n')[0]);
let liveRows = 0;
const appendLive = (n = 1) => {
	let text = '';
	for (let i = 0; i < n; i++) text += JSON.stringify({ ...sampleRow, unit_id: `live-${liveRows++}` }) + '\n';
	appendFileSync(join(live, 'log.jsonl'), text);
};
// A judge run still going too, so that the verdicts table changes as well.
const liveJudge = join(runsDir, 'zz-live-judge');
mkdirSync(liveJudge);
const judgeManifest = JSON.parse(readFileSync(join(runsDir, 'judge-rules-gen-completion-m1', 'manifest.json'), 'utf8'));
writeFileSync(join(liveJudge, 'manifest.json'), JSON.stringify({ ...judgeManifest, run_id: 'zz-live-judge', state: 'running', started_at: '2027-01-01T00:00:01.000Z', counts: { ...judgeManifest.counts, total: 100000 } }));
writeFileSync(join(liveJudge, 'lock'), String(process.pid));
writeFileSync(join(liveJudge, 'log.jsonl'), '');
const sampleVerdict = JSON.parse(readFileSync(join(runsDir, 'judge-rules-gen-completion-m1', 'log.jsonl'), 'utf8').split('\n')[0]);
let liveVerdicts = 0;
const appendLiveVerdict = () => appendFileSync(join(liveJudge, 'log.jsonl'), JSON.stringify({ ...sampleVerdict, unit_id: `live-${liveVerdicts++}` }) + '\n');

// --- the app ---
async function startApp(runs) {
	const port = await freePort();
	const app = spawn(process.execPath, [join(root, 'bin/start.js')], {
		cwd: root,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root, COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const origin = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		try {
			await fetch(`${origin}/favicon.svg`); // static: touches no run
			break;
		} catch {
			if (i > 200) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	return { origin, app, pid: app.pid, stop: () => app.kill() };
}
/** A server that does nothing but answer, in its own process (a control for stall probes). */
async function startIdleServer() {
	const port = await freePort();
	const idle = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
	const origin = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		try {
			await fetch(origin);
			break;
		} catch {
			if (i > 100) throw new Error('the idle server did not start');
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	return { origin, stop: () => idle.kill() };
}
/** Server CPU (user + system) in ms, from /proc (10 ms ticks: divide a total over many refreshes). */
const cpuMs = (pid) => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
};
const memoryMb = (pid) => {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
	return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
async function timed(url) {
	const t0 = performance.now();
	const response = await fetch(url);
	const body = new Uint8Array(await response.arrayBuffer());
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	return { ms: performance.now() - t0, bytes: body.length, response };
}
/** Trivial requests every 20 ms until stopped; their waits (ms). */
function probeStalls(origin) {
	const waits = [];
	let on = true;
	const done = (async () => {
		while (on) {
			const t0 = performance.now();
			await fetch(`${origin}/favicon.svg`).then((r) => r.arrayBuffer());
			waits.push(performance.now() - t0);
			await new Promise((r) => setTimeout(r, 20));
		}
	})();
	return async () => ((on = false), await done, waits);
}

const rows = [];
const row = (metric, median, unit, target, extra = {}) => rows.push({ metric, median, unit, runs: extra.runs ?? 0, target, ...extra });
let exitCode = 0;
let app;
let empty;
let browser;
let native;
try {
	// --- first listing after start: compacted runs, then logs only (the server compacts) ---
	app = await startApp(runsDir);
	const first = await timed(`${app.origin}/api/tables`);
	row('first GET /api/tables after start (runs compacted by the engine)', first.ms, 'ms', null, { runs: 1 });

	const logsOnly = join(work, 'runs-logs-only');
	cpSync(runsDir, logsOnly, { recursive: true, filter: (src) => !src.endsWith('.arrow') && !src.includes('zz-live-') });
	const cold = await startApp(logsOnly);
	const coldIdle = await startIdleServer();
	const stopColdProbe = probeStalls(cold.origin);
	const stopColdIdleProbe = probeStalls(coldIdle.origin);
	const coldFirst = await timed(`${cold.origin}/api/tables`);
	const coldWaits = await stopColdProbe();
	const coldIdleWaits = await stopColdIdleProbe();
	coldIdle.stop();
	row('first GET /api/tables, logs only (server reads + compacts every run)', coldFirst.ms, 'ms', null, { runs: 1 });
	row('  longest trivial request meanwhile (stall)', Math.max(...coldWaits), 'ms', 50, { runs: coldWaits.length });
	// What the machine alone makes a request wait meanwhile (bench/cold-listing.js also gives the
	// longest piece of work on the server's event loop, whatever the load).
	row('  the same probe of an idle server meanwhile (the machine alone), max', Math.max(...coldIdleWaits), 'ms', null, { runs: coldIdleWaits.length });
	const again = await timed(`${cold.origin}/api/tables`);
	row('  then the next GET /api/tables (compacted now)', again.ms, 'ms', 50, { runs: 1 });
	cold.stop();

	// --- after a change: a row appended to each live run, then the listing and each run table as
	// the page gets it: the status it polls, then only the changed run's new rows (a row table)
	// or the runs table (a row per run, refetched whole). The whole row tables are what a page
	// fetches once, the first time a query of its notebook reads them (never again after a
	// change): shown for information with the server CPU each costs, no target of their own.
	const status = async () => (await (await fetch(`${app.origin}/api/run-tables`)).json());
	const liveIn = (s, table, runId) => s.tables[table].runs.find((r) => r.run_id === runId);
	const st = await status();
	const held = { generations: liveIn(st, 'generations', 'zz-live-run'), verdicts: liveIn(st, 'verdicts', 'zz-live-judge') };
	const liveOf = { generations: 'zz-live-run', verdicts: 'zz-live-judge' };
	/** The page's sync of one run table after a change: status, then that table's changed run. */
	const pageSync = async (table) => {
		const s = await status();
		if (table === 'runs') return void (await timed(`${app.origin}/api/tables/runs`));
		const now = liveIn(s, table, liveOf[table]);
		if (now.seq === held[table].seq && now.epoch === held[table].epoch) return;
		const q = new URLSearchParams({ run: liveOf[table], epoch: held[table].epoch, after: String(held[table].seq) });
		const r = await fetch(`${app.origin}/api/tables/${table}?${q}`);
		await r.arrayBuffer();
		held[table] = { epoch: r.headers.get('x-covw-epoch'), seq: Number(r.headers.get('x-covw-seq')) };
	};
	const after = { list: [], generations: [], verdicts: [], runs: [] };
	const whole = { generations: [], verdicts: [] };
	const wholeCpu = { generations: [], verdicts: [] };
	let sizes = {};
	await timed(`${app.origin}/api/tables/generations`); // warm-up
	for (let i = 0; i < REPS; i++) {
		appendLive();
		appendLiveVerdict();
		after.list.push((await timed(`${app.origin}/api/tables`)).ms);
		for (const name of ['generations', 'verdicts', 'runs']) {
			appendLive();
			appendLiveVerdict();
			const t0 = performance.now();
			await pageSync(name);
			after[name].push(performance.now() - t0);
		}
		for (const name of ['generations', 'verdicts']) {
			appendLive();
			appendLiveVerdict();
			const cpu0 = cpuMs(app.pid);
			const t = await timed(`${app.origin}/api/tables/${name}`);
			wholeCpu[name].push(cpuMs(app.pid) - cpu0);
			whole[name].push(t.ms);
			sizes[name] = t.bytes;
		}
	}
	row('GET /api/tables after a change', median(after.list), 'ms', 50, { runs: REPS, samples: after.list });
	for (const name of ['generations', 'verdicts', 'runs']) {
		const what = name === 'runs' ? 'status + the runs table' : `status + the live ${name === 'generations' ? 'generation' : 'judge'} run's new rows`;
		row(`run table ${name} after a change, as the page gets it (${what})`, median(after[name]), 'ms', 100, { runs: REPS, samples: after[name] });
	}
	for (const name of ['generations', 'verdicts']) {
		const cpu = wholeCpu[name].reduce((a, b) => a + b, 0) / REPS;
		row(`  ${name} whole (${(sizes[name] / 1e6).toFixed(1)} MB): a page's first read of it, server CPU ${cpu.toFixed(0)} ms`, median(whole[name]), 'ms', null, { runs: REPS, samples: whole[name] });
	}

	// --- a status poll with nothing changed: what an open tab costs the server at 180 runs ---
	const POLLS = 50;
	const pollCpu0 = cpuMs(app.pid);
	for (let i = 0; i < POLLS; i++) await status();
	row(`server CPU per status poll, nothing changed (${scale.runs} runs on disk; mean of total)`, (cpuMs(app.pid) - pollCpu0) / POLLS, 'ms', null, { runs: POLLS });

	// --- a live run followed by a page: CPU per refresh, stalls ---
	log(`live run: ${REFRESHES} page refreshes, rows appended at 25/s`);
	const appender = setInterval(() => appendLive(1), 40);
	const refresh = () => pageSync('generations');
	const cpuBefore = cpuMs(app.pid);
	const wall = [];
	for (let i = 0; i < REFRESHES; i++) {
		await new Promise((r) => setTimeout(r, 300));
		const t0 = performance.now();
		await refresh();
		wall.push(performance.now() - t0);
	}
	const cpuPerRefresh = (cpuMs(app.pid) - cpuBefore) / REFRESHES;
	row('server CPU per page refresh during a live run (mean of total)', cpuPerRefresh, 'ms', 20, { runs: REFRESHES });
	row('  a page refresh meanwhile, wall (status + the run\'s new rows)', median(wall), 'ms', 100, { runs: REFRESHES, samples: wall });
	// The same probe against an idle server in its own process, at the same time: what the
	// machine's scheduling alone makes a trivial request wait (a busy 2-core machine: 100 ms+).
	const idle = await startIdleServer();
	const stopProbe = probeStalls(app.origin);
	const stopIdleProbe = probeStalls(idle.origin);
	for (let i = 0; i < 8; i++) {
		await new Promise((r) => setTimeout(r, 1500)); // the page's poll interval
		await refresh();
		await timed(`${app.origin}/api/tables`);
	}
	const waits = await stopProbe();
	const idleWaits = await stopIdleProbe();
	idle.stop();
	clearInterval(appender);
	row('trivial request wait during the live run, p90', p(waits, 0.9), 'ms', 50, { runs: waits.length });
	row('  max (target: no stall over 50 ms)', Math.max(...waits), 'ms', 50, { runs: waits.length });
	row('  the same probe of an idle server meanwhile (the machine alone), p90', p(idleWaits, 0.9), 'ms', null, { runs: idleWaits.length });
	row('  max', Math.max(...idleWaits), 'ms', null, { runs: idleWaits.length });
	const memory = memoryMb(app.pid);
	row('server memory (RSS) after all of the above, MB', memory.rss, 'x', 200, { note: `${memory.rss.toFixed(0)} MB (target ≤ 200 MB): ${memory.rss <= 200 ? 'pass' : 'FAIL'}` });
	row('server memory peak (VmHWM), MB', memory.peak, 'x', 200, { note: `${memory.peak.toFixed(0)} MB (target ≤ 200 MB): ${memory.peak <= 200 ? 'pass' : 'FAIL'}` });

	if (!flags['no-browser']) {
		browser = await launchChromium();
		// --- figure4-correlations, with and without the replication ---
		empty = await startApp(emptyRuns);
		for (const [label, server] of [['without runs', empty], ['with the replication', app]]) {
			log(`figure4-correlations ${label}`);
			// The server's first paint of the notebook (lib/server/first-paint/), made before timing:
			// the first open after a change starts it in a child process and does not wait for it.
			for (let t0 = performance.now(); performance.now() - t0 < 120_000; await new Promise((r) => setTimeout(r, 500))) {
				const made = await fetch(`${server.origin}/api/notebooks/figure4-correlations/first-paint`);
				await made.arrayBuffer();
				if (made.status === 200) break;
			}
			const opened = await timeLoads({ browser, url: `${server.origin}/notebooks/figure4-correlations`, freshRuns: OPEN_RUNS, warmRuns: 2 });
			row(`open figure4-correlations, fresh, ${label}`, median(opened.fresh.map((l) => l.plotMs)), 'ms', 1000, { runs: OPEN_RUNS, samples: opened.fresh.map((l) => l.plotMs) });
			row(`  warm, ${label}`, median(opened.warm.map((l) => l.plotMs)), 'ms', 600, { runs: 2, samples: opened.warm.map((l) => l.plotMs) });
		}
		// Which bundle the app's page runs, and whether it is isolated.
		const page = await browser.newPage();
		await page.goto(`${empty.origin}/`);
		const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
		await page.close();
		log(`app page cross-origin isolated: ${isolated}; the app runs the coi bundle only with 4+ cores (here: ${cpus().length}), else eh`);

		// --- GROUP BY over 1M rows: wasm (threaded when isolated) vs native, 2 threads each ---
		log('GROUP BY over 1,000,000 rows: wasm vs native');
		const columns = generateVerdictColumns(1_000_000, 20250510);
		const csvPath = join(work, 'verdicts.csv');
		await writeVerdictsCsv(columns, csvPath);
		const routes = {
			bodies: { '/wasm-page.html': readFileSync(join(here, 'lib/wasm-page.html')), '/wasm-page.js': readFileSync(join(here, 'lib/wasm-page.js')), '/v.arrow': verdictsToArrowStream(columns) },
			mounts: {
				'/npm/@duckdb/duckdb-wasm/dist/': join(root, 'node_modules/@duckdb/duckdb-wasm/dist'),
				'/npm/apache-arrow/': join(root, 'node_modules/apache-arrow'),
				'/npm/flatbuffers/': join(root, 'node_modules/flatbuffers'),
				'/npm/tslib/': join(root, 'node_modules/tslib')
			}
		};
		// Starting each bundle in a fresh context (what the app's choice of bundle rests on).
		const starts = { coi: [], eh: [] };
		for (const isolated of [true, false]) {
			const server = await startLoopbackServer({ ...routes, isolated });
			try {
				for (let i = 0; i < 2; i++) {
					const context = await browser.newContext();
					const startPage = await context.newPage();
					await startPage.goto(server.origin + '/wasm-page.html');
					await startPage.waitForFunction(() => 'bench' in window, null, { timeout: 30_000 });
					const t0 = performance.now();
					await startPage.evaluate(() => window.bench.start(2));
					starts[isolated ? 'coi' : 'eh'].push(performance.now() - t0);
					await context.close();
				}
			} finally {
				await server.close();
			}
		}
		row('DuckDB-WASM start in a fresh tab, coi (2 threads)', median(starts.coi), 'ms', null, { runs: 2, samples: starts.coi });
		row('DuckDB-WASM start in a fresh tab, eh', median(starts.eh), 'ms', null, { runs: 2, samples: starts.eh });
		const loop = await startLoopbackServer(routes);
		try {
			const wasmPage = await browser.newPage();
			await wasmPage.goto(loop.origin + '/wasm-page.html');
			await wasmPage.waitForFunction(() => 'bench' in window, null, { timeout: 30_000 });
			await wasmPage.evaluate(() => window.bench.start(2));
			const bundle = await wasmPage.evaluate(() => window.bench.bundle);
			await wasmPage.evaluate(() => window.bench.ingest('/v.arrow', 'v'));
			native = await openNativeVerdicts(csvPath, 'v');
			await native.run('SET threads = 2');
			// The threads each side really runs with (not only what was asked): printed with the rows.
			const threadsSetting = "SELECT current_setting('threads') AS t";
			const wasmThreads = (await wasmPage.evaluate((s) => window.bench.rows(s), threadsSetting))[0][0];
			const nativeThreads = (await native.rows(threadsSetting))[0][0];
			const sql = 'SELECT model, cwe, judge, avg(vulnerable::INT) AS insecure_rate, count(*) AS n FROM v GROUP BY ALL';
			await wasmPage.evaluate((s) => window.bench.time(s), sql);
			await native.time(sql);
			const wasm = [];
			const nat = [];
			for (let i = 0; i < 11; i++) {
				wasm.push((await wasmPage.evaluate((s) => window.bench.time(s), sql)).ms);
				nat.push((await native.time(sql)).ms);
			}
			row(`GROUP BY 1M rows, DuckDB-WASM (${bundle}; threads setting ${wasmThreads})`, median(wasm), 'ms', null, { runs: 11, samples: wasm });
			row(`GROUP BY 1M rows, native DuckDB (threads setting ${nativeThreads})`, median(nat), 'ms', null, { runs: 11, samples: nat });
			row('  ratio wasm / native', median(wasm) / median(nat), 'x', 1.5, { runs: 11 });
			// Each pair was taken back to back, under the same load: steadier on a busy machine.
			row('  median of the per-rep ratios (info)', median(wasm.map((w, i) => w / nat[i])), 'x', null, { runs: 11 });
			await wasmPage.close();
		} finally {
			await loop.close();
		}
	}
	// The rows with a target shown as pass/FAIL; the machine's load beside them.
	console.log(`\nReplication scale — ${scale.runs} runs, ${scale.generations.toLocaleString('en')} generations, ${scale.verdicts.toLocaleString('en')} verdicts, ${(logBytes / 1e6).toFixed(0)} MB of logs; ${cpus().length} cores`);
	console.log(formatTable(rows));
	const loadAtEnd = loadavg()[0];
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: figures are pessimistic' : ''}`);
	const file = writeResults(join(here, 'results'), { bench: 'replication', at: new Date().toISOString(), scale, logBytes, rows: rows.map((r) => ({ ...r, metric: r.metric.trim(), result: verdict(r) })), loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'replication');
	console.log(`results: ${file}`);
} catch (error) {
	console.error('bench/replication.js failed:', error instanceof Error ? error.stack : error);
	if (rows.length) console.log(formatTable(rows));
	exitCode = 1;
} finally {
	native?.close();
	await browser?.close();
	app?.stop();
	empty?.stop();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
