// TEST DOUBLE as a standalone process (for the benchmark, demos and manual poking):
//   deno run --allow-net=127.0.0.1 --allow-env tests/support/openai-test-server-main.ts [latencyMs] [--demo]
// Prints "listening <base URL>" once ready; runs until killed. Plain, every answer is a short
// canned "answer <hash>" (what the benchmarks time). With --demo (`npm run test-double`), it
// answers like a model would, deterministically: completions and repairs with code (secure or
// not by a fixed rule), refusals now and then, detection answers in the paper's format, and the
// Vul-Evol evolution and filter prompts — so run cells, self-correction, `covw evolve` and the
// labelling view all have something to show.
import { startTestServer } from './openai-test-server.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its one use.
declare const Deno: { args: string[] };

const demo = Deno.args.includes('--demo');
const latencyMs = Number(Deno.args.find((a) => !a.startsWith('--')) ?? 0);
const server = await startTestServer(demo ? { latencyMs, answers: 'realistic', vulEvol: true } : { latencyMs });
console.log(`listening ${server.url}${demo ? ' (demo answers: code, refusals, detection, Vul-Evol)' : ''}`);
