// One benchmark iteration (run under Deno by bench/engine-bench.js, one fresh process each):
// `units` requests at `concurrency` against the test double at <baseURL>. Prints one JSON line.
//
// Modes, so a reader can tell the engine's own overhead from the transport's:
//   engine  the run engine (scheduler, cache, log, compaction), then the same run again from
//           the cache: wall times, requests sent, peak RSS.
//   client  the baseline: the same requests through one bare `openai` client (the same client
//           options and unit headers the engine sends) from a pool of `concurrency` workers;
//           no engine. The engine cannot beat this on the same machine.
//   fetch   the same with bare fetch(): what the client library itself costs.
// Each reports its process's CPU time too: unlike wall time, it barely moves when other work
// shares the machine, so it shows per-request overhead even on a busy box.
import process from 'node:process';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseEngineConfig } from '../src/lib/engine/config.ts';
import { unitId } from '../src/lib/engine/canonical-json.ts';
import { SAMPLE_HEADER, UNIT_HEADER } from '../src/lib/engine/chat-client.ts';
import { ResponseCache } from '../src/lib/engine/response-cache.ts';
import { runUnits } from '../src/lib/engine/run-units.ts';
import type { WorkUnit } from '../src/lib/engine/types.ts';

const [baseURL, workDir, unitsArg, concurrencyArg, modeArg = 'engine'] = Deno.args;
const count = Number(unitsArg);
const concurrency = Number(concurrencyArg);
const mode = modeArg as 'engine' | 'client' | 'fetch';
if (!['engine', 'client', 'fetch'].includes(mode)) throw new Error(`mode must be engine, client or fetch (got "${modeArg}")`);
const TIMEOUT_MS = 30_000;

const units: WorkUnit[] = Array.from({ length: count }, (_, i) => ({
	id: unitId({ bench: 'engine', item: i }),
	endpoint: 'bench',
	request: {
		model: 'bench-model',
		messages: [{ role: 'user', content: `Benchmark prompt number ${i}: write a function that returns ${i}.` }],
		temperature: 0.6,
		top_p: 0.9,
		max_tokens: 64
	},
	sample: 0,
	meta: { item_id: `bench-${i}` }
}));

/** CPU seconds (user + system) this process used while `f` ran, and its wall time. */
async function measured<T>(f: () => Promise<T>): Promise<T & { wall: number; cpu: number }> {
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const out = await f();
	const wall = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	return { ...out, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function engine() {
	const config = parseEngineConfig(
		JSON.stringify({ endpoints: { bench: { baseURL, concurrency, timeoutMs: TIMEOUT_MS, models: { 'bench-model': {} } } } }),
		'bench.config.json',
		{}
	);
	const cache = new ResponseCache(join(workDir, 'cache'));
	const runsDir = join(workDir, 'runs');
	const run = (runId: string) =>
		measured(async () => {
			const result = await runUnits({ runId, runsDir, config, units, cache, onWarning: () => {} });
			if (result.manifest.counts.ok !== count) throw new Error(`${runId}: ${JSON.stringify(result.manifest.counts)}`);
			return { requests: result.requests, cached: result.manifest.counts.cached };
		});
	const fresh = await run('fresh');
	const cached = await run('cached');
	return { fresh, cached };
}

/** `concurrency` workers pulling the same units from one queue, as the engine's pool does. */
async function pool(send: (unit: WorkUnit) => Promise<void>) {
	let next = 0;
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
		while (next < count) await send(units[next++]);
	}));
	return { requests: count, cached: 0 };
}

async function bareClient() {
	const client = new OpenAI({ baseURL, apiKey: 'no-key', maxRetries: 0, timeout: TIMEOUT_MS });
	const fresh = await measured(() =>
		pool(async (unit) => {
			const answer = await client.chat.completions.create({ ...unit.request, stream: false } as never, {
				headers: { [UNIT_HEADER]: unit.id, [SAMPLE_HEADER]: String(unit.sample) },
				maxRetries: 0
			});
			if (!answer.choices?.[0]?.message) throw new Error(`${unit.id}: no answer`);
		})
	);
	return { fresh };
}

async function bareFetch() {
	const url = `${baseURL.replace(/\/+$/, '')}/chat/completions`;
	const fresh = await measured(() =>
		pool(async (unit) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: 'Bearer no-key', [UNIT_HEADER]: unit.id, [SAMPLE_HEADER]: String(unit.sample) },
				body: JSON.stringify({ ...unit.request, stream: false })
			});
			const answer = await response.json();
			if (!response.ok || !answer.choices?.[0]?.message) throw new Error(`${unit.id}: HTTP ${response.status}`);
		})
	);
	return { fresh };
}

const result = mode === 'engine' ? await engine() : mode === 'client' ? await bareClient() : await bareFetch();
// getrusage's maximum resident set: the true peak, which a sampling timer could miss.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, ...result, peakRssMB }));
