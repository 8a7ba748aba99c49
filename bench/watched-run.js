#!/usr/bin/env node
// A run followed by an open tab against the same run unwatched (issue 13: "within 1.1×"): the
// built app runs generation runs started through its API (as a run cell starts them), 8-way
// concurrency against the test double; half the runs with a tab open on a notebook that reads
// the generations table (the page polls the run tables and adds the run's new rows), half with
// no tab; alternated, so both see the same machine load. Each run's duration is its manifest's
// finished_at − started_at. Prints medians, the ratio and the load average.
// Needs a build and ../shared/coveval (items imported with `covw data import`); skipped without.
// Run: node bench/watched-run.js [--reps 3] [--limit 120] [--samples 2] [--latency 100]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const coveval = resolve(root, '../shared/coveval');
const { values: flags } = parseArgs({
	options: { reps: { type: 'string', default: '3' }, limit: { type: 'string', default: '120' }, samples: { type: 'string', default: '2' }, latency: { type: 'string', default: '100' } }
});
const REPS = Number(flags.reps);
const log = (...a) => console.error('[watched-run bench]', ...a);

if (!existsSync(join(root, 'build/index.js')) || !existsSync(coveval)) {
	console.log(`watched-run bench: skipped — needs a build (npm run build) and ${coveval}`);
	process.exit(0);
}

function freePort() {
	return new Promise((ok, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => ok(port));
		});
	});
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
	writeFileSync(join(project, 'notebooks/watch.md'), '```sql id=n\nSELECT run_id, count(*) AS n FROM generations GROUP BY ALL\n```\n');

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

	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [join(root, 'bin/start.js')], {
		cwd: project,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: project, COVW_BENCH_KEY: 'bench', COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	app = child;
	for (let i = 0; ; i++) {
		try {
			await fetch(`${origin}/favicon.svg`);
			break;
		} catch {
			if (i > 300) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	browser = await launchChromium();

	/**
	 * One run, of model m<k> (each run its own model: the same items, no response cached by an
	 * earlier run); with a tab open on the notebook when `watched`. Seconds.
	 */
	async function oneRun(k, watched) {
		let page;
		if (watched) {
			page = await browser.newPage();
			await page.goto(`${origin}/notebooks/watch`);
			await page.locator('[data-cell-id="n"] [data-testid="result-grid"]').waitFor({ timeout: 60_000 });
		}
		const spec = { task: 'completion', model: `double/m${k}`, limit: Number(flags.limit), seed: 1, samples: Number(flags.samples) };
		const response = await fetch(`${origin}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ spec }) });
		if (!response.ok) throw new Error(`POST /api/runs: HTTP ${response.status} ${await response.text()}`);
		const runId = (await response.json()).plan.generationRunId;
		const manifestPath = join(project, 'runs', runId, 'manifest.json');
		for (;;) {
			await new Promise((r) => setTimeout(r, 250));
			if (!existsSync(manifestPath)) continue;
			const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
			if (manifest.finished_at) {
				await page?.close();
				return (Date.parse(manifest.finished_at) - Date.parse(manifest.started_at)) / 1000;
			}
		}
	}
	const samples = { watched: [], unwatched: [] };
	let k = 1;
	for (let i = 0; i < REPS; i++) {
		for (const watched of i % 2 ? [true, false] : [false, true]) samples[watched ? 'watched' : 'unwatched'].push(await oneRun(k++, watched));
		log(`rep ${i + 1}/${REPS}: unwatched ${samples.unwatched.at(-1).toFixed(2)} s, watched ${samples.watched.at(-1).toFixed(2)} s`);
	}
	const units = Number(flags.limit) * Number(flags.samples);
	const ideal = (units / 8) * (Number(flags.latency) / 1000);
	const rows = [
		{ metric: `run of ${units} units, 8-way, ${flags.latency} ms, no tab (s; ideal ${ideal.toFixed(1)} s)`, median: median(samples.unwatched), unit: 'x', runs: REPS, target: null, samples: samples.unwatched, note: `${median(samples.unwatched).toFixed(2)} s` },
		{ metric: '  the same with a tab following it (s)', median: median(samples.watched), unit: 'x', runs: REPS, target: null, samples: samples.watched, note: `${median(samples.watched).toFixed(2)} s` },
		{ metric: '  ratio followed / unwatched', median: median(samples.watched) / median(samples.unwatched), unit: 'x', runs: REPS, target: 1.1 }
	];
	const loadAtEnd = loadavg()[0];
	console.log(formatTable(rows));
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: compare the ratio' : ''}`);
	console.log(`results: ${writeResults(join(here, 'results'), { bench: 'watched-run', at: new Date().toISOString(), rows: rows.map((r) => ({ ...r, result: verdict(r) })), loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'watched-run')}`);
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
