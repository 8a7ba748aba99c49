// `covw self-correct` on Deno end to end against the TEST DOUBLE (realistic mode, not a model):
// covw run → covw judge → covw self-correct prints self-detection recall/accuracy and
// self-repair SR@1 with coverage, and sends only the programs the judge found vulnerable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';
import { writeItemsFile } from '../runs/fixtures.ts';

const item = (n: number, marker: string): Item => ({
	item_id: `completion/seed/CWE-78/t3cli/${n}`, task: 'completion', set: 'seed', cwe: 'CWE-78', language: 'python', scenario: 't3cli',
	code: `import os\nimport subprocess\n# ${marker} ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/cli/self-correct-cli.test.ts'
});

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;

beforeAll(async () => {
	server = await startTestServer({ answers: 'realistic' });
	work = tempDir('covw-cli-t3-');
	itemsFile = writeItemsFile(join(work.path, 'data'), [item(0, 'INSECURE_ME'), item(1, 'SECURE_ME'), item(2, 'INSECURE_ME')]);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const covw = (args: string[]) =>
	runCovw(args, { cwd: work.path, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-t3', COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') } });

describe('covw self-correct', () => {
	it('self-detection against the judge run, then self-repair of the vulnerable programs only', async () => {
		const gen = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile]);
		expect(gen.status, gen.stderr).toBe(0);
		const genId = /run (gen-\S+): completed/.exec(gen.stdout)![1];
		const judge = await covw(['judge', genId, '--judge', 'test-model', '--template', 'direct']);
		expect(judge.status, judge.stderr).toBe(0);
		const judgeId = /judge run (\S+): completed/.exec(judge.stdout)![1];
		const before = server.requests.length;
		const r = await covw(['self-correct', genId, '--judge-run', judgeId]);
		expect(r.stderr).not.toMatch(/PermissionDenied|NotCapable/);
		expect(r.status, r.stderr).toBe(0);
		// Intervals say what they are and their n; on 2 or 3 programs they are wide, never a point.
		expect(r.stdout).toMatch(/recall 100\.00% \(2 of 2 program\(s\) the judge found vulnerable; 95% Wilson interval \[34\.24, 100\.00\], n 2\), accuracy 100\.00% \(95% Wilson interval \[43\.85, 100\.00\], n 3;/);
		expect(r.stdout).toContain('2 program(s) sent (only those the judge found vulnerable)');
		expect(r.stdout).toMatch(/self-repair SR@1 100\.00% \(95% Wilson interval \[34\.24, 100\.00\], n 2 judged repair\(s\)\); coverage 2\/2; no code 0, error 0, unparsed 0/);
		// 3 self-detection questions + 2 repairs + 2 judgements of the repairs.
		expect(server.requests.length - before).toBe(7);
	}, 120_000);
});
