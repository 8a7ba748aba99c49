#!/usr/bin/env node
// Run-engine benchmark (a script, not a timed test): 2,000 requests at concurrency 64 against
// the local test double with 100 ms latency, then a fully cached re-run. Prints medians and the
// ratios to the targets.
//   node bench/engine-bench.js [iterations=5] [units=2000] [concurrency=64] [latencyMs=100]
//
// Fairness: the test double runs in its own Deno process, as a model server would, so it is
// not on the engine's event loop; but on a 2-core machine it still shares the CPU with the
// engine. So each iteration also runs the same requests through a bare `openai` client (no
// engine) in a fresh process, alternating which goes first: the client's ratio is the floor
// the engine can reach on this machine, and engine ÷ client is the engine's own overhead.
// Each run is a fresh Deno process (bench/engine-once.ts), so peak RSS is that run's alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(root, 'node_modules/deno/deno');
const [iterations = 5, units = 2000, concurrency = 64, latencyMs = 100] = process.argv.slice(2).map(Number);

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
function cpuSeconds(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
	} catch {
		return null;
	}
}

const server = spawn(deno, ['run', '--quiet', '--allow-net=127.0.0.1', '--allow-env', join(root, 'tests/support/openai-test-server-main.ts'), String(latencyMs)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const baseURL = await new Promise((res, rej) => {
	let out = '';
	server.stdout.on('data', (d) => {
		out += d;
		const m = /listening (\S+)/.exec(out);
		if (m) res(m[1]);
	});
	server.on('exit', (code) => rej(new Error(`test server exited (${code})`)));
});

function once(mode, label) {
	const work = mkdtempSync(join(tmpdir(), 'covw-bench-'));
	try {
		const serverCpu0 = cpuSeconds(server.pid);
		const r = spawnSync(
			deno,
			['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${work}`, '--allow-env', '--allow-sys',
				join(root, 'bench/engine-once.ts'), baseURL, work, String(units), String(concurrency), mode],
			{ cwd: root, encoding: 'utf8' }
		);
		if (r.status !== 0) throw new Error(`${label} (${mode}) failed:\n${r.stderr}`);
		const serverCpu1 = cpuSeconds(server.pid);
		const line = JSON.parse(r.stdout.trim().split('\n').pop());
		line.serverCpu = serverCpu0 === null || serverCpu1 === null ? null : serverCpu1 - serverCpu0;
		return line;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

const engine = [];
const client = [];
try {
	for (let i = 0; i < iterations; i++) {
		// Alternate the order so neither always runs on the warmer (or busier) side.
		const pair = i % 2 === 0 ? ['client', 'engine'] : ['engine', 'client'];
		for (const mode of pair) {
			const line = once(mode, `iteration ${i + 1}`);
			(mode === 'engine' ? engine : client).push(line);
		}
		const e = engine.at(-1);
		const c = client.at(-1);
		console.log(
			`run ${i + 1}: engine fresh ${e.fresh.wall.toFixed(2)} s (${e.fresh.requests} requests, CPU ${e.fresh.cpu.toFixed(2)} s), ` +
				`cached ${e.cached.wall.toFixed(3)} s (${e.cached.requests} requests), peak RSS ${e.peakRssMB.toFixed(0)} MB | ` +
				`bare client ${c.fresh.wall.toFixed(2)} s (CPU ${c.fresh.cpu.toFixed(2)} s)`
		);
	}
} finally {
	server.kill();
}

const ideal = (units / concurrency) * (latencyMs / 1000);
const waves = Math.ceil(units / concurrency) * (latencyMs / 1000);
const wall = median(engine.map((r) => r.fresh.wall));
const clientWall = median(client.map((r) => r.fresh.wall));
const cached = median(engine.map((r) => r.cached.wall));
const rss = median(engine.map((r) => r.peakRssMB));
const perRequestUs = (runs) => (median(runs.map((r) => r.fresh.cpu)) / units) * 1e6;
const serverCpu = engine.concat(client).map((r) => r.serverCpu).filter((x) => x !== null);
console.log(`\nengine: ${units} requests, concurrency ${concurrency}, ${latencyMs} ms latency — medians of ${engine.length} runs`);
console.log(`  wall time      ${wall.toFixed(2)} s   ideal ${ideal.toFixed(2)} s   ratio ${(wall / ideal).toFixed(3)}×  (target ≤ 1.15×)`);
console.log(`  bare client    ${clientWall.toFixed(2)} s   ratio ${(clientWall / ideal).toFixed(3)}×  (same requests, one openai client, no engine: this machine's floor)`);
console.log(`  engine ÷ client ${(wall / clientWall).toFixed(3)}×  (the engine's own overhead)`);
console.log(`  ${Math.ceil(units / concurrency)} full round trips are the least any client can do: ${waves.toFixed(2)} s, ${(waves / ideal).toFixed(3)}× of ideal`);
console.log(`  CPU per request: engine ${perRequestUs(engine).toFixed(0)} µs, bare client ${perRequestUs(client).toFixed(0)} µs` +
	(serverCpu.length ? `; test double ${((median(serverCpu) / units) * 1e6).toFixed(0)} µs (its own process, same 2 cores)` : ''));
console.log(`  peak RSS       ${rss.toFixed(0)} MB   (target ≤ 250 MB, ratio ${(rss / 250).toFixed(2)})`);
console.log(`  cached re-run  ${cached.toFixed(3)} s   (target ≤ 1 s, ratio ${cached.toFixed(2)})`);
