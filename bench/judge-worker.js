#!/usr/bin/env node
// A page-started rule-judge run on hostile programs, computed in the server's process (before:
// runs/direct-run.ts writeDirectRunSliced, turns between the judge's passes) and in a worker
// thread (after: server/runs/judge-worker.ts), side by side: while the run judges, a trivial HTTP
// request is sent every 20 ms from another thread to a server on this process's event loop, and
// its wait (request sent → answer in) is recorded. Prints p50 / p90 / max of the waits and the
// run's wall time per mode (modes alternate per rep, so both see the same machine load), then the
// worker's start-up: from `new Worker` to its judge loaded (tree-sitter WASM) and units built —
// from the built server's chunk (needs `npm run build`) and from the sources (vite dev, vitest:
// the types are stripped as it loads).
// The worker runs the built chunk when there is a build (as the built server does).
// The TypeScript modules are loaded through the judge worker's own dev hooks (judge-worker-ts-hooks.mjs).
// Run: node bench/judge-worker.js [--reps 2] [--programs 3] [--lines 8000] [--startups 5]
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { register } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: flags } = parseArgs({
	options: { reps: { type: 'string', default: '2' }, programs: { type: 'string', default: '3' }, lines: { type: 'string', default: '8000' }, startups: { type: 'string', default: '5' } }
});
const REPS = Number(flags.reps);
const PROGRAMS = Number(flags.programs);
const LINES = Number(flags.lines);
const STARTUPS = Number(flags.startups);

register(pathToFileURL(join(root, 'src/lib/server/runs/judge-worker-ts-hooks.mjs')));
const { runJudge } = await import(pathToFileURL(join(root, 'src/lib/runs/judge-run.ts')).href);
const { judgeWorkerComputer } = await import(pathToFileURL(join(root, 'src/lib/server/runs/judge-worker.ts')).href);
const { hostileC } = await import(pathToFileURL(join(root, 'tests/support/hostile-programs.ts')).href);

const CWES = ['CWE-416', 'CWE-476', 'CWE-125', 'CWE-787'];
const items = [
	{ item_id: 'own/small', task: 'reference', set: 'pearce', cwe: 'CWE-787', language: 'c', code: 'int f(char *p) { char b[4]; b[2] = p[0]; return b[0]; }\n', scenario: 'x', label: null, label_class: null, source: 'bench' },
	...Array.from({ length: PROGRAMS }, (_, i) => ({
		item_id: `own/hostile${i}`, task: 'reference', set: 'pearce', cwe: CWES[i % CWES.length], language: 'c', code: hostileC(LINES + i), scenario: 'x', label: null, label_class: null, source: 'bench'
	}))
];

// The trivial request: answered on this thread's event loop, as the workbench answers its API.
const server = createServer((_req, res) => res.end('ok'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

/** A thread that asks every 20 ms and records each wait; stop() returns the waits (ms). */
function prober() {
	const code = `
		const { parentPort, workerData } = require('node:worker_threads');
		const http = require('node:http');
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const waits = []; let on = true;
		parentPort.on('message', () => { on = false; });
		const ask = () => {
			if (!on) return parentPort.postMessage(waits);
			const t0 = performance.now();
			http.get({ host: '127.0.0.1', port: workerData.port, path: '/', agent }, (res) => {
				res.resume();
				res.on('end', () => { waits.push(performance.now() - t0); setTimeout(ask, 20); });
			}).on('error', (e) => { waits.push(NaN); setTimeout(ask, 20); });
		};
		ask();`;
	const w = new Worker(code, { eval: true, workerData: { port } });
	return { stop: () => new Promise((r) => (w.once('message', (waits) => (void w.terminate(), r(waits))), w.postMessage('stop'))) };
}

const pct = (xs, p) => {
	const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

const chunks = join(root, 'build/server/chunks/chunks');
const built = existsSync(chunks) ? readdirSync(chunks).find((f) => /^judge-worker-entry.*\.js$/.test(f)) : undefined;
const builtEntry = built ? pathToFileURL(join(chunks, built)).href : undefined;
if (!built) console.log('no build (npm run build): the worker runs from the sources, its start-up (types stripped as it loads) counted in its run');

const results = { 'in process (before)': { waits: [], wall: [] }, 'worker thread (after)': { waits: [], wall: [] } };
for (let rep = 0; rep < REPS; rep++) {
	const order = rep % 2 ? ['worker thread (after)', 'in process (before)'] : ['in process (before)', 'worker thread (after)'];
	for (const mode of order) {
		const dir = mkdtempSync(join(tmpdir(), 'covw-judge-worker-bench-'));
		try {
			const probe = prober();
			await new Promise((r) => setTimeout(r, 100));
			const t0 = performance.now();
			const out = await runJudge({
				runsDir: dir, judge: 'rules', itemSet: 'pearce', items, timeLimitMs: 60_000, onWarning: () => {},
				...(mode.startsWith('worker') ? { directComputer: judgeWorkerComputer({ entry: builtEntry }) } : {})
			});
			const wall = performance.now() - t0;
			const waits = await probe.stop();
			if (out.manifest.state !== 'completed') throw new Error(`${mode}: run ${out.manifest.state}`);
			results[mode].waits.push(...waits);
			results[mode].wall.push(wall);
			console.log(`rep ${rep + 1} ${mode.padEnd(22)} run ${(wall / 1000).toFixed(1)} s, ${waits.length} requests, max wait ${Math.max(...waits).toFixed(0)} ms (load ${loadavg()[0].toFixed(1)})`);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
}
server.close();

console.log(`\nA trivial request's wait during a rule-judge run of ${items.length} programs (${PROGRAMS} hostile, ${LINES}+ lines of C), ${REPS} rep(s) per mode:`);
const modes = Object.keys(results);
const cell = (v) => (Number.isNaN(v) ? '—' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const rows = [
	['requests', ...modes.map((m) => String(results[m].waits.length))],
	['wait p50', ...modes.map((m) => cell(pct(results[m].waits, 50)))],
	['wait p90', ...modes.map((m) => cell(pct(results[m].waits, 90)))],
	['wait max', ...modes.map((m) => cell(Math.max(...results[m].waits)))],
	['run wall (median)', ...modes.map((m) => `${(pct(results[m].wall, 50) / 1000).toFixed(1)} s`)]
];
const widths = [0, 1, 2].map((i) => Math.max(...[['', ...modes], ...rows].map((r) => r[i].length)));
for (const r of [['', ...modes], ...rows]) console.log(r.map((v, i) => (i ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('   '));

// The worker's start-up, built and from the sources.
async function startup(entry, withHooks) {
	const data = { covwJudgeWorker: 1, judge: 'rules', targets: [], sourceRunId: null };
	const t0 = performance.now();
	const w = withHooks
		? new Worker(new URL('./judge-worker-dev.mjs', entry), { workerData: { ...data, entry } })
		: new Worker(new URL(entry), { workerData: data });
	const ready = await new Promise((res, rej) => {
		w.once('message', res);
		w.once('error', rej);
	});
	const ms = performance.now() - t0;
	await w.terminate();
	return { ms, loadMs: ready.loadMs };
}
console.log('\nThe worker\'s start-up (new Worker → judge and its tree-sitter WASM loaded), median of', STARTUPS);
if (built) {
	const runs = [];
	for (let i = 0; i < STARTUPS; i++) runs.push(await startup(pathToFileURL(join(chunks, built)).href, false));
	console.log(`  built (build/server/chunks/chunks/${built}): ${pct(runs.map((r) => r.ms), 50).toFixed(0)} ms (of which in the worker, loading the judge: ${pct(runs.map((r) => r.loadMs), 50).toFixed(0)} ms)`);
} else console.log('  built: no build (npm run build) — skipped');
const dev = await startup(pathToFileURL(join(root, 'src/lib/server/runs/judge-worker-entry.ts')).href, true);
console.log(`  from the sources (types stripped as it loads; vite dev, vitest), once: ${dev.ms.toFixed(0)} ms`);
