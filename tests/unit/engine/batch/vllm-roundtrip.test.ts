// vLLM run_batch round trip: a run exported as run_batch input (one line per unit, the exact
// body the live path sends), its output imported back as the run's rows through the run
// session; failed lines become error rows and the next export holds only those units.
// Also: a process killed after creating a batch but before recording its id finds the batch by
// its uploaded file instead of creating a second one.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchRecords, exportBatchRun, importBatchOutput, prepareBatchExport, runBatchUnits } from '../../../../src/lib/engine/batch/batch-run.ts';
import { batchInputLine } from '../../../../src/lib/engine/batch/batch-lines.ts';
import type { ParseHook } from '../../../../src/lib/engine/run-units.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { cacheKey, ResponseCache } from '../../../../src/lib/engine/response-cache.ts';
import { defaultAnswer, startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let server: TestServer;
beforeAll(async () => {
	dir = tempDir('covw-vllm-');
	server = await startTestServer({ batchPolls: 2 });
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

/** What vLLM's run_batch writes for an input line: answered, or failed as `fail` says. */
function vllmOutput(input: string, fail: (customId: string) => 'error' | 'status' | null): string {
	return input
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((line, i) => {
			const { custom_id, body } = JSON.parse(line) as { custom_id: string; body: { model: string; messages: { role: string; content: string }[] } };
			const how = fail(custom_id);
			if (how === 'error') return JSON.stringify({ id: `vllm-${i}`, custom_id, response: null, error: { code: 'internal_error', message: 'engine died' } });
			if (how === 'status') return JSON.stringify({ id: `vllm-${i}`, custom_id, response: { status_code: 400, request_id: `r${i}`, body: { error: { message: 'prompt too long' } } }, error: null });
			const text = defaultAnswer(body.messages.at(-1)!.content);
			const completion = { id: `cmpl-${i}`, object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } };
			return JSON.stringify({ id: `vllm-${i}`, custom_id, response: { status_code: 200, request_id: `r${i}`, body: completion }, error: null });
		})
		.join('\n') + '\n';
}

// A parse hook as the run kinds have: answers in the double's form are readable; adds a column.
const parse: ParseHook = (response) => ({ status: response.startsWith('answer ') ? 'ok' : 'unparsed', fields: { last: response.slice(-1) } });

describe('vLLM run_batch export and import', () => {
	it('exports the exact requests, imports the answers as rows, and re-exports only the failed units', () => {
		const units = testUnits(12);
		const config = testConfig('http://127.0.0.1:9/v1');
		const runId = 'vllm-trip';
		const prepared = prepareBatchExport({ runId, runsDir: dir.path, config, units, kind: 'generation', params: { test: 'vllm', batch: 'vllm' } });
		expect(prepared.exported.lines).toBe(12);
		expect(prepared.state).toBe('cancelled');
		const lines = prepared.exported.text.trim().split('\n').map((l) => JSON.parse(l));
		expect(lines.map((l) => l.custom_id)).toEqual(units.map((u) => u.id));
		expect(lines[0]).toEqual({ custom_id: units[0].id, method: 'POST', url: '/v1/chat/completions', body: { ...units[0].request, stream: false } });
		expect(readFileSync(prepared.exported.path!, 'utf8')).toBe(prepared.exported.text);

		const failing = new Map([[units[2].id, 'error' as const], [units[5].id, 'status' as const]]);
		const outPath = join(dir.path, 'out-1.jsonl');
		const output = vllmOutput(prepared.exported.text, (id) => failing.get(id) ?? null) + 'not json\n';
		writeFileSync(outPath, output);
		const warnings: string[] = [];
		const first = importBatchOutput({ runsDir: dir.path, runId, text: output, file: outPath, parse, compactTo: 'generations.arrow', onWarning: (m) => warnings.push(m) });
		expect(first.rows).toBe(12);
		expect(first.state).toBe('completed');
		expect(first.manifest.counts).toMatchObject({ total: 12, ok: 10, error: 2, pending: 0 });
		expect(warnings.some((w) => /out-1\.jsonl:13: skipped: not valid JSON/.test(w))).toBe(true);
		const rows = new Map(readRunLog(join(dir.path, runId, 'log.jsonl')).rows.map((r) => [r.unit_id, r]));
		const ok = rows.get(units[0].id)!;
		expect(ok).toMatchObject({ status: 'ok', response: defaultAnswer(units[0].request.messages[0].content), tokens_in: 7, tokens_out: 3, attempts: 1, cached: false });
		expect(ok.meta).toMatchObject({ item_id: 'item-0', last: ok.response!.slice(-1) });
		expect(rows.get(units[2].id)).toMatchObject({ status: 'error', response: null });
		expect(rows.get(units[2].id)!.error).toMatch(/internal_error: engine died/);
		expect(rows.get(units[5].id)!.error).toMatch(/status 400: prompt too long/);
		expect(JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8')).params).toEqual({ test: 'vllm', batch: 'vllm' });

		// The next export holds only the failed units; importing their answers completes the run.
		const again = exportBatchRun({ runsDir: dir.path, runId });
		expect(again.lines).toBe(2);
		expect(again.text.trim().split('\n').map((l) => JSON.parse(l).custom_id).sort()).toEqual([units[2].id, units[5].id].sort());
		const second = importBatchOutput({ runsDir: dir.path, runId, text: vllmOutput(again.text, () => null), file: 'out-2.jsonl', parse });
		expect(second.manifest.counts).toMatchObject({ ok: 12, error: 0, pending: 0 });
		expect(batchRecords(dir.path, runId).map((r) => [r.units.length, r.ingested])).toEqual([[12, true], [2, true]]);
		expect(exportBatchRun({ runsDir: dir.path, runId }).lines).toBe(0);
	});

	it('leaves out of the export the units the response cache answers, and puts them in the run as cached rows', () => {
		const units = testUnits(6).map((u) => ({ ...u, id: `cached-${u.id}` }));
		const config = testConfig('http://127.0.0.1:9/v1');
		const cache = new ResponseCache(join(dir.path, 'cache-export'));
		const answer = (u: (typeof units)[number]) => ({ text: defaultAnswer(u.request.messages.at(-1)!.content), tokens_in: 7, tokens_out: 3, finish_reason: 'stop', model: 'test-model' });
		try {
			for (const u of units.slice(0, 4)) cache.put(cacheKey(config.endpoints.get(u.endpoint)!.baseURL, u.request, u.sample), answer(u));
			const some = prepareBatchExport({ runId: 'vllm-cache', runsDir: dir.path, config, units, cache, parse, kind: 'generation', params: { t: 'cache', batch: 'vllm' } });
			expect(some.exported).toMatchObject({ lines: 2, fromCache: 4, models: ['test-model'] });
			expect(some.exported.text.trim().split('\n').map((l) => JSON.parse(l).custom_id)).toEqual(units.slice(4).map((u) => u.id));
			expect(some.manifest.counts).toMatchObject({ ok: 4, cached: 4, pending: 2 });
			const rows = readRunLog(join(dir.path, 'vllm-cache', 'log.jsonl')).rows;
			expect(rows.map((r) => [r.unit_id, r.cached, r.status])).toEqual(units.slice(0, 4).map((u) => [u.id, true, 'ok']));

			// Every unit cached: nothing exported, the run is complete.
			for (const u of units.slice(4)) cache.put(cacheKey(config.endpoints.get(u.endpoint)!.baseURL, u.request, u.sample), answer(u));
			const all = prepareBatchExport({ runId: 'vllm-cache-all', runsDir: dir.path, config, units, cache, parse, kind: 'generation', params: { t: 'cache-all', batch: 'vllm' } });
			expect(all.exported).toMatchObject({ lines: 0, fromCache: 6, path: null });
			expect(all.state).toBe('completed');
			expect(all.manifest.counts).toMatchObject({ ok: 6, cached: 6, pending: 0 });
		} finally {
			cache.close();
		}
	});

	it('keeps a run made without the cache (--no-cache) off it: a failed unit is exported again, never answered by the cache', () => {
		const units = testUnits(3).map((u) => ({ ...u, id: `nocache-${u.id}` }));
		const config = testConfig('http://127.0.0.1:9/v1');
		const cache = new ResponseCache(join(dir.path, 'cache-nocache'));
		try {
			// --no-cache: the CLI passes a null cache; the manifest records the choice.
			const made = prepareBatchExport({ runId: 'vllm-nocache', runsDir: dir.path, config, units, cache: null, parse, kind: 'generation', params: { t: 'nocache', batch: 'vllm' } });
			expect(made.exported.lines).toBe(3);
			expect(made.manifest.response_cache).toBe(false);
			// vLLM failed one line; another run's sync answer to the same request is in the cache.
			const failed = units[1];
			importBatchOutput({ runsDir: dir.path, runId: 'vllm-nocache', parse, text: vllmOutput(made.exported.text, (id) => (id === failed.id ? 'error' : null)), file: 'out.jsonl' });
			cache.put(cacheKey(config.endpoints.get(failed.endpoint)!.baseURL, failed.request, failed.sample), { text: 'answer from elsewhere', tokens_in: 1, tokens_out: 1, finish_reason: 'stop', model: 'test-model' });
			// `covw batch export` opens the cache (no --no-cache this time): the run's choice holds.
			const again = exportBatchRun({ runsDir: dir.path, runId: 'vllm-nocache', config, cache, parse });
			expect(again).toMatchObject({ lines: 1, fromCache: 0 });
			expect(JSON.parse(again.text).custom_id).toBe(failed.id);
			const manifest = JSON.parse(readFileSync(join(dir.path, 'vllm-nocache', 'manifest.json'), 'utf8'));
			expect(manifest.response_cache).toBe(false);
			expect(readRunLog(join(dir.path, 'vllm-nocache', 'log.jsonl')).rows.some((r) => r.cached)).toBe(false);
		} finally {
			cache.close();
		}
	});

	it('refuses to import into a run that is not a batch run', async () => {
		const units = testUnits(2);
		const config = testConfig(server.url);
		const { runUnits } = await import('../../../../src/lib/engine/run-units.ts');
		await runUnits({ runId: 'live-run', runsDir: dir.path, config, units, params: { test: 'live' } });
		expect(() => importBatchOutput({ runsDir: dir.path, runId: 'live-run', text: '', file: 'x.jsonl' })).toThrow(/not started as a batch run/);
	});
});

describe('a batch created but not recorded', () => {
	it('is found by its uploaded file, not created twice', async () => {
		const units = testUnits(5, 3).filter((u) => u.sample === 2);
		const config = testConfig(server.url);
		const runId = 'batch-adopt';
		// What a process leaves when killed right after creating the batch: the record says "uploaded".
		const input = units.map(batchInputLine).join('');
		const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
		const file = await client.files.create({ file: await toFile(Buffer.from(input), 'input-1.jsonl'), purpose: 'batch' });
		const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
		const batchDir = join(dir.path, runId, 'batch');
		mkdirSync(batchDir, { recursive: true });
		writeFileSync(join(batchDir, 'input-1.jsonl'), input);
		const now = new Date().toISOString();
		writeFileSync(join(batchDir, 'batches.json'), JSON.stringify({ batches: [{
			seq: 1, via: 'openai', endpoint: 'local', model: 'test-model', units: units.map((u) => u.id), input: 'input-1.jsonl', output: null, errors: null,
			input_file_id: file.id, batch_id: null, status: 'uploaded', ingested: false, created_at: now, updated_at: now
		}] }));
		const before = server.batches.length;
		const result = await runBatchUnits({ runId, runsDir: dir.path, config, units, params: { test: 'adopt', batch: true }, poll: { firstMs: 5, maxMs: 5 } });
		expect(result.manifest.counts).toMatchObject({ total: 5, ok: 5 });
		expect(server.batches.length).toBe(before);
		expect(batchRecords(dir.path, runId)[0].batch_id).toBe(created.id);
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
	});
});
