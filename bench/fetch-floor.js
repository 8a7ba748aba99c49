#!/usr/bin/env node
// The floor under bench/cli-run.js: the same 2,124 requests at concurrency 64 against the test
// double at 100 ms latency, sent by a bare Deno fetch loop (bench/fetch-floor-client.ts: no
// openai client, no engine, no CLI). Whatever this takes beyond the ideal (requests ÷ concurrency
// × latency) is not covw's: it is the double, the loopback and Deno's fetch. Prints the wall time,
// its ratio to the ideal, the slip per 100 ms round (wall − rounds × latency, ÷ rounds, with
// rounds = ⌈requests ÷ concurrency⌉), and each request's round trip beyond the latency (median,
// p90, max).
// With --baseline <tree>, each rep also runs that tree's test double (alternating, same client),
// so a change to the double is measured side by side.
// Run: node bench/fetch-floor.js [--reps 5] [--requests 2124] [--concurrency 64] [--latency 100] [--baseline <tree>]
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/stats.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(root, 'node_modules/deno/deno');
const { values: flags } = parseArgs({
	options: { reps: { type: 'string', default: '5' }, requests: { type: 'string', default: '2124' }, concurrency: { type: 'string', default: '64' }, latency: { type: 'string', default: '100' }, baseline: { type: 'string' } }
});
const REPS = Number(flags.reps);
const requests = Number(flags.requests);
const concurrency = Number(flags.concurrency);
const latency = Number(flags.latency);
const idealMs = (requests / concurrency) * latency;
const rounds = Math.ceil(requests / concurrency);

/** Starts a tree's test double; resolves its base URL and process. */
function startDouble(tree) {
	const child = spawn(deno, ['run', '--allow-net=127.0.0.1', '--allow-env', join(tree, 'tests/support/openai-test-server-main.ts'), String(latency)], { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((ok, fail) => {
		let text = '';
		child.stdout.on('data', (d) => {
			text += d;
			const m = /listening (\S+)/.exec(text);
			if (m) ok({ url: m[1], child });
		});
		child.once('exit', () => fail(new Error(`the test double of ${tree} exited`)));
	});
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function once(tree) {
	const { url, child } = await startDouble(tree);
	try {
		const r = spawnSync(deno, ['run', '--allow-net=127.0.0.1', join(root, 'bench/fetch-floor-client.ts'), url, String(requests), String(concurrency)], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`fetch-floor-client exited ${r.status}: ${r.stderr.slice(-600)}`);
		const { wallMs, cpuMs, trips } = JSON.parse(r.stdout.trim().split('\n').at(-1));
		const over = trips.map((t) => t - latency);
		return { wallMs, cpuMs, slipPerRound: (wallMs - rounds * latency) / rounds, over50: median(over), over90: pct(over, 0.9), overMax: Math.max(...over) };
	} finally {
		child.kill();
	}
}

const load0 = loadavg()[0];
const mine = [];
const theirs = [];
for (let i = 0; i < REPS; i++) {
	if (flags.baseline && i % 2 === 0) theirs.push(await once(resolve(flags.baseline)));
	mine.push(await once(root));
	if (flags.baseline && i % 2 === 1) theirs.push(await once(resolve(flags.baseline)));
	console.error(`[fetch-floor] rep ${i + 1}/${REPS}: this double ${mine.at(-1).wallMs.toFixed(0)} ms${flags.baseline ? `, baseline double ${theirs.at(-1).wallMs.toFixed(0)} ms` : ''}, load ${loadavg()[0].toFixed(1)}`);
}
const row = (name, xs) => {
	const m = (k) => median(xs.map((x) => x[k]));
	return `${name.padEnd(16)} wall ${m('wallMs').toFixed(0)} ms = ${(m('wallMs') / idealMs).toFixed(3)}× ideal ${idealMs.toFixed(0)} (lower bound ${rounds} rounds = ${rounds * latency} ms) | slip/round ${m('slipPerRound').toFixed(2)} ms | trip − latency p50 ${m('over50').toFixed(2)} p90 ${m('over90').toFixed(2)} max ${m('overMax').toFixed(1)} ms | client CPU ${m('cpuMs').toFixed(0)} ms`;
};
console.log(`bare Deno fetch, ${requests} requests, concurrency ${concurrency}, latency ${latency} ms, medians of ${REPS}`);
console.log(row('this double', mine));
if (flags.baseline) console.log(row('baseline double', theirs));
console.log(`machine load (1-min average): ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`);
