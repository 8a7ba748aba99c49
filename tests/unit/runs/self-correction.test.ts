// Table 3's chain end to end against the TEST DOUBLE in its realistic mode (not a model):
// a completion run; a reference judge run; self-detection (the same model judging its own
// programs) scored against it; self-repair sending ONLY the programs the judge found
// vulnerable; a judge run on the repairs giving self-repair SR@1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { runSelfDetection, runSelfRepair, selfDetectionScore, selfRepairInterval, wilsonText } from '../../../src/lib/runs/self-correction.ts';
import { securityRate } from '../../../src/lib/core/metrics/security-rate.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';

const TEMPLATE_DIR = resolve(__dirname, '../../../datasets/templates');
const item = (n: number, marker: string): Item => ({
	item_id: `completion/seed/CWE-78/t3/${n}`,
	task: 'completion',
	set: 'seed',
	cwe: 'CWE-78',
	language: 'python',
	scenario: 't3',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`,
	label: null,
	label_class: null,
	source: 'tests/unit/runs/self-correction.test.ts'
});
// Two insecure, one secure, one refusal (no code: never judged, never repaired).
const ITEMS = [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME'), item(3, 'REFUSE_ME')];

let server: TestServer;
let work: { path: string; remove: () => void };
let runsDir: string;
let templates: Awaited<ReturnType<typeof loadTemplates>>;
const quiet = () => {};

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-table3-');
	runsDir = join(work.path, 'runs');
	templates = await loadTemplates(TEMPLATE_DIR);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('self-detection and self-repair on a model`s own completions', () => {
	it('runs the chain; self-repair sends only the programs the judge found vulnerable', async () => {
		const config = testConfig(server.url);
		const gen = await runGeneration({ runsDir, config, items: ITEMS, task: 'completion', model: 'local/test-model', templates: templates.templates, runId: 'gen-t3', onWarning: quiet });
		expect(gen.result.manifest.counts).toMatchObject({ ok: 3, no_code: 1 });
		const reference = await runJudge({ runsDir, judge: 'local/test-model', template: 'direct', sourceRunId: 'gen-t3', config, templates: templates.templates, runId: 'judge-t3', onWarning: quiet });
		expect(reference.targets).toBe(3);
		const refRows = readRun(runsDir, 'judge-t3')!.rows;
		expect(refRows.filter((r) => r.meta.vulnerable === true)).toHaveLength(2);

		const options = { runsDir, config, templates: templates.templates, sourceRunId: 'gen-t3', judgeRunId: 'judge-t3', onWarning: quiet };
		const self = await runSelfDetection(options);
		const score = selfDetectionScore(readRun(runsDir, self.runId)!, readRun(runsDir, 'judge-t3')!);
		// The double judges by the code alone, so the model agrees with the reference everywhere.
		expect(score).toMatchObject({ n: 3, tp: 2, tn: 1, fp: 0, fn: 0, tpr: 100, consistency: 100 });

		const before = server.requests.length;
		const repair = await runSelfRepair(options);
		expect(repair.sent).toBe(2);
		expect(server.requests.length - before).toBe(2);
		const repairRun = readRun(runsDir, repair.generation!.runId)!;
		expect(repairRun.manifest.params.task).toBe('repair');
		expect(repairRun.rows.map((r) => r.meta.item_id).sort()).toEqual([`${ITEMS[0].item_id}/self-0`, `${ITEMS[2].item_id}/self-0`]);
		// Task repair (the repair prompt), but a set of their own: never the benchmark's 477-item repair set.
		expect(repairRun.rows.map((r) => [r.meta.task, r.meta.set])).toEqual([['repair', 'self-repair'], ['repair', 'self-repair']]);

		const judged = await runJudge({ runsDir, judge: 'local/test-model', template: 'direct', sourceRunId: repair.generation!.runId, config, templates: templates.templates, onWarning: quiet });
		const sr = summarizeRun(readRun(runsDir, judged.runId)!, repairRun).judges[0].securityRate!;
		// The double's repairs replace its insecure lines: both come back secure.
		expect(sr).toMatchObject({ sr: 100, coverage: { judged: 2, total: 2 } });

		// Again: nothing is sent twice.
		const again = server.requests.length;
		await runSelfRepair(options);
		expect(server.requests.length).toBe(again);
	});

	it('refuses a judge run of another generation run', async () => {
		await expect(runSelfRepair({ runsDir, config: testConfig(server.url), templates: templates.templates, sourceRunId: 'gen-t3', judgeRunId: 'gen-t3' })).rejects.toThrow(/not a judge run of "gen-t3"/);
	});

	it('self-repair SR@1 on 5 repairs, none secure, has a Wilson interval with width, named with its n', () => {
		const rows = [0, 1, 2, 3, 4].map((i) => ({ item_id: `completion/seed/CWE-78/x/${i}/self-0`, sample: 0, status: 'ok' as const, vulnerable: true }));
		const sr = securityRate(rows, { resamples: 200, seed: 1 });
		// The bootstrap of five 0/1 outcomes that are all 0 is a point: [0, 0].
		expect([sr.ci.low, sr.ci.high]).toEqual([0, 0]);
		const ci = selfRepairInterval(sr);
		expect([ci.k, ci.n, ci.low]).toEqual([0, 5, 0]);
		expect(ci.high).toBeCloseTo(0.43448246478317476, 12); // scipy, tests/reference/wilson_interval.py
		expect(wilsonText(ci)).toBe('95% Wilson interval [0.00, 43.45], n 5');
		const twoOfFive = selfRepairInterval(securityRate(rows.map((r, i) => ({ ...r, vulnerable: i >= 2 })), { resamples: 200, seed: 1 }));
		expect([twoOfFive.k, twoOfFive.n]).toEqual([2, 5]);
		expect(twoOfFive.low).toBeCloseTo(0.11762077423264794, 12);
	});
});
