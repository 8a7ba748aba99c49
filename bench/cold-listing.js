#!/usr/bin/env node
// The first GET /api/tables after a start on a runs folder of logs only (older runs, direct
// runs: the server reads every log and compacts every run once), at the scale of a full
// replication (bench/replication-data.ts, 180 runs, ~88 MB of logs), each rep on a fresh copy:
//   listing   — the first GET /api/tables, wall;
//   stall     — the longest wait of a trivial request (/favicon.svg every 20 ms) meanwhile;
//   loopMax   — the longest event-loop delay inside the server (bench/lib/server-probe.js);
//   busyMax   — the most server CPU between two ticks of a 5 ms timer (its own work, not the
//               machine's scheduling; all its threads: GC helpers and file writes included);
//   mainBusy  — the same, the main thread (the event loop) alone: the longest piece of work
//               that held the loop, whatever the machine's load;
//   cpu       — the server's CPU over the listing.
// With --profile <dir>: each server writes a V8 CPU profile there, and the longest stretches
// of samples without an idle one are printed with the functions they spent their time in —
// where to look next.
// With --roots a,b: the same reps against each checkout's build (e.g. a copy of main built
// beside this one), taken in turns, medians side by side — a before/after in one run.
// Measured 2026-11-29 (load 8–11 on 2 cores; --reps 7 --roots <main's build>,<wave 9's build>), medians, ms:
//   listing 6067 → 4356; longest trivial request 264 → 117 (an idle server meanwhile: 45 / 44);
//   event-loop delay 176 → 89; main thread's longest busy stretch 31 → 13; server CPU 2355 → 2222.
// Run: node bench/cold-listing.js [--models 20] [--reps 5] [--roots dir,dir] [--profile dir]   (needs `npm run build`)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './lib/free-port.js';
import { median } from './lib/stats.js';
import { probeAsker } from './lib/probe-ask.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const { values: flags } = parseArgs({
	options: {
		models: { type: 'string', default: '20' },
		reps: { type: 'string', default: '5' },
		profile: { type: 'string' },
		roots: { type: 'string' }
	}
});
const REPS = Number(flags.reps);
const ROOTS = flags.roots ? flags.roots.split(',').map((r) => resolve(r)) : [root];
const log = (...a) => console.error('[cold-listing bench]', ...a);
for (const r of ROOTS) {
	if (!existsSync(join(r, 'build/index.js'))) {
		console.log(`cold-listing bench: skipped — no build in ${r} (run \`npm run build\` there first)`);
		process.exit(0);
	}
}

const work = mkdtempSync(join(tmpdir(), 'covw-bench-cold-listing-'));
const runsDir = join(work, 'runs');
const loadAtStart = loadavg()[0];

/** The server with the probe and an IPC channel to ask it; `profileDir`: a CPU profile there at exit. */
async function startApp(appRoot, runs, profileDir) {
	const port = await freePort();
	const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500'] : [];
	const child = spawn(process.execPath, [...profile, '--import', join(here, 'lib/server-probe.js'), join(appRoot, 'bin/start.js')], {
		cwd: appRoot,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: appRoot, COVW_RUNS: runs, COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	const origin = `http://127.0.0.1:${port}`;
	const ask = probeAsker(child);
	for (let i = 0; ; i++) {
		try {
			await fetch(`${origin}/favicon.svg`).then((r) => r.arrayBuffer());
			break;
		} catch {
			if (i > 200) throw new Error('the app did not start');
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	const exited = new Promise((ok) => child.once('exit', ok));
	return { origin, ask, stop: async () => (child.kill('SIGINT'), await exited) };
}

/** A server that does nothing but answer, in its own process: what the machine alone makes a request wait. */
async function startIdleServer() {
	const port = await freePort();
	const idle = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
	const origin = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		try {
			await fetch(origin).then((r) => r.arrayBuffer());
			break;
		} catch {
			if (i > 100) throw new Error('the idle server did not start');
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	return { origin, stop: () => idle.kill() };
}

/** Trivial requests every 20 ms until stopped; their waits (ms). */
function probeStalls(origin, path = 'favicon.svg') {
	const waits = [];
	let on = true;
	const done = (async () => {
		while (on) {
			const t0 = performance.now();
			await fetch(`${origin}/${path}`).then((r) => r.arrayBuffer());
			waits.push(performance.now() - t0);
			await new Promise((r) => setTimeout(r, 20));
		}
	})();
	return async () => ((on = false), await done, waits);
}

/**
 * The longest stretches of consecutive non-idle samples in a V8 CPU profile (a stretch may span
 * several slices: the loop passing between them is not always sampled as idle), each with the
 * functions (self time) and the innermost frames of the app's code it spent most in.
 */
function longestTasks(profilePath, top = 5) {
	const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const idle = new Set(profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).map((n) => n.id));
	const ours = (id) => {
		// the innermost frame in the app's own code (the build's server chunks), for attribution
		for (let at = id; at !== undefined; at = parent.get(at)) {
			const f = byId.get(at).callFrame;
			if (f.url.includes('/build/server/') && f.functionName) return `${f.functionName} (${f.url.split('/build/server/')[1]}:${f.lineNumber + 1})`;
		}
		return '(outside the app)';
	};
	const runs = [];
	let run = null;
	for (let i = 0; i < profile.samples.length; i++) {
		const id = profile.samples[i];
		const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		if (idle.has(id)) {
			if (run) runs.push(run);
			run = null;
			continue;
		}
		run ??= { ms: 0, self: new Map(), ours: new Map() };
		run.ms += dt;
		const name = byId.get(id).callFrame.functionName || '(anonymous)';
		run.self.set(name, (run.self.get(name) ?? 0) + dt);
		const o = ours(id);
		run.ours.set(o, (run.ours.get(o) ?? 0) + dt);
	}
	if (run) runs.push(run);
	const fmt = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ');
	return runs.sort((a, b) => b.ms - a.ms).slice(0, top).map((r) => `${r.ms.toFixed(1)} ms — self: ${fmt(r.self)} — app frames: ${fmt(r.ours)}`);
}

try {
	log(`writing the ${flags.models}-model replication to ${runsDir}`);
	const generated = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${work}`, '--allow-env', join(here, 'replication-data.ts'), runsDir, '--models', flags.models], { cwd: root, encoding: 'utf8' });
	if (generated.status !== 0) throw new Error(`replication-data.ts failed: ${generated.stderr}`);
	const scale = JSON.parse(generated.stdout.trim().split('\n').at(-1));
	const logBytes = readdirSync(runsDir).reduce((n, id) => n + readFileSync(join(runsDir, id, 'log.jsonl')).length, 0);
	const results = ROOTS.map(() => ({ listing: [], again: [], stall: [], idleStall: [], loopMax: [], busyMax: [], mainBusy: [], cpu: [] }));
	const idle = await startIdleServer();
	for (let rep = 0; rep < REPS; rep++) {
		for (const [k, appRoot] of ROOTS.entries()) {
			const r = results[k];
			const logsOnly = join(work, `logs-only-${rep}-${k}`);
			cpSync(runsDir, logsOnly, { recursive: true, filter: (src) => !src.endsWith('.arrow') });
			const profileDir = flags.profile ? resolve(flags.profile, `rep-${rep}-${k}`) : undefined;
			if (profileDir) mkdirSync(profileDir, { recursive: true });
			const app = await startApp(appRoot, logsOnly, profileDir);
			try {
				await new Promise((ok) => setTimeout(ok, 300)); // the start's own work settled
				await app.ask('probe:reset');
				const stopProbe = probeStalls(app.origin);
				const stopIdleProbe = probeStalls(idle.origin, '');
				const t0 = performance.now();
				const first = await fetch(`${app.origin}/api/tables`);
				if (!first.ok) throw new Error(`/api/tables: HTTP ${first.status}`);
				await first.arrayBuffer();
				r.listing.push(performance.now() - t0);
				const waits = await stopProbe();
				r.idleStall.push(Math.max(...(await stopIdleProbe())));
				const probe = await app.ask('probe:read');
				r.stall.push(Math.max(...waits));
				r.loopMax.push(probe.stallMaxMs);
				r.busyMax.push(probe.busyMaxMs);
				r.mainBusy.push(probe.mainBusyMaxMs ?? NaN);
				r.cpu.push(probe.cpuMs);
				const t1 = performance.now();
				await fetch(`${app.origin}/api/tables`).then((res) => res.arrayBuffer());
				r.again.push(performance.now() - t1);
				log(`rep ${rep + 1}, ${appRoot}: listing ${r.listing.at(-1).toFixed(0)} ms, stall ${r.stall.at(-1).toFixed(1)} ms (${waits.length} probes), loop max ${probe.stallMaxMs.toFixed(1)} ms, busy max ${probe.busyMaxMs.toFixed(1)} ms (main thread ${probe.mainBusyMaxMs?.toFixed(1)}) at ${probe.busyAtMs.toFixed(0)} ms, cpu ${probe.cpuMs.toFixed(0)} ms`);
			} finally {
				await app.stop();
				rmSync(logsOnly, { recursive: true, force: true });
			}
			if (profileDir) {
				const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
				if (file) for (const line of longestTasks(join(profileDir, file))) console.log(`  rep ${rep + 1} busy stretch: ${line}`);
			}
		}
	}
	const fmt = (xs) => `${median(xs).toFixed(1)} (${xs.map((x) => x.toFixed(0)).join(' ')})`.padEnd(46);
	console.log(`\nFirst GET /api/tables on logs only — ${scale.runs} runs, ${(logBytes / 1e6).toFixed(0)} MB of logs, ${cpus().length} cores; medians of ${REPS} (each rep), ms`);
	console.log(`${''.padEnd(38)}${ROOTS.map((r) => r.padEnd(46)).join('')}`);
	const line = (label, key, note = '') => console.log(`${label.padEnd(38)}${results.map((r) => fmt(r[key])).join('')}${note}`);
	line('listing', 'listing');
	line('then the next listing', 'again', 'target ≤ 50');
	line('longest trivial request meanwhile', 'stall', 'target ≤ 50, aim ≤ 20');
	line('  the same probe of an idle server', 'idleStall', '(the machine alone)');
	line('longest event-loop delay (server)', 'loopMax');
	line('most server CPU between 5 ms ticks', 'busyMax');
	line('  main thread alone (the event loop)', 'mainBusy', 'aim ≤ 20');
	line('server CPU over the listing', 'cpu');
	idle.stop();
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end, on ${cpus().length} cores`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
