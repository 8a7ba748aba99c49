// Child process for the kill -9 test (run under Deno): runs `count` test units against the
// test double at COVW_TEST_URL into <runsDir>/<runId>, printing one "row" line per finished
// unit so the parent knows when to kill it.
// Usage: deno run --allow-net=127.0.0.1 --allow-read --allow-write=<runsDir> --allow-env \
//          tests/support/engine-child.ts <baseURL> <runsDir> <runId> <count>
import { runUnits } from '../../src/lib/engine/run-units.ts';
import { testConfig, testUnits } from './engine-fixtures.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its one use.
declare const Deno: { args: string[] };

const [baseURL, runsDir, runId, count] = Deno.args;
const units = testUnits(Number(count));
await runUnits({
	runId,
	runsDir,
	config: testConfig(baseURL, { concurrency: 4 }),
	units,
	params: { test: 'kill' },
	onProgress: (p) => console.log(`row ${p.done}/${p.total}`)
});
console.log('finished');
