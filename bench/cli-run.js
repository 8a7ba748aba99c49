#!/usr/bin/env node
// The CLI end to end (issue 13, "a leaner CLI"): `covw run detection --samples 4` (531 items ×
// 4 = 2,124 requests) against the test double with 100 ms latency at concurrency 64, as a user
// types it (bin/covw, the sh launcher → Deno; node bin/covw.js → Deno for a tree without it), fresh runs folder and no response cache each time; wall
// time against the ideal (requests ÷ concurrency × latency), peak RSS (GNU time: the largest of
// the launcher and Deno), and `covw runs` afterwards. Needs ../shared/coveval (items imported
// once into a temporary folder with `covw data import`); skipped without it.
// With --baseline <tree> (e.g. a copy of main's tree: `git archive main | tar -x -C /tmp/old`, with
// node_modules linked in), each rep runs that tree's bin/covw.js too, alternating old and new, and
// the table prints both medians and the new/old ratio.
// Deno's CPU per stretch (start → first request, the requests, the end) is printed beside the
// wall-time phases: on a shared machine CPU time is the steadier comparison.
// Each run also reports its phases (COVW_PHASES=1, src/lib/engine/phase-marks.ts; a tree that
// predates them prints none): the launcher (spawn → Deno's start), Deno's start-up, items
// loaded, units built and the run opened, the first request, the requests (first request →
// last answer), the detection parsers, and the exit — wall ms from the spawn, and the CPU the
// whole command used (GNU time: user + system of the launcher and Deno), which a busy machine
// stretches less than wall time.
// Each rep also times the floor: the same requests from a bare Deno fetch loop against the same
// double (bench/fetch-floor-client.ts; bench/fetch-floor.js compares doubles), printed beside.
// Run: node bench/cli-run.js [--reps 3] [--samples 4] [--concurrency 64] [--latency 100] [--baseline <tree>]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const coveval = resolve(root, '../shared/coveval');
const { values: flags } = parseArgs({
	options: { reps: { type: 'string', default: '3' }, samples: { type: 'string', default: '4' }, concurrency: { type: 'string', default: '64' }, latency: { type: 'string', default: '100' }, baseline: { type: 'string' } }
});
const REPS = Number(flags.reps);
const baseline = flags.baseline ? resolve(flags.baseline) : null;
const log = (...a) => console.error('[cli-run bench]', ...a);

if (!existsSync(coveval)) {
	console.log(`cli-run bench: skipped — no ${coveval}`);
	process.exit(0);
}

const started = performance.now();
const loadAtStart = loadavg()[0];
const work = mkdtempSync(join(tmpdir(), 'covw-bench-cli-'));
let double;
let exitCode = 0;
/** One command through GNU time: wall ms, peak RSS MB, CPU ms, its output, and its phases (ms from the spawn) if it printed them. */
function timed(args, env, tree = root) {
	const t0 = performance.now();
	const spawnedAt = performance.timeOrigin + t0;
	const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...launcher(tree), ...args], { cwd: work, env: { ...process.env, ...env }, encoding: 'utf8' });
	const ms = performance.now() - t0;
	const lines = r.stderr.trim().split('\n');
	const [maxKb, user, system] = lines.at(-1).split(' ').map(Number);
	if (r.status !== 0) throw new Error(`covw ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-800)}`);
	const marks = lines.find((l) => l.startsWith('covw-phases '));
	return { ms, peakMb: maxKb / 1024, cpuMs: (user + system) * 1000, stdout: r.stdout, phases: marks ? phaseSpans(JSON.parse(marks.slice('covw-phases '.length)), spawnedAt, ms) : null };
}

/** How a user starts covw from a tree: its sh launcher (the package's bin) where it has one, else node bin/covw.js. */
function launcher(tree) {
	return existsSync(join(tree, 'bin/covw')) ? [join(tree, 'bin/covw')] : [process.execPath, join(tree, 'bin/covw.js')];
}

/** The phases of one run as spans (ms), from the marks' wall-clock times and the spawn time. */
function phaseSpans(p, spawnedAt, wallMs) {
	const at = (name, which = 'first') => (p[which][name] === undefined ? null : p[which][name] - spawnedAt);
	const span = (from, to) => (from === null || to === null ? null : to - from);
	const start = at('process');
	const items = at('items');
	const open = at('session');
	const first = at('request');
	const lastAnswer = at('answer', 'last');
	const judged = at('judged');
	return {
		'launcher (spawn → Deno starts)': start,
		'Deno start-up (→ main.ts runs)': span(start, at('main')),
		'command + items loaded': span(at('main'), items),
		'units built, run opened': span(items, open),
		'→ first request': span(open, first),
		'requests (first request → last answer)': span(first, lastAnswer),
		'end of run + parsers (→ judged)': span(lastAnswer, judged ?? at('finished')),
		'exit (→ the launcher returns)': span(judged ?? at('finished'), wallMs),
		// Deno's own CPU (user + system) over the same stretches, from the CPU clock read at each
		// phase's first mark: a busy machine stretches wall time far more than CPU time.
		'Deno CPU: start → first request': cpu(p, null, 'request'),
		'Deno CPU: requests (first request → pool done)': cpu(p, 'request', 'pool-done'),
		'Deno CPU: end of run + parsers': cpu(p, 'pool-done', p.cpuFirst?.judged === undefined ? 'finished' : 'judged')
	};
}

/** Deno's CPU ms between two phases' first marks (from its start when `from` is null); null if either is missing. */
function cpu(p, from, to) {
	const c = p.cpuFirst ?? {};
	const start = from === null ? 0 : c[from];
	return start === undefined || c[to] === undefined ? null : c[to] - start;
}
try {
	const items = join(work, 'coveval');
	timed(['data', 'import', coveval, '--out', items], {});
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
	const config = join(work, 'covw.config.json');
	writeFileSync(config, JSON.stringify({ endpoints: { double: { baseURL: url, apiKeyEnv: 'COVW_BENCH_KEY', concurrency: Number(flags.concurrency), models: { bench: {} } } } }));
	const requests = 531 * Number(flags.samples);
	const idealMs = (requests / Number(flags.concurrency)) * Number(flags.latency);
	const runs = { wall: [], peak: [], list: [], cpu: [], phases: [] };
	const old = { wall: [], peak: [], list: [], cpu: [], phases: [] };
	const once = (tree, into, i, name) => {
		const env = { COVW_BENCH_KEY: 'bench', COVW_RUNS: join(work, `runs-${name}-${i}`), COVW_CACHE: join(work, `cache-${name}-${i}`) };
		const run = timed(['run', 'detection', '--model', 'double/bench', '--samples', flags.samples, '--config', config, '--items-file', join(items, 'items.arrow'), '--no-cache'], { ...env, COVW_PHASES: '1' }, tree);
		into.wall.push(run.ms);
		into.peak.push(run.peakMb);
		into.cpu.push(run.cpuMs);
		if (run.phases) into.phases.push(run.phases);
		for (let k = 0; k < 3; k++) into.list.push(timed(['runs'], env, tree).ms);
		log(`rep ${i + 1}/${REPS} ${name}: run ${run.ms.toFixed(0)} ms (${(run.ms / idealMs).toFixed(2)}× ideal), CPU ${run.cpuMs.toFixed(0)} ms, peak ${run.peakMb.toFixed(0)} MB, covw runs ${into.list.at(-1).toFixed(0)} ms, load ${loadavg()[0].toFixed(1)}`);
		if (run.phases) log(`  phases (ms): ${Object.entries(run.phases).map(([k, v]) => `${k.replace(/ \(.*/, '')} ${v === null ? '—' : v.toFixed(0)}`).join(' | ')}`);
	};
	// The floor under the run, once per rep against the same double: the same requests from a bare
	// Deno fetch loop (bench/fetch-floor-client.ts: no openai client, no engine, no CLI). What it
	// takes beyond the ideal is the double's, the loopback's and Deno's fetch's, not covw's.
	const floor = [];
	const floorOnce = () => {
		const r = spawnSync(deno, ['run', '--allow-net=127.0.0.1', join(root, 'bench/fetch-floor-client.ts'), url, String(requests), flags.concurrency], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`bench/fetch-floor-client.ts exited ${r.status}: ${r.stderr.slice(-400)}`);
		floor.push(JSON.parse(r.stdout.trim().split('\n').at(-1)).wallMs);
		log(`  floor (bare Deno fetch): ${floor.at(-1).toFixed(0)} ms (${(floor.at(-1) / idealMs).toFixed(3)}× ideal)`);
	};
	for (let i = 0; i < REPS; i++) {
		// Alternating (old first on even reps) so both see the same machine load on average.
		if (baseline && i % 2 === 0) once(baseline, old, i, 'old');
		once(root, runs, i, 'new');
		if (baseline && i % 2 === 1) once(baseline, old, i, 'old');
		floorOnce();
	}
	const rows = [
		{ metric: `covw run detection --samples ${flags.samples} (${requests} requests, concurrency ${flags.concurrency}, ${flags.latency} ms)`, median: median(runs.wall), unit: 'ms', runs: REPS, target: null, samples: runs.wall },
		{ metric: `  ratio to the ideal ${idealMs.toFixed(0)} ms`, median: median(runs.wall) / idealMs, unit: 'x', runs: REPS, target: 1.1 },
		{ metric: '  peak RSS, MB', median: median(runs.peak), unit: 'x', runs: REPS, target: 150, note: `${median(runs.peak).toFixed(0)} MB (target ≤ 150 MB): ${median(runs.peak) <= 150 ? 'pass' : 'FAIL'}` },
		{ metric: '  CPU (user + system, launcher and Deno)', median: median(runs.cpu), unit: 'ms', runs: REPS, target: null, samples: runs.cpu },
		...phaseRows(runs.phases, old.phases),
		{ metric: '  floor: the same requests from a bare Deno fetch loop, same double', median: median(floor), unit: 'ms', runs: floor.length, target: null, samples: floor, note: `${(median(floor) / idealMs).toFixed(3)}× ideal; the run above is ${(median(runs.wall) / median(floor)).toFixed(3)}× this` },
		{ metric: 'covw runs (after the run)', median: median(runs.list), unit: 'ms', runs: runs.list.length, target: 200, samples: runs.list }
	];
	if (baseline) {
		const side = (metric, a, b, unit) => ({ metric, median: median(a), unit: unit === 'ms' ? 'ms' : 'x', runs: a.length, target: null, note: `old ${median(b).toFixed(unit === 'ms' ? 0 : 1)} ${unit} -> new ${median(a).toFixed(unit === 'ms' ? 0 : 1)} ${unit}: new/old ${(median(a) / median(b)).toFixed(2)}` });
		rows.push(
			{ metric: `baseline ${baseline} (same machine, alternating)`, median: median(old.wall) / idealMs, unit: 'x', runs: REPS, target: null, note: `old: ${(median(old.wall) / idealMs).toFixed(2)}× ideal` },
			side('  run wall, new vs old', runs.wall, old.wall, 'ms'),
			side('  peak RSS, new vs old', runs.peak, old.peak, 'MB'),
			side('  CPU, new vs old', runs.cpu, old.cpu, 'ms'),
			side('  covw runs, new vs old', runs.list, old.list, 'ms')
		);
	}
	/** One row per phase: the new tree's median, and the old tree's beside it when it printed phases. */
	function phaseRows(mine, theirs) {
		if (mine.length === 0) return [];
		return Object.keys(mine[0]).map((name) => {
			const values = mine.map((p) => p[name]).filter((v) => v !== null);
			const before = theirs.map((p) => p[name]).filter((v) => v !== null);
			return { metric: `  phase: ${name}`, median: values.length ? median(values) : null, unit: 'ms', runs: values.length, target: null, samples: values, ...(before.length ? { note: `old ${median(before).toFixed(0)} ms -> new ${median(values).toFixed(0)} ms` } : {}) };
		});
	}
	const loadAtEnd = loadavg()[0];
	console.log(formatTable(rows));
	console.log(`machine load (1-min average): ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpus().length} cores${Math.max(loadAtStart, loadAtEnd) > cpus().length ? ' — BUSY: figures are pessimistic' : ''}`);
	// Node reads and parses that whole certificate file as it starts, before bin/covw.js runs
	// (35–60 ms of CPU for a 220 KB bundle, measured here): part of the launcher phase here, not on a
	// machine without it.
	if (process.env.NODE_EXTRA_CA_CERTS) console.log(`note: NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): the launcher's Node start parses it (35–60 ms CPU of the launcher phase here)`);
	console.log(`results: ${writeResults(join(here, 'results'), { bench: 'cli-run', at: new Date().toISOString(), rows: rows.map((r) => ({ ...r, result: verdict(r) })), loadAverage: { start: loadAtStart, end: loadAtEnd }, totalSeconds: (performance.now() - started) / 1000 }, 'cli-run')}`);
} catch (error) {
	console.error('bench/cli-run.js failed:', error instanceof Error ? error.stack : error);
	exitCode = 1;
} finally {
	double?.kill();
	rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
