// covw batch import (trial 10): an answer from another model than its unit asked for is kept with a
// warning naming its line and model (and the model on the row); an answer cut at its token limit
// (finish_reason "length") is kept but flagged as cut — as the live path flags it (answerRow) —
// and counted, never a silent normal answer.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importBatchOutput, prepareBatchExport } from '../../../../src/lib/engine/batch/batch-run.ts';
import { ANSWER_MODEL, otherModel } from '../../../../src/lib/engine/batch/batch-ingest.ts';
import { answerRow } from '../../../../src/lib/engine/run-units.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { ANSWER_CUT, answersCutRows } from '../../../../src/lib/engine/types.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

const dir = tempDir('covw-import-flags-');
afterAll(() => dir.remove());

const line = (customId: string, i: number, o: { model?: string; finish?: string } = {}) =>
	JSON.stringify({
		id: `vllm-${i}`, custom_id: customId, error: null,
		response: { status_code: 200, request_id: `r${i}`, body: { model: o.model ?? 'test-model', choices: [{ index: 0, message: { role: 'assistant', content: `answer ${i}` }, finish_reason: o.finish ?? 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } }
	});

describe('batch import of suspicious answers', () => {
	it('warns of an answer from another model (line and model named) and flags a cut answer', () => {
		const units = testUnits(4);
		const runId = 'import-flags';
		prepareBatchExport({ runId, runsDir: dir.path, config: testConfig('http://127.0.0.1:9/v1'), units, kind: 'generation', params: { test: 'flags', batch: 'vllm' } });
		const text = [
			line(units[0].id, 0),
			line(units[1].id, 1, { model: 'other-model' }),
			line(units[2].id, 2, { finish: 'length' }),
			line(units[3].id, 3, { model: 'test-model-2024-08-06' }) // a dated snapshot of the model asked for: no warning
		].join('\n') + '\n';
		const warnings: string[] = [];
		const r = importBatchOutput({ runsDir: dir.path, runId, text, file: 'out.jsonl', onWarning: (m) => warnings.push(m) });
		expect(r.rows).toBe(4);
		expect(r.state).toBe('completed');
		expect(r.cut).toBe(1);
		expect(r.otherModel).toBe(1);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/^out\.jsonl:2: the answer for unit \S+ says it came from model "other-model", not "test-model"/);
		const rows = new Map(readRunLog(join(dir.path, runId, 'log.jsonl')).rows.map((row) => [row.unit_id, row]));
		expect(rows.get(units[1].id)!.meta[ANSWER_MODEL]).toBe('other-model');
		expect(rows.get(units[2].id)!.meta[ANSWER_CUT]).toBe(true);
		expect(rows.get(units[0].id)!.meta[ANSWER_CUT]).toBeUndefined();
		expect(rows.get(units[3].id)!.meta[ANSWER_MODEL]).toBeUndefined();
		expect(answersCutRows(rows.values())).toBe(1);
		expect(JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8')).state).toBe('completed');
	});

	it('the live path flags a cut answer the same way', () => {
		const [unit] = testUnits(1);
		const cut = answerRow(unit, { text: 'def f(', tokens_in: 3, tokens_out: 64, finish_reason: 'length', model: 'test-model' }, { cached: false, attempts: 1, latency_ms: 5 });
		const whole = answerRow(unit, { text: 'def f(): pass', tokens_in: 3, tokens_out: 4, finish_reason: 'stop', model: 'test-model' }, { cached: false, attempts: 1, latency_ms: 5 });
		expect(cut.meta[ANSWER_CUT]).toBe(true);
		expect(whole.meta[ANSWER_CUT]).toBeUndefined();
	});

	it('tells another model from a snapshot or a path of the same one', () => {
		expect(otherModel('other-model', 'test-model')).toBe(true);
		expect(otherModel('gpt-4o-2024-08-06', 'gpt-4o')).toBe(false);
		expect(otherModel('/models/Llama-3-8B', 'meta-llama/Llama-3-8B')).toBe(false);
		expect(otherModel(null, 'test-model')).toBe(false);
	});

	it('takes only a date-like suffix as a snapshot: another size, a tuned variant or another owner is another model', () => {
		const table: [string, string, boolean][] = [
			['gpt-4o-2024-08-06', 'gpt-4o', false],
			['gpt-4o-20240806', 'gpt-4o', false],
			['gpt-4-0613', 'gpt-4', false],
			['gpt-4o', 'gpt-4o', false],
			['gpt-4o-mini', 'gpt-4o', true],
			['gpt-4o-mini-2024-07-18', 'gpt-4o', true],
			['gpt-4', 'gpt-4o', true],
			['Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B', true],
			['meta/llama-3-8b', 'other/llama-3-8b', true],
			['llama-3-8b', 'meta/llama-3-8b', true],
			['/models/Llama-3-8B', 'meta-llama/Llama-3-8B', false],
			['/models/Llama-3-8B-Instruct', 'meta-llama/Llama-3-8B', true],
			['./Llama-3-8B', 'Llama-3-8B', false]
		];
		for (const [reported, requested, other] of table) expect([reported, requested, otherModel(reported, requested)]).toEqual([reported, requested, other]);
	});
});
