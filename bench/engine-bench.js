#!/usr/bin/env node
// Run-engine benchmark (a script, not a timed test): 2,000 requests at concurrency 64 against
// the local test double with 100 ms latency, then a fully cached re-run. Each iteration runs
// in a fresh Deno process (bench/engine-once.ts) so peak RSS is the engine's alone; the test
// server runs in its own process. Prints medians of the iterations and the ratios to targets.
//   node bench/engine-bench.js [iterations=5] [units=2000] [concurrency=64] [latencyMs=100]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

const results = [];
try {
	for (let i = 0; i < iterations; i++) {
		const work = mkdtempSync(join(tmpdir(), 'covw-bench-'));
		try {
			const r = spawnSync(
				deno,
				['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${work}`, '--allow-env', '--allow-sys',
					join(root, 'bench/engine-once.ts'), baseURL, work, String(units), String(concurrency)],
				{ cwd: root, encoding: 'utf8' }
			);
			if (r.status !== 0) throw new Error(`iteration ${i + 1} failed:\n${r.stderr}`);
			const line = JSON.parse(r.stdout.trim().split('\n').pop());
			results.push(line);
			console.log(`run ${i + 1}: fresh ${line.fresh.wall.toFixed(2)} s (${line.fresh.requests} requests), cached ${line.cached.wall.toFixed(3)} s (${line.cached.requests} requests), peak RSS ${line.peakRssMB.toFixed(0)} MB`);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}
} finally {
	server.kill();
}

const ideal = (units / concurrency) * (latencyMs / 1000);
const wall = median(results.map((r) => r.fresh.wall));
const cached = median(results.map((r) => r.cached.wall));
const rss = median(results.map((r) => r.peakRssMB));
console.log(`\nengine: ${units} requests, concurrency ${concurrency}, ${latencyMs} ms latency — medians of ${results.length} runs`);
console.log(`  wall time      ${wall.toFixed(2)} s   ideal ${ideal.toFixed(2)} s   ratio ${(wall / ideal).toFixed(3)}×  (target ≤ 1.15×)`);
console.log(`  peak RSS       ${rss.toFixed(0)} MB   (target ≤ 250 MB, ratio ${(rss / 250).toFixed(2)})`);
console.log(`  cached re-run  ${cached.toFixed(3)} s   (target ≤ 1 s, ratio ${cached.toFixed(2)})`);
