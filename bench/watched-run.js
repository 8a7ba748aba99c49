#!/usr/bin/env node
// A run followed by an open tab against the same run unwatched (issue 13: "within 1.1×", "a
// refresh during a live run ≤ 20 ms of server CPU and no stall over 50 ms"): the built app runs
// generation runs started through its API (as a run cell starts them), 8-way concurrency
// against the test double; half the runs with a tab open on a notebook that reads the
// generations table (the page polls the run tables and adds the run's new rows), half with no
// tab; alternated (unwatched first in even reps, watched first in odd ones), so both see the
// same machine load. With --models N the runs folder first holds an N-model replication
// (bench/replication-data.ts, as bench/replication.js writes it): the server has that much to
// keep in step while the run goes on.
// The server runs with bench/lib/server-probe.js loaded: per run it reports the server's CPU,
// its longest event-loop stall and the requests it answered; a trivial request every 20 ms
// measures the stall from outside too. Each run's duration is its manifest's finished_at −
// started_at. Prints per-rep lines (with the machine load), then medians, the ratio, server
// CPU per page refresh ((CPU watched − CPU unwatched) / status polls) and stalls.
// Needs a build and ../shared/coveval (items imported with `covw data import`); skipped without.
// Run: node bench/watched-run.js [--reps 6] [--limit 120] [--samples 2] [--latency 100] [--models 0]
//   [--follow cell|poll]  cell (default): the tab's run cell starts the run and follows it (its
//   progress stream, its rows, a SQL cell over them run again); poll: the run is started by a
//   request, the tab (a notebook with no run cell) follows it by its poll alone, as a CLI run.
//   [--profile <dir>]  the server's V8 CPU profile, written there when it stops.
//   [--page-profile <file>]  the first watched run's page (main thread) CPU profile, written there.
//   [--threads]  each watched run's browser CPU by process type and thread name.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { freePort } from './lib/free-port.js';
import { probeAsker } from './lib/probe-ask.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const coveval = resolve(root, '../shared/coveval');
const { values: flags } = parseArgs({
	options: {
		reps: { type: 'string', default: '6' },
		limit: { type: 'string', default: '120' },
		samples: { type: 'string', default: '2' },
		latency: { type: 'string', default: '100' },
		models: { type: 'string', default: '0' },
		follow: { type: 'string', default: 'cell' },
		port: { type: 'string' },
		profile: { type: 'string' },
		'page-profile': { type: 'string' },
		threads: { type: 'boolean', default: false }
	}
});
const REPS = Number(flags.reps);
const MODELS = Number(flags.models);
const log = (...a) => console.error('[watched-run bench]', ...a);
const p = (xs, q) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);

if (!existsSync(join(root, 'build/index.js')) || !existsSync(coveval)) {
	console.log(`watched-run bench: skipped — needs a build (npm run build) and ${coveval}`);
	process.exit(0);
}

/** CPU (user + system, ms) of each process below `pid` (itself included), from /proc: pid → ms. */
function processTree() {
	const all = new Map();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
			all.set(Number(name), { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 });
		} catch {
			// gone meanwhile
		}
	}
	return all;
}
/** CPU (ms) by thread name of `pids`' threads (what a browser spends its CPU on). */
function threadCpu(pids) {
	const out = {};
	for (const pid of pids) {
		let comm = '?';
		try {
			comm = readFileSync(`/proc/${pid}/cmdline`, 'utf8').match(/--type=([a-z-]+)/)?.[1] ?? 'browser';
			for (const tid of readdirSync(`/proc/${pid}/task`)) {
				const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
				const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
				const key = `${comm}/${name.replace(/\d+$/, '#')}`;
				out[key] = (out[key] ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10;
			}
		} catch {
			// gone meanwhile
		}
	}
	return out;
}
/** Pids of `pid` and every process below it, except the trees of `skip`. */
function treePids(all, pid, skip = []) {
	if (skip.includes(pid)) return [];
	const out = [pid];
	for (const [child, info] of all) if (info.ppid === pid) out.push(...treePids(all, child, skip));
	return out;
}
/** The CPU of `pid` and every process below it, except the trees of `skip`. */
function treeCpuMs(all, pid, skip = []) {
	if (skip.includes(pid)) return 0;
	let ms = all.get(pid)?.cpuMs ?? 0;
	for (const [child, info] of all) if (info.ppid === pid) ms += treeCpuMs(all, child, skip);
	return ms;
}


const started = performance.now();
const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-watched-'));
let double;
let app;
let browser;
let exitCode = 0;
try {
	// The project: config naming the test double, templates, items, one notebook reading the runs.
	const project = join(work, 'project');
	mkdirSync(join(project, 'notebooks'), { recursive: true });
	cpSync(join(root, 'datasets/templates'), join(project, 'datasets/templates'), { recursive: true });
	const imported = spawnSync(process.execPath, [join(root, 'bin/covw.js'), 'data', 'import', coveval, '--out', join(project, 'datasets/coveval')], { encoding: 'utf8' });
	if (imported.status !== 0 && !existsSync(join(project, 'datasets/coveval/items.arrow'))) throw new Error(`covw data import failed: ${imported.stderr}`);
	// --follow cell: the run's own notebook, a run cell (its panel starts and follows the run) and
	// a SQL cell over its rows (run again as rows land). --follow poll: a notebook with no run
	// cell (a run started elsewhere, as from the CLI: the page's poll alone follows it).
	const specOf = (k) => ({ task: 'completion', model: `double/m${k}`, limit: Number(flags.limit), seed: 1, samples: Number(flags.samples) });
	for (let k = 1; k <= 2 * REPS; k++) {
		writeFileSync(join(project, `notebooks/watch-${k}.md`), `\`\`\`run id=r\n${JSON.stringify(specOf(k))}\n\`\`\`\n\n\`\`\`sql id=n\nSELECT count(*)::INT AS n FROM r\n\`\`\`\n`);
	}
	writeFileSync(join(project, 'notebooks/watch.md'), '```sql id=n\nSELECT run_id, count(*) AS n FROM generations GROUP BY ALL\n```\n');
	if (MODELS > 0) {
		log(`writing a ${MODELS}-model replication to the runs folder`);
		const generated = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${work}`, '--allow-env', join(here, 'replication-data.ts'), join(project, 'runs'), '--models', String(MODELS)], { cwd: root, encoding: 'utf8' });
		if (generated.status !== 0) throw new Error(`replication-data.ts failed: ${generated.stderr}`);
	}

	double = spawn(deno, ['run', '--allow-net=127.0.0.1', '--allow-env', join(root, 'tests/support/openai-test-server-main.ts'), flags.latency], { stdio: ['ignore', 'pipe', 'inherit'] });
	const url = await new Promise((ok, fail) => {
		let text = '';
		double.stdout.on('data', (d) => {
			text += d;
			const m = /listening (\S+)/.exec(text);
			if (m) ok(m[1]);
		});
		double.once('exit', () => fail(new Error('the test double exited')));
	});
	writeFileSync(join(project, 'covw.config.json'), JSON.stringify({ endpoints: { double: { baseURL: url, apiKeyEnv: 'COVW_BENCH_KEY', concurrency: 8, models: Object.fromEntries(Array.from({ length: 2 * REPS }, (_, k) => [`m${k + 1}`, {}])) } } }));

	const port = flags.port ? Number(flags.port) : await freePort();
	const origin = `http://127.0.0.1:${port}`;
	// The server with the probe (bench/lib/server-probe.js) and an IPC channel to ask it.
	// --profile <dir>: the server writes a V8 CPU profile there when it exits (open it in DevTools).
	const profile = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(flags.profile)}`] : [];
	const child = spawn(process.execPath, [...profile, '--import', join(here, 'lib/server-probe.js'), join(root, 'bin/start.js')], {
		cwd: project,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: project, COVW_BENCH_KEY: 'bench', COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	app = child;
	const ask = probeAsker(child);
	for (let i = 0; ; i++) {
		try {
			await fetch(`${origin}/favicon.svg`);
			break;
		} catch {
			if (i > 600) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	if (MODELS > 0) await fetch(`${origin}/api/tables`).then((r) => r.arrayBuffer()); // the first read of the replication, before any run
	browser = await launchChromium();

	/** Trivial requests every 20 ms until stopped; their waits (ms). */
	function probeStalls() {
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

	/**
	 * One run, of model m<k> (each run its own model: the same items, no response cached by an
	 * earlier run); with a tab open on the notebook when `watched`. Its duration (s), the
	 * server's CPU and stalls meanwhile, the requests it answered.
	 */
	let pageProfiled = false;
	async function oneRun(k, watched) {
		const spec = specOf(k);
		const planned = await fetch(`${origin}/api/runs/plan`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ spec }) });
		if (!planned.ok) throw new Error(`POST /api/runs/plan: HTTP ${planned.status} ${await planned.text()}`);
		const runId = (await planned.json()).plan.generationRunId;
		const byCell = watched && flags.follow === 'cell';
		let page;
		if (watched) {
			page = await browser.newPage();
			await page.goto(`${origin}/notebooks/${byCell ? `watch-${k}` : 'watch'}`);
			await page.locator('[data-cell-id="n"] [data-testid="result-grid"]').waitFor({ timeout: 60_000 });
			if (byCell) await page.getByTestId('run-start').waitFor({ timeout: 60_000 });
		}
		await new Promise((r) => setTimeout(r, 1000)); // what opening the page set off settles
		await ask('probe:reset');
		// The browser's CPU: every process below this one but the server and the test double.
		const browserCpu = () => treeCpuMs(processTree(), process.pid, [app.pid, double.pid]);
		const browserBefore = browserCpu();
		const browserThreads = () => threadCpu(treePids(processTree(), process.pid, [app.pid, double.pid]).filter((pid) => pid !== process.pid));
		const threadsBefore = flags.threads && page ? browserThreads() : null;
		const stopProbe = probeStalls();
		let cdp;
		if (page && flags['page-profile'] && !pageProfiled) {
			pageProfiled = true;
			cdp = await page.context().newCDPSession(page);
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.start');
		}
		if (byCell) await page.getByTestId('run-start').click();
		else {
			const response = await fetch(`${origin}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ spec }) });
			if (!response.ok) throw new Error(`POST /api/runs: HTTP ${response.status} ${await response.text()}`);
		}
		const manifestPath = join(project, 'runs', runId, 'manifest.json');
		for (;;) {
			await new Promise((r) => setTimeout(r, 100));
			if (!existsSync(manifestPath)) continue;
			let manifest;
			try {
				manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
			} catch {
				continue; // written as we read
			}
			if (manifest.finished_at) {
				const probe = await ask('probe:read');
				const browserMs = browserCpu() - browserBefore;
				if (threadsBefore) {
					const after = browserThreads();
					const used = Object.entries(after).map(([k, v]) => [k, v - (threadsBefore[k] ?? 0)]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
					log(`browser CPU by thread: ${used.map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
				}
				if (cdp) writeFileSync(resolve(flags['page-profile']), JSON.stringify((await cdp.send('Profiler.stop')).profile));
				const waits = await stopProbe();
				let rowsShown = null;
				if (page) {
					// The tab shows the run's rows (the bench measures a tab that really follows).
					const units = String(Number(flags.limit) * Number(flags.samples));
					const grid = page.locator('[data-cell-id="n"] [data-testid="result-grid"]');
					const shows = async () => {
						if (!byCell) await page.locator('[data-cell-id="n"]').getByRole('button', { name: /Run/ }).click();
						const text = (await grid.textContent()) ?? '';
						return byCell ? new RegExp(`\\b${units}\\b`).test(text) : text.includes(runId);
					};
					const deadline = Date.now() + 30_000;
					while (!(rowsShown = await shows()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
					await page.close();
				}
				return {
					seconds: (Date.parse(manifest.finished_at) - Date.parse(manifest.started_at)) / 1000,
					cpuMs: probe.cpuMs,
					stallMaxMs: probe.stallMaxMs,
					busyMaxMs: probe.busyMaxMs,
					busyAtS: probe.busyAtMs / 1000,
					browserMs,
					waitP90: p(waits, 0.9),
					waitMax: Math.max(...waits),
					requests: probe.requests,
					sentBytes: probe.sentBytes,
					rowsShown,
					load: loadavg()[0]
				};
			}
		}
	}
	const samples = { watched: [], unwatched: [] };
	let k = 1;
	const fmt = (r) => `${r.seconds.toFixed(2)} s, server CPU ${r.cpuMs.toFixed(0)} ms, stall ${r.stallMaxMs.toFixed(0)} ms (busiest turn ${r.busyMaxMs.toFixed(0)} ms CPU at ${r.busyAtS.toFixed(1)} s), browser CPU ${r.browserMs} ms`;
	for (let i = 0; i < REPS; i++) {
		for (const watched of i % 2 ? [true, false] : [false, true]) samples[watched ? 'watched' : 'unwatched'].push(await oneRun(k++, watched));
		const w = samples.watched.at(-1);
		const u = samples.unwatched.at(-1);
		const polls = w.requests['/api/run-tables'] ?? 0;
		const other = Object.entries(w.requests).filter(([path]) => path !== '/favicon.svg').map(([path, n]) => `${path} ×${n} (${((w.sentBytes[path] ?? 0) / 1024).toFixed(0)} KB)`).join(', ');
		log(`rep ${i + 1}/${REPS} (load ${u.load.toFixed(1)}): unwatched ${fmt(u)}; watched ${fmt(w)}, ${polls} polls${w.rowsShown === false ? ', THE TAB DID NOT SHOW THE RUN' : ''}; the tab asked: ${other || 'nothing'}`);
	}
	// --- what one page refresh costs the server, alone: a run written by another process (as
	// the CLI writes one: 2,000 rows of ~1 KB answers, then rows appended at 25/s) and the requests a following page makes per
	// refresh (the status, the run's new rows, its totals), 20 times; the server runs nothing
	// else, so its CPU meanwhile is the refreshes' (and reading the appended rows).
	const liveDir = join(project, 'runs', 'zz-cli-live');
	const someRun = readdirSync(join(project, 'runs')).find((id) => id.startsWith('gen-') && existsSync(join(project, 'runs', id, 'log.jsonl')) && readFileSync(join(project, 'runs', id, 'log.jsonl'), 'utf8').length > 0);
	const sampleRow = JSON.parse(readFileSync(join(project, 'runs', someRun, 'log.jsonl'), 'utf8').split('\n')[0]);
	const manifest = JSON.parse(readFileSync(join(project, 'runs', someRun, 'manifest.json'), 'utf8'));
	mkdirSync(liveDir);
	writeFileSync(join(liveDir, 'manifest.json'), JSON.stringify({ ...manifest, run_id: 'zz-cli-live', state: 'running', finished_at: null, started_at: new Date().toISOString(), counts: { ...manifest.counts, total: 100000 } }));
	writeFileSync(join(liveDir, 'lock'), String(process.pid));
	// A run well under way: 2,000 rows already (the sample row's answer, ~1 KB as real models give).
	const bigRow = { ...sampleRow, response: String(sampleRow.response ?? '').padEnd(1000, ' x') };
	writeFileSync(join(liveDir, 'log.jsonl'), Array.from({ length: 2000 }, (_, i) => JSON.stringify({ ...bigRow, unit_id: `cli-pre-${i}` }) + '\n').join(''));
	let appended = 0;
	const appender = setInterval(() => appendFileSync(join(liveDir, 'log.jsonl'), JSON.stringify({ ...bigRow, unit_id: `cli-${appended++}` }) + '\n'), 40);
	const statusOf = async () => (await fetch(`${origin}/api/run-tables`)).json();
	let held = { epoch: '', seq: 0 };
	const pageRefresh = async () => {
		const s = await statusOf();
		const now = s.tables.generations.runs.find((r) => r.run_id === 'zz-cli-live');
		if (now && (now.seq !== held.seq || now.epoch !== held.epoch)) {
			const r = await fetch(`${origin}/api/tables/generations?${new URLSearchParams({ run: 'zz-cli-live', epoch: held.epoch, after: String(held.seq) })}`);
			await r.arrayBuffer();
			held = { epoch: r.headers.get('x-covw-epoch'), seq: Number(r.headers.get('x-covw-seq')) };
		}
		await fetch(`${origin}/api/runs?ids=zz-cli-live`).then((r) => r.arrayBuffer());
	};
	await pageRefresh();
	const REFRESHES = 20;
	await ask('probe:reset');
	for (let i = 0; i < REFRESHES; i++) {
		await new Promise((r) => setTimeout(r, 300));
		await pageRefresh();
	}
	const refreshProbe = await ask('probe:read');
	clearInterval(appender);
	log(`page refreshes alone: ${REFRESHES} × (status, new rows, totals) of a run written by another process: server CPU ${refreshProbe.cpuMs.toFixed(0)} ms, busiest turn ${refreshProbe.busyMaxMs.toFixed(0)} ms`);

	const units = Number(flags.limit) * Number(flags.samples);
	const ideal = (units / 8) * (Number(flags.latency) / 1000);
	const of = (side, key) => samples[side].map((r) => r[key]);
	const med = (side, key) => median(of(side, key));
	const polls = median(samples.watched.map((r) => r.requests['/api/run-tables'] ?? 0));
	const cpuPerRefresh = polls > 0 ? (med('watched', 'cpuMs') - med('unwatched', 'cpuMs')) / polls : null;
	const rows = [
		{ metric: `run of ${units} units, 8-way, ${flags.latency} ms, no tab (s; ideal ${ideal.toFixed(1)} s)${MODELS ? `, ${MODELS}-model replication on disk` : ''}`, median: med('unwatched', 'seconds'), unit: 'x', runs: REPS, target: null, samples: of('unwatched', 'seconds'), note: `${med('unwatched', 'seconds').toFixed(2)} s` },
		{ metric: '  the same with a tab following it (s)', median: med('watched', 'seconds'), unit: 'x', runs: REPS, target: null, samples: of('watched', 'seconds'), note: `${med('watched', 'seconds').toFixed(2)} s` },
		{ metric: '  ratio followed / unwatched', median: med('watched', 'seconds') / med('unwatched', 'seconds'), unit: 'x', runs: REPS, target: 1.1 },
		{ metric: 'server CPU during the run, no tab (ms)', median: med('unwatched', 'cpuMs'), unit: 'ms', runs: REPS, target: null, samples: of('unwatched', 'cpuMs') },
		{ metric: '  with a tab following it (ms)', median: med('watched', 'cpuMs'), unit: 'ms', runs: REPS, target: null, samples: of('watched', 'cpuMs') },
		{ metric: `  difference per page refresh ((tab − no tab) / ${polls} polls; noisy)`, median: cpuPerRefresh, unit: 'ms', runs: REPS, target: null },
		{ metric: 'server CPU per page refresh, measured alone (a 2,000-row run written elsewhere, +25 rows/s)', median: refreshProbe.cpuMs / REFRESHES, unit: 'ms', runs: REFRESHES, target: 20 },
		{ metric: '  the busiest event-loop turn meanwhile (CPU)', median: refreshProbe.busyMaxMs, unit: 'ms', runs: REFRESHES, target: 50 },
		{ metric: 'browser CPU during the run, no tab / with the tab (ms)', median: med('watched', 'browserMs'), unit: 'ms', runs: REPS, target: null, samples: of('watched', 'browserMs'), note: `${med('unwatched', 'browserMs').toFixed(0)} / ${med('watched', 'browserMs').toFixed(0)} ms` },
		{ metric: 'most server CPU in one event-loop turn (its own stall), no tab', median: med('unwatched', 'busyMaxMs'), unit: 'ms', runs: REPS, target: 50, samples: of('unwatched', 'busyMaxMs') },
		{ metric: '  with a tab following it', median: med('watched', 'busyMaxMs'), unit: 'ms', runs: REPS, target: 50, samples: of('watched', 'busyMaxMs') },
		{ metric: '  worst over every watched run', median: Math.max(...of('watched', 'busyMaxMs')), unit: 'ms', runs: REPS, target: 50 },
		{ metric: 'longest event-loop stall (wall clock: waiting for a core counts) during the run, no tab', median: med('unwatched', 'stallMaxMs'), unit: 'ms', runs: REPS, target: 50, samples: of('unwatched', 'stallMaxMs') },
		{ metric: '  with a tab following it', median: med('watched', 'stallMaxMs'), unit: 'ms', runs: REPS, target: 50, samples: of('watched', 'stallMaxMs') },
		{ metric: 'trivial request wait during a watched run, p90 / max (median over runs)', median: med('watched', 'waitP90'), unit: 'ms', runs: REPS, target: 50, note: `${med('watched', 'waitP90').toFixed(0)} / ${med('watched', 'waitMax').toFixed(0)} ms (unwatched ${med('unwatched', 'waitP90').toFixed(0)} / ${med('unwatched', 'waitMax').toFixed(0)} ms)` }
	];
	const loadAtEnd = loadavg()[0];
	console.log(formatTable(rows));
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: compare the ratio' : ''}`);
	if (samples.watched.some((r) => r.rowsShown === false)) console.log('WARNING: a watched tab did not show its run\'s rows');
	console.log(`results: ${writeResults(join(here, 'results'), { bench: 'watched-run', at: new Date().toISOString(), flags, rows: rows.map((r) => ({ ...r, result: verdict(r) })), runs: samples, loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'watched-run')}`);
} catch (error) {
	console.error('bench/watched-run.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	await browser?.close();
	app?.kill();
	double?.kill();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
