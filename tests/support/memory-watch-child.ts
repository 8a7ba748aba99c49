// Runs one runProcess under Deno (as the CLI does) and prints the result and the watchdog's
// method as JSON: `deno run … memory-watch-child.ts <limit MB> <timeout ms> <executable> <args…>`.
import { memoryWatchMethod } from '../../src/lib/judges/analyzers/group-memory.ts';
import { runProcess } from '../../src/lib/judges/analyzers/run-process.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its use.
declare const Deno: { args: string[]; cwd(): string };

const [limit, timeout, executable, ...args] = Deno.args;
const result = await runProcess(executable, args, { cwd: Deno.cwd(), timeoutMs: Number(timeout), memoryLimitMb: Number(limit) });
console.log(JSON.stringify({ method: memoryWatchMethod(), result }));
