// TEST DOUBLE as a standalone process (for the benchmark and manual poking):
//   deno run --allow-net=127.0.0.1 --allow-env tests/support/openai-test-server-main.ts [latencyMs]
// Prints "listening <base URL>" once ready; runs until killed.
import { startTestServer } from './openai-test-server.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its one use.
declare const Deno: { args: string[] };

const latencyMs = Number(Deno.args[0] ?? 0);
const server = await startTestServer({ latencyMs });
console.log(`listening ${server.url}`);
