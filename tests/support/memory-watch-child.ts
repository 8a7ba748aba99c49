// Runs one runProcess under Deno (as the CLI does) and prints the result and the watchdog's
// method as JSON: `deno run … memory-watch-child.ts <limit MB> <executable> <args…>`.
import { memoryWatchMethod } from '../../src/lib/judges/analyzers/group-memory.ts';
import { runProcess } from '../../src/lib/judges/analyzers/run-process.ts';

const [limit, executable, ...args] = Deno.args;
const result = await runProcess(executable, args, { cwd: Deno.cwd(), timeoutMs: 30_000, memoryLimitMb: Number(limit) });
console.log(JSON.stringify({ method: memoryWatchMethod(), result }));
