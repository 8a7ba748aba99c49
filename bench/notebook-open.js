#!/usr/bin/env node
// Opening a notebook to a drawn plot, with the server's first paint (lib/server/first-paint/)
// and without it (COVW_FIRST_PAINT=off: the page waits for its own DuckDB-WASM), side by side:
// two servers on the same build, loads alternated A, B, A, B, … so both see the same machine
// load. Fresh = a new browser context per load (empty HTTP and wasm code caches); warm = new
// tabs in one context after a first untimed load. The servers' recordings are made before
// timing (the first open after a notebook changes is not a first paint: it starts the recording).
// Prints medians, the ratio and the load average; exit 0 when it measured.
// Run: node bench/notebook-open.js [--notebook figure4-correlations] [--reps 5]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.js';
import { timeLoads } from './lib/notebook-open.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { freePort } from './lib/free-port.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({ options: { notebook: { type: 'string', default: 'figure4-correlations' }, reps: { type: 'string', default: '5' } } });
const REPS = Number(flags.reps);
const log = (...a) => console.error('[notebook-open bench]', ...a);

if (!existsSync(join(root, 'build/index.js'))) {
	console.log('notebook-open bench: skipped — no build (run `npm run build` first)');
	process.exit(0);
}

async function startApp(env) {
	const port = await freePort();
	const app = spawn(process.execPath, [join(root, 'bin/start.js')], { cwd: root, env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
	const origin = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		try {
			await fetch(`${origin}/favicon.svg`);
			return { origin, stop: () => app.kill() };
		} catch {
			if (i > 300) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
	}
}

const started = performance.now();
const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-open-'));
mkdirSync(join(work, 'runs'));
const env = { COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache') };
let browser;
const servers = [];
let exitCode = 0;
try {
	const on = await startApp(env);
	servers.push(on);
	const off = await startApp({ ...env, COVW_FIRST_PAINT: 'off' });
	servers.push(off);
	// The recording, made before timing (a child process; slow on a loaded machine).
	const t0 = performance.now();
	let recorded = false;
	while (performance.now() - t0 < 120_000) {
		const response = await fetch(`${on.origin}/api/notebooks/${flags.notebook}/first-paint`);
		await response.arrayBuffer();
		if (response.status === 200) {
			recorded = true;
			break;
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	log(recorded ? `recording ready after ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'no recording (the notebook gets none): both sides run it in the page');
	browser = await launchChromium();
	const samples = { on: { fresh: [], warm: [] }, off: { fresh: [], warm: [] } };
	for (let i = 0; i < REPS; i++) {
		for (const [side, server] of i % 2 ? [['off', off], ['on', on]] : [['on', on], ['off', off]]) {
			const loads = await timeLoads({ browser, url: `${server.origin}/notebooks/${flags.notebook}`, freshRuns: 1, warmRuns: 1 });
			samples[side].fresh.push(loads.fresh[0].plotMs);
			samples[side].warm.push(loads.warm[0].plotMs);
		}
		log(`rep ${i + 1}/${REPS}: on ${samples.on.fresh.at(-1).toFixed(0)}/${samples.on.warm.at(-1).toFixed(0)} ms, off ${samples.off.fresh.at(-1).toFixed(0)}/${samples.off.warm.at(-1).toFixed(0)} ms (fresh/warm)`);
	}
	const rows = [];
	for (const kind of ['fresh', 'warm']) {
		const target = kind === 'fresh' ? 1000 : 600;
		rows.push({ metric: `open ${flags.notebook}, ${kind}, first paint from the server`, median: median(samples.on[kind]), unit: 'ms', runs: REPS, target, samples: samples.on[kind] });
		rows.push({ metric: `  ${kind}, the page's own DuckDB-WASM only (COVW_FIRST_PAINT=off)`, median: median(samples.off[kind]), unit: 'ms', runs: REPS, target, samples: samples.off[kind] });
		rows.push({ metric: `  ratio with / without, ${kind}`, median: median(samples.on[kind]) / median(samples.off[kind]), unit: 'x', runs: REPS, target: null });
	}
	const loadAtEnd = loadavg()[0];
	console.log(formatTable(rows));
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: absolute figures are pessimistic, compare the ratios' : ''}`);
	const file = writeResults(join(here, 'results'), { bench: 'notebook-open', at: new Date().toISOString(), notebook: flags.notebook, recorded, rows: rows.map((r) => ({ ...r, result: verdict(r) })), loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'notebook-open');
	console.log(`results: ${file}`);
} catch (error) {
	console.error('bench/notebook-open.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	await browser?.close();
	for (const s of servers) s.stop();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
