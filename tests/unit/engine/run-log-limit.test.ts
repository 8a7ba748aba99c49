// A log line is read only up to what a row of a capped answer can take (2 × the cap + 64 kB):
// the default cap's 8 MB, or the run's own endpoint cap as its manifest records it (up to the
// 1 GB a config accepts). A 10 MB line in a default run is skipped unread, in the CLI's reader
// (readRunLog) and the server's (RunSource) alike; in a run whose endpoint allowed 16 MB it is a row.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES } from '../../../src/lib/engine/config.ts';
import { logLineLimit, MAX_LOG_LINE_BYTES, readRunLog, rowToLine } from '../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { RunSource } from '../../../src/lib/runs/run-source.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
	dir = tempDir('covw-log-limit-');
});
afterAll(() => dir.remove());

const row = (unit: string, response: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:00.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
});

/** A finished run with a 10 MB answer between two small ones; its endpoint's cap as given. */
function plantRun(runId: string, maxAnswerBytes?: number): string {
	const runDir = join(dir.path, runId);
	mkdirSync(runDir, { recursive: true });
	const endpoint = { name: 'local', baseURL: 'http://127.0.0.1:9/v1', ...(maxAnswerBytes ? { maxAnswerBytes } : {}) };
	const manifest = {
		run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [endpoint],
		state: 'completed', started_at: '2026-01-01T00:00:00.000Z', sessions: [], finished_at: '2026-01-01T00:00:01.000Z',
		counts: { total: 3, ok: 3, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 },
		cost_usd: null, log_warnings: []
	};
	writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest));
	writeFileSync(join(runDir, 'log.jsonl'), [row('a', 'small'), row('b', 'x'.repeat(10 * 1024 * 1024)), row('c', 'small')].map(rowToLine).join(''));
	return runDir;
}

function serverRead(runId: string): string[] {
	const source = new RunSource(dir.path, runId);
	for (let i = 0; i < 1000 && source.step().more; i++);
	return source.warnings;
}

describe('the log line limit', () => {
	it('is what a row of an answer within the cap can take', () => {
		expect(MAX_LOG_LINE_BYTES).toBe(2 * MAX_ANSWER_BYTES + 65_536);
		expect(logLineLimit(null)).toBe(MAX_LOG_LINE_BYTES);
		expect(logLineLimit({ endpoints: [{ maxAnswerBytes: 16 * 1024 * 1024 }, { maxAnswerBytes: 'lots' }] })).toBe(32 * 1024 * 1024 + 65_536);
		// A manifest cannot claim more than a config accepts.
		expect(logLineLimit({ endpoints: [{ maxAnswerBytes: 1e15 }] })).toBe(2 * 1024 * 1024 * 1024 + 65_536);
	});

	it('a 10 MB line of a run with the default cap is skipped unread', () => {
		const runDir = plantRun('default-cap');
		const read = readRunLog(join(runDir, 'log.jsonl'));
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a', 'c']);
		expect(read.warnings).toEqual([`${join(runDir, 'log.jsonl')}:2: skipped: a line longer than ${MAX_LOG_LINE_BYTES} bytes (not read)`]);
		expect(serverRead('default-cap')).toEqual([expect.stringMatching(new RegExp(`default-cap/log\\.jsonl:2: skipped: a line longer than ${MAX_LOG_LINE_BYTES} bytes`))]);
	});

	it('the same line of a run whose endpoint allowed 16 MB answers is a row', () => {
		const runDir = plantRun('big-cap', 16 * 1024 * 1024);
		const read = readRunLog(join(runDir, 'log.jsonl'));
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a', 'b', 'c']);
		expect(read.warnings).toEqual([]);
		expect(serverRead('big-cap')).toEqual([]);
	});
});
