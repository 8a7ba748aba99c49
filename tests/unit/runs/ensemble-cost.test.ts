// What an ensemble judge over several priced LLM models cost: it calls no model itself, so its
// cost is its member runs' rows, each priced by the model that answered it at that model's
// recorded price — and "—" with the reason when one member's price is unknown. Against the local
// TEST DOUBLE (tests/support/openai-test-server.ts, not a model), on our own fixture items.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { overviewOf, rowTokens } from '../../../src/lib/runs/run-overview.ts';
import type { CostPart } from '../../../src/lib/runs/run-cost.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { runsListCommand, runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { fakeContext } from '../cli/fake-context.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, ANSWER_RULES } from './fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let templates: Awaited<ReturnType<typeof loadTemplates>>;
beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-ensemble-cost-');
	templates = await loadTemplates(resolve(__dirname, '../../../datasets/templates'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});
const quiet = () => {};

/** Two endpoints on the double: m1 at $2/$8, m2 at $10/$30 per 1M tokens, `free` with no price. */
const config = () =>
	parseEngineConfig(
		JSON.stringify({
			endpoints: {
				a: { baseURL: server.url, concurrency: 4, models: { m1: { prices: { inputPer1M: 2, outputPer1M: 8 } } } },
				b: { baseURL: server.url, concurrency: 4, models: { m2: { prices: { inputPer1M: 10, outputPer1M: 30 } }, free: {} } }
			}
		}),
		'ensemble-cost.covw.config.json',
		{}
	);

describe('an ensemble judge over priced LLM models', () => {
	it('costs the sum of its members\' rows at each member model\'s price; "—" with the reason when one has none', async () => {
		const runsDir = join(work.path, 'runs');
		const gen = await runGeneration({ runsDir, config: config(), items: ALL_ITEMS, task: 'completion', model: 'a/m1', templates: templates.templates, cache: null, onWarning: quiet });
		const judge = (spec: string) => runJudge({ runsDir, judge: spec, template: 'zeroshot', sourceRunId: gen.runId, templates: templates.templates, config: config(), onWarning: quiet });
		const members = (runId: string) => {
			const run = readRun(runsDir, runId, quiet);
			return run ? ({ manifest: run.manifest, rowTokens: rowTokens(run) } satisfies CostPart) : null;
		};

		const both = await judge('ensemble:any:a/m1+b/m2');
		const [m1, m2] = both.members!.map((m) => readRun(runsDir, m.runId, quiet)!);
		const t1 = rowTokens(m1);
		const t2 = rowTokens(m2);
		expect(t1.in).toBeGreaterThan(0);
		expect(t2.in).toBeGreaterThan(0);
		const expected = (t1.in * 2 + t1.out * 8 + t2.in * 10 + t2.out * 30) / 1e6;
		const ensemble = readRun(runsDir, both.runId, quiet)!;
		// The ensemble's own rows have no tokens: its manifest knows no cost.
		expect(ensemble.manifest.cost_usd).toBeNull();
		const line = overviewOf(ensemble, false, Date.now(), false, members);
		expect(line.cost_usd).toBeCloseTo(expected, 10);
		expect(line.cost_why).toBeNull();
		// Not one member's price for every row: m2 costs 5× m1 here.
		expect(line.cost_usd).not.toBeCloseTo(((t1.in + t2.in) * 2 + (t1.out + t2.out) * 8) / 1e6, 10);
		// The same line without its members' runs: "—", saying why.
		expect(overviewOf(ensemble).cost_usd).toBeNull();
		expect(overviewOf(ensemble).cost_why).toMatch(/member runs/);
		// `covw runs --json` and `covw runs show --json` say the same cost as the pages.
		const env = { COVW_RUNS: runsDir };
		const list = fakeContext(['--json'], { root: work.path, cwd: work.path, env });
		await runsListCommand.run(list);
		const listed = (JSON.parse(list.out.join('')) as { run_id: string; cost_usd: number | null; cost_why?: string | null }[]).find((r) => r.run_id === both.runId)!;
		expect(listed.cost_usd).toBeCloseTo(expected, 10);
		expect(listed.cost_why).toBeNull();
		const show = fakeContext([both.runId, '--json'], { root: work.path, cwd: work.path, env });
		await runsShowCommand.run(show);
		expect(JSON.parse(show.out.join('')).cost_usd).toBeCloseTo(expected, 10);

		const unpriced = await judge('ensemble:any:a/m1+b/free');
		const line2 = overviewOf(readRun(runsDir, unpriced.runId, quiet)!, false, Date.now(), false, members);
		expect(line2.cost_usd).toBeNull();
		expect(line2.cost_why).toMatch(/^member b\/free: no price recorded for b\/free/);
	}, 60_000);
});
