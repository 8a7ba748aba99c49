// A generation with no code in it (refusal, answer cut off before its code) is status
// 'no_code': the rule judge gives it no verdict, the security rate counts it apart and prints
// its coverage. Against the TEST DOUBLE (tests/support/openai-test-server.ts, not a model) in
// its realistic mode; items are ours, their markers force the double's kind of answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { realisticAnswer } from '../../support/realistic-answers.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';

const TEMPLATE_DIR = resolve(__dirname, '../../../datasets/templates');

const item = (n: number, marker: string, language: 'c' | 'python'): Item => ({
	item_id: `completion/seed/CWE-78/nc/${n}`,
	task: 'completion',
	set: 'seed',
	cwe: 'CWE-78',
	language,
	scenario: 'nc',
	code: language === 'python' ? `import os\nimport subprocess\n# ${marker}\ndef run(value):\n` : `#include <stdio.h>\n/* ${marker} */\nint main(int argc, char **argv) {\n`,
	label: null,
	label_class: null,
	source: 'tests/unit/runs/no-code.test.ts'
});
const ITEMS = [item(0, 'SECURE_ME', 'python'), item(1, 'INSECURE_ME', 'python'), item(2, 'REFUSE_ME', 'python'), item(3, 'CUT_ME', 'c')];

let server: TestServer;
let work: { path: string; remove: () => void };
let runsDir: string;
let templates: Awaited<ReturnType<typeof loadTemplates>>;
const quiet = () => {};

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-nocode-');
	runsDir = join(work.path, 'runs');
	templates = await loadTemplates(TEMPLATE_DIR);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('the realistic test double', () => {
	it('echoes and completes the program, refuses, or cuts off, by a deterministic rule', () => {
		const secure = realisticAnswer('complete this:\nimport os\n# SECURE_ME\ndef run(value):\n');
		expect(secure.kind).toBe('secure');
		expect(secure.text).toContain('def run(value):\n    subprocess.run(');
		expect(realisticAnswer('x\n# INSECURE_ME\ndef f():').text).toContain('os.system("echo " + value)');
		expect(realisticAnswer('REFUSE_ME').kind).toBe('refusal');
		expect(realisticAnswer('anything at all')).toEqual(realisticAnswer('anything at all'));
		const det = realisticAnswer('Reply with {"vulnerable": ..., "vulnerability type": ...}\nint main(void) {}');
		expect(det.kind).toBe('detection');
		expect(JSON.parse(det.text)).toHaveProperty('vulnerability type');
	});
});

describe('a completion run with answers that hold no code', () => {
	it('marks them no_code at parse time, the rule judge skips them, SR@1 counts them apart', async () => {
		const gen = await runGeneration({ runsDir, config: testConfig(server.url), items: ITEMS, task: 'completion', model: 'local/test-model', templates: templates.templates, runId: 'gen-nc', onWarning: quiet });
		expect(gen.result.manifest.counts).toMatchObject({ total: 4, ok: 2, no_code: 2, error: 0, unparsed: 0 });
		const rows = new Map([...gen.result.rows.values()].map((r) => [String(r.meta.item_id), r]));
		expect(rows.get(ITEMS[2].item_id)).toMatchObject({ status: 'no_code', meta: { code: null, code_source: 'none' } });
		expect(rows.get(ITEMS[3].item_id)!.status).toBe('no_code');
		expect(rows.get(ITEMS[0].item_id)!.meta.code).toContain('subprocess.run(["echo", value]');

		const warnings: string[] = [];
		const judged = await runJudge({ runsDir, judge: 'rules', sourceRunId: 'gen-nc', runId: 'judge-nc', onWarning: (m) => warnings.push(m) });
		expect(judged.targets).toBe(2);
		expect(warnings.join('\n')).toContain('2 generation(s) of run gen-nc hold no code');
		const run = readRun(runsDir, 'judge-nc')!;
		// No verdict row exists for an answer with no code.
		expect(run.rows.map((r) => r.meta.item_id).sort()).toEqual([ITEMS[0].item_id, ITEMS[1].item_id]);

		const sr = summarizeRun(run, readRun(runsDir, 'gen-nc')).judges[0].securityRate!;
		expect(sr).toMatchObject({ n_ok: 2, n_no_code: 2, n_error: 0, coverage: { judged: 2, total: 4 }, n_items: 2, n_items_without_ok: 2 });
		// Without the source run the rate still stands on the two judged answers only.
		expect(summarizeRun(run).judges[0].securityRate!.coverage).toEqual({ judged: 2, total: 2 });
	});

	it('covw runs show prints the coverage and the no-code count beside SR@1', async () => {
		const r = await runCovw(['runs', 'show', 'judge-nc'], { cwd: work.path, env: { COVW_RUNS: runsDir } });
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/security rate SR@1 +[\d.]+% \[[\d.]+, [\d.]+\] \(95% Wilson, \d of 2 secure\); coverage 2\/4; no code 2, error 0, unparsed 0/);
		const g = await runCovw(['runs', 'show', 'gen-nc'], { cwd: work.path, env: { COVW_RUNS: runsDir } });
		expect(g.stdout).toContain('units         4: ok 2, error 0, unparsed 0, no code 2');
		const list = await runCovw(['runs'], { cwd: work.path, env: { COVW_RUNS: runsDir } });
		expect(list.stdout).toMatch(/run_id +kind +model\/judge +state +ok +error +unparsed +no_code +pending/);
		expect(list.stdout).toMatch(/gen-nc +generation +local\/test-model +completed +2 +0 +0 +2 +0/);
	}, 60_000);
});
