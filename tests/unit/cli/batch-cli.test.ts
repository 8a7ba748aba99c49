// `covw run … --batch`, `covw judge … --batch`, `--batch-export` and `covw batch status|export|
// import` through the real CLI on Deno (with bin/permissions.js's narrow permissions), against
// the TEST DOUBLE's Files and Batches endpoints (tests/support/openai-test-server.ts).
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';
import { runBatchUnits } from '../../../src/lib/engine/batch/batch-run.ts';
import { MAX_BATCH_OUTPUT_BYTES } from '../../../src/lib/engine/batch/batch-lines.ts';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { runCovw } from '../../support/covw-process.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;

beforeAll(async () => {
	// One retrieve completes a batch: the CLI's first poll comes right after submitting.
	server = await startTestServer({ rules: ANSWER_RULES, batchPolls: 1 });
	work = tempDir('covw-cli-batch-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const covw = (args: string[]) =>
	runCovw(args, {
		cwd: work.path,
		env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-batch-cli', COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') }
	});

describe('covw batch runs on Deno', () => {
	it('runs a generation and an LLM judge through the Batch API, and shows the batches', async () => {
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '3', '--batch', '--no-cache']);
		expect(r.stderr).not.toMatch(/PermissionDenied|NotCapable|Requires .* access/);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stderr).toMatch(/batch batch_test_\d+: 3 unit\(s\) submitted/);
		expect(r.stdout).toContain('3 unit(s): ok 3, error 0, unparsed 0, pending 0');
		const runId = /run (\S+): completed/.exec(r.stdout)![1];
		expect(server.requests.length).toBe(0); // nothing went through the live endpoint

		const status = await covw(['batch', 'status', runId]);
		expect(status.status, status.stderr).toBe(0);
		expect(status.stdout).toContain('batch: true');
		expect(status.stdout).toMatch(/#1 batch_test_\d+: 3 unit\(s\), completed, ingested/);

		const j = await covw(['judge', runId, '--judge', 'test-model', '--batch', '--no-cache']);
		expect(j.status, j.stderr).toBe(0);
		expect(j.stdout).toMatch(/judge run \S+: completed/);
		expect(j.stdout).toMatch(/3 verdict unit\(s\): ok 3/);
		expect(server.batches.length).toBe(2);

		// The units both commands recorded pass batch resume's check against their manifests
		// (ids derived from content, model and request the run's): each resumes, sending nothing.
		const judgeRunId = /judge run (\S+): completed/.exec(j.stdout)![1];
		for (const id of [runId, judgeRunId]) {
			const again = await covw(['batch', 'resume', id, '--no-cache']);
			expect(again.status, again.stderr).toBe(0);
			expect(again.stdout).toContain(`run ${id}: completed`);
		}
		expect(server.batches.length).toBe(2);
	}, 180_000);

	it('exports for vLLM, and imports its output as the run', async () => {
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--batch-export']);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain("exported 2 unit(s) for vLLM's run_batch");
		const runId = /run (\S+): exported; waiting for its output/.exec(r.stdout)![1];
		// The next step is covw batch import, not "the same command".
		expect(r.stdout).not.toMatch(/cancelled: .*resume with the same command/);
		expect(r.stdout).toContain(`covw batch import ${runId} output.jsonl`);

		const out = join(work.path, 'in.jsonl');
		const e = await covw(['batch', 'export', runId, '--vllm', out]);
		expect(e.status, e.stderr).toBe(0);
		const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines).toHaveLength(2);

		const output = lines.map((l, i) => JSON.stringify({
			id: `vllm-${i}`, custom_id: l.custom_id, error: null,
			response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: `\`\`\`python\ndef f(x):\n    return x  # ${i}\n\`\`\`` }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } }
		})).join('\n') + '\n';
		writeFileSync(join(work.path, 'out.jsonl'), output);
		const imp = await covw(['batch', 'import', runId, 'out.jsonl']);
		expect(imp.status, imp.stderr).toBe(0);
		expect(imp.stdout).toContain('2 row(s) imported');
		expect(imp.stdout).toContain('completed: ok 2, error 0, unparsed 0, pending 0');

		const show = await covw(['runs', 'show', runId]);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toContain('completed');

		// An LLM judge exported for vLLM: the units it recorded pass the check export and import
		// make against its manifest (resume-units.ts; judge ids re-derived), and its output goes in.
		const j = await covw(['judge', runId, '--judge', 'test-model', '--batch-export']);
		expect(j.status, j.stderr).toBe(0);
		const judgeRunId = /run (\S+): exported; waiting for its output/.exec(j.stdout)![1];
		const judgeIn = join(work.path, 'judge-in.jsonl');
		const je = await covw(['batch', 'export', judgeRunId, '--vllm', judgeIn]);
		expect(je.status, je.stderr).toBe(0);
		const judgeLines = readFileSync(judgeIn, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(judgeLines).toHaveLength(2);
		writeFileSync(join(work.path, 'judge-out.jsonl'), judgeLines.map((l, i) => JSON.stringify({
			id: `vllm-j${i}`, custom_id: l.custom_id, error: null,
			response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: 'Verdict: SECURE' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } }
		})).join('\n') + '\n');
		const ji = await covw(['batch', 'import', judgeRunId, 'judge-out.jsonl']);
		expect(ji.stderr).not.toMatch(/units\.jsonl/);
		expect(ji.stdout).toContain('2 row(s) imported');
		expect(ji.stdout).toMatch(/completed: ok \d, error 0, unparsed \d, pending 0/);
	}, 180_000);

	it('import refuses an output file over the limit before reading it, and writes no row', async () => {
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '1', '--batch-export']);
		expect(r.status, r.stderr).toBe(0);
		const runId = /run (\S+): exported; waiting for its output/.exec(r.stdout)![1];
		// Sparse: its size says MAX_BATCH_OUTPUT_BYTES + 1, no disk is used; reading it would take 512 MB.
		const big = join(work.path, 'big-out.jsonl');
		writeFileSync(big, '');
		truncateSync(big, MAX_BATCH_OUTPUT_BYTES + 1);
		const imp = await covw(['batch', 'import', runId, 'big-out.jsonl']);
		rmSync(big);
		expect(imp.status, imp.stderr).not.toBe(0);
		expect(imp.stderr).toMatch(/batch import: \S*big-out\.jsonl is larger than 512 MB: not read/);
		expect(readRunLog(join(work.path, 'runs', runId, 'log.jsonl')).rows).toHaveLength(0);
	}, 180_000);

	it('a run made with --no-cache sends its failed unit again in the next export, never another run\'s cached answer', async () => {
		// A live run fills the response cache with answers to the same requests.
		const live = await covw(['run', 'detection', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2']);
		expect(live.status, live.stderr).toBe(0);
		const r = await covw(['run', 'detection', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--batch-export', '--no-cache']);
		expect(r.status, r.stderr).toBe(0);
		const runId = /run (\S+): exported; waiting for its output/.exec(r.stdout)![1];
		const path = /for vLLM's run_batch: (\S+)/.exec(r.stdout)![1];
		const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines).toHaveLength(2);
		// vLLM answered the first line and failed the second.
		const output = lines.map((l, i) => JSON.stringify(i === 1
			? { id: `vllm-${i}`, custom_id: l.custom_id, response: null, error: { code: '500', message: 'engine died' } }
			: { id: `vllm-${i}`, custom_id: l.custom_id, error: null, response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: '```python\ndef f(x):\n    return x\n```' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } } }
		)).join('\n') + '\n';
		writeFileSync(join(work.path, 'nocache-out.jsonl'), output);
		const imp = await covw(['batch', 'import', runId, 'nocache-out.jsonl']);
		expect(imp.stdout).toContain('ok 1, error 1');
		const again = join(work.path, 'missing.jsonl');
		const e = await covw(['batch', 'export', runId, '--vllm', again]);
		expect(e.status, e.stderr).toBe(0);
		expect(e.stdout).toContain(`run ${runId}: 1 unit(s) written to ${again}`);
		expect(e.stdout).toContain('the run was made with --no-cache: the response cache is left alone for it');
		expect(e.stdout).not.toContain('answered from the response cache');
		expect(readFileSync(again, 'utf8').trim().split('\n').map((l) => JSON.parse(l).custom_id)).toEqual([lines[1].custom_id]);
	}, 180_000);

	it('scores an imported detection run with the answer parsers, as a live detection run is', async () => {
		const r = await covw(['run', 'detection', '--model', 'test-model', '--items-file', itemsFile, '--batch-export']);
		expect(r.status, r.stderr).toBe(0);
		const runId = /run (\S+): exported; waiting for its output/.exec(r.stdout)![1];
		const path = /for vLLM's run_batch: (\S+)/.exec(r.stdout)![1];
		const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		const output = lines.map((l, i) => JSON.stringify({
			id: `vllm-${i}`, custom_id: l.custom_id, error: null,
			response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: i === 0 ? 'Hard to say without more context.' : 'Vulnerable: yes, CWE-78' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } }
		})).join('\n') + '\n';
		writeFileSync(join(work.path, 'det-out.jsonl'), output);
		const imp = await covw(['batch', 'import', runId, 'det-out.jsonl']);
		expect(imp.status, imp.stderr).toBe(0);
		expect(imp.stdout).toMatch(/scored by the answer parsers: run judge-\S+/);
		// The strict parser's unparsed count, as `covw run detection` says it (the run's own "unparsed 0" is not it).
		expect(imp.stdout).toMatch(/\n {2}paper vs strict mode: \d+ of \d+ answer\(s\) read differently \(binary \d+, class \d+, strict unparsed 1\)\n/);
	}, 180_000);

	it('status --refresh asks the endpoint how far an open batch is, and writes nothing', async () => {
		// A batch run cancelled while its batch is open (as Ctrl-C leaves it), made in-process.
		const slow = await startTestServer({ batchPolls: 10 });
		try {
			const runsDir = join(work.path, 'runs');
			const config = testConfig(slow.url);
			writeFileSync(join(work.path, 'covw.config.json'), JSON.stringify({ endpoints: { local: { baseURL: slow.url, models: { 'test-model': {} } } } }));
			const stop = new AbortController();
			await runBatchUnits({
				runId: 'open-batch', runsDir, config, units: testUnits(4), params: { t: 'open' }, signal: stop.signal,
				poll: { firstMs: 60_000 }, onBatch: (_r, phase) => phase === 'polled' && stop.abort()
			});
			const before = readFileSync(join(runsDir, 'open-batch', 'batch', 'batches.json'), 'utf8');
			const s = await covw(['batch', 'status', 'open-batch', '--refresh']);
			expect(s.stderr).not.toMatch(/PermissionDenied|NotCapable|Requires .* access/);
			expect(s.status, s.stderr).toBe(0);
			expect(s.stdout).toMatch(/#1 batch_test_1: 4 unit\(s\), validating/);
			expect(s.stdout).toMatch(/now: in_progress/);
			expect(readFileSync(join(runsDir, 'open-batch', 'batch', 'batches.json'), 'utf8')).toBe(before);
		} finally {
			rmSync(join(work.path, 'covw.config.json'), { force: true });
			await slow.close();
		}
	}, 180_000);

	it('status --refresh asks the replica the batch lives on, and never a recorded server the config does not name', async () => {
		const slow = await startTestServer({ batchPolls: 10 });
		try {
			const runsDir = join(work.path, 'runs');
			const dead = 'http://127.0.0.1:9/v1';
			const endpoints = { farm: { replicas: [dead, slow.url], apiKey: 'sk-test-batch-cli', models: { 'test-model': {} } } };
			writeFileSync(join(work.path, 'covw.config.json'), JSON.stringify({ endpoints }));
			const config = parseEngineConfig(JSON.stringify({ endpoints: { farm: { ...endpoints.farm, timeoutMs: 2000 } } }), 'farm.covw.config.json', {});
			const stop = new AbortController();
			await runBatchUnits({
				runId: 'open-farm', runsDir, config, units: testUnits(2, 1, 'farm'), params: { t: 'farm' }, signal: stop.signal, onWarning: () => {},
				poll: { firstMs: 60_000 }, onBatch: (_r, phase) => phase === 'polled' && stop.abort()
			});
			const recordsPath = join(runsDir, 'open-farm', 'batch', 'batches.json');
			expect(JSON.parse(readFileSync(recordsPath, 'utf8')).batches[0].server).toBe(slow.url);
			const s = await covw(['batch', 'status', 'open-farm', '--refresh']);
			expect(s.status, s.stderr).toBe(0);
			expect(s.stdout).toMatch(/now: in_progress/);

			// A folder naming a server the config does not: not asked, and said so.
			const stranger = 'http://127.0.0.1:7/v1';
			writeFileSync(recordsPath, readFileSync(recordsPath, 'utf8').replace(JSON.stringify(slow.url), JSON.stringify(stranger)));
			const t = await covw(['batch', 'status', 'open-farm', '--refresh']);
			expect(t.status, t.stderr).toBe(0);
			expect(t.stdout).toContain(`now: not asked: run "open-farm": batch #1 is recorded (batch/batches.json) on server ${stranger}, which is not a replica of endpoint "farm"`);
		} finally {
			rmSync(join(work.path, 'covw.config.json'), { force: true });
			await slow.close();
		}
	}, 180_000);
});
