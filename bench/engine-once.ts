// One benchmark iteration of the run engine (run under Deno by bench/engine-bench.js):
// `units` requests at `concurrency` against the test double at <baseURL>, then the same run
// again from the cache. Prints one JSON line: wall times, requests sent, peak RSS.
import { join } from 'node:path';
import { parseEngineConfig } from '../src/lib/engine/config.ts';
import { unitId } from '../src/lib/engine/canonical-json.ts';
import { ResponseCache } from '../src/lib/engine/response-cache.ts';
import { runUnits } from '../src/lib/engine/run-units.ts';
import type { WorkUnit } from '../src/lib/engine/types.ts';

const [baseURL, workDir, unitsArg, concurrencyArg] = Deno.args;
const count = Number(unitsArg);
const concurrency = Number(concurrencyArg);

let peakRss = Deno.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss)), 10);

const config = parseEngineConfig(
	JSON.stringify({ endpoints: { bench: { baseURL, concurrency, timeoutMs: 30_000, models: { 'bench-model': {} } } } }),
	'bench.config.json',
	{}
);
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
const cache = new ResponseCache(join(workDir, 'cache'));
const runsDir = join(workDir, 'runs');

async function timed(runId: string) {
	const t0 = performance.now();
	const result = await runUnits({ runId, runsDir, config, units, cache, onWarning: () => {} });
	const wall = (performance.now() - t0) / 1000;
	if (result.manifest.counts.ok !== count) throw new Error(`${runId}: ${JSON.stringify(result.manifest.counts)}`);
	return { wall, requests: result.requests, cached: result.manifest.counts.cached };
}

const fresh = await timed('fresh');
const again = await timed('cached');
clearInterval(sampler);
peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
console.log(JSON.stringify({ fresh, cached: again, peakRssMB: peakRss / 2 ** 20 }));
