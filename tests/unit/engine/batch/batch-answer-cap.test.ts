// Batch output (vLLM run_batch, the Batch API's files) is capped per line as live answers are:
// an answer over 4 MB is an error row saying so, never saved; a line too long to hold any answer
// within the cap is skipped unread, with a warning naming file and line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBatchOutput, prepareBatchExport } from '../../../../src/lib/engine/batch/batch-run.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
	dir = tempDir('covw-batch-cap-');
});
afterAll(() => dir.remove());

const answered = (custom_id: string, content: string) =>
	JSON.stringify({ id: 'x', custom_id, response: { status_code: 200, request_id: 'r', body: { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } }, error: null });

describe('batch output lines are capped', () => {
	it('a 5 MB answer is an error row, a 12 MB line is skipped unread, a small answer is an answer', () => {
		const units = testUnits(3);
		const runId = 'batch-cap';
		prepareBatchExport({ runId, runsDir: dir.path, config: testConfig('http://127.0.0.1:9/v1'), units, kind: 'generation', params: { test: 'cap' } });
		const text = [answered(units[0].id, 'x'.repeat(5 * 1024 * 1024)), answered(units[1].id, 'y'.repeat(12 * 1024 * 1024)), answered(units[2].id, 'small answer')].join('\n') + '\n';
		const warnings: string[] = [];
		importBatchOutput({ runsDir: dir.path, runId, text, file: 'out.jsonl', compactTo: null, onWarning: (m) => warnings.push(m) });
		const rows = new Map(readRunLog(join(dir.path, runId, 'log.jsonl')).rows.map((r) => [r.unit_id, r]));
		expect(rows.get(units[0].id)).toMatchObject({ status: 'error', response: null, error: 'answer larger than 4 MB: not saved' });
		expect(rows.get(units[1].id)?.status ?? 'none').not.toBe('ok');
		expect(warnings.some((w) => /out\.jsonl:2: skipped: a line longer than \d+ characters \(not read\)/.test(w))).toBe(true);
		expect(rows.get(units[2].id)).toMatchObject({ status: 'ok', response: 'small answer' });
	}, 60_000);
});
