// Child process for the Vul-Evol kill -9 test (run under Deno): a Vul-Evol run of the fixture
// seeds against the test double at <baseURL> into <runsDir>, printing one "row" line per
// finished evolution unit so the parent knows when to kill it.
// Usage: deno run --allow-net=127.0.0.1 --allow-read --allow-write=<runsDir> --allow-env \
//          tests/support/evolve-child.ts <baseURL> <runsDir> <runId>
import { EVOLVE_STRATEGIES } from '../../src/lib/core/evolve/strategies.ts';
import { runEvolve } from '../../src/lib/runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../src/lib/runs/evolve/evolve-templates.ts';
import { loadTemplates } from '../../src/lib/node/coveval/templates.ts';
import { EVOLVE_SEEDS } from '../fixtures/evolve/seeds.ts';
import { testConfig } from './engine-fixtures.ts';

declare const Deno: { args: string[] };

const [baseURL, runsDir, runId] = Deno.args;
await runEvolve({
	runsDir,
	runId,
	config: testConfig(baseURL, { concurrency: 2 }),
	seeds: EVOLVE_SEEDS,
	strategies: EVOLVE_STRATEGIES,
	samples: 1,
	model: 'local/test-model',
	secure: 'both',
	templates: (await loadEvolveTemplates('datasets/templates')).templates,
	taskTemplates: (await loadTemplates('datasets/templates')).templates,
	onProgress: (step, p) => console.log(`${step} row ${p.done}/${p.total}`),
	onWarning: () => {}
});
console.log('finished');
