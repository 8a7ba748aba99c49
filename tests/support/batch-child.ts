// Child process for the batch kill test (run under Deno): a batch run of `count` test units
// against the test double at <baseURL>, printing "polling <batch id>" after each poll so the
// parent can kill it while it waits for the batch.
// Usage: deno run --allow-net=127.0.0.1 --allow-read --allow-write=<runsDir> --allow-env \
//          tests/support/batch-child.ts <baseURL> <runsDir> <runId> <count>
import { runBatchUnits } from '../../src/lib/engine/batch/batch-run.ts';
import { testConfig, testUnits } from './engine-fixtures.ts';

// Run by Deno (see the header); typed here so the Node-side type check knows its one use.
declare const Deno: { args: string[] };

const [baseURL, runsDir, runId, count] = Deno.args;
await runBatchUnits({
	runId,
	runsDir,
	config: testConfig(baseURL),
	units: testUnits(Number(count)),
	params: { test: 'batch-kill', batch: true },
	poll: { firstMs: 200, maxMs: 200 },
	onBatch: (r, phase) => console.log(`${phase} ${r.batch_id}`)
});
console.log('finished');
