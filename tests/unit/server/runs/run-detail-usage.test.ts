// A run page counts the rows whose endpoint sent a usage that is no count (flagged when the
// answer came in, or negative/absurd counts in a log written before the check): the page says
// "usage unreadable on N rows: tokens and cost are lower bounds".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

const runs = null as unknown as ProjectRuns;
const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: 'x', error: null, latency_ms: 5, tokens_in: 30, tokens_out: 40,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:01.000Z', meta: { item_id: `item-${unit}` }, ...extra
});

describe('run detail: usage unreadable', () => {
	it('counts flagged rows and rows with counts no answer has, and only those', async () => {
		const at = '2026-01-01T00:00:00.000Z';
		mkdirSync(join(dir.path, 'gen-u'), { recursive: true });
		writeFileSync(join(dir.path, 'gen-u', 'manifest.json'), JSON.stringify({
			run_id: 'gen-u', kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'm', selection: {}, samples: 1 }, dataset_hash: null, endpoints: [], state: 'completed', started_at: at, sessions: [at], finished_at: at,
			counts: { total: 4, ok: 4, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		}));
		const rows = [
			row('a'),
			row('b', { tokens_in: null, tokens_out: null, meta: { item_id: 'item-b', usage_invalid: true } }),
			row('c', { tokens_in: -54000000, tokens_out: -270 }),
			row('d', { tokens_in: null, tokens_out: null })
		];
		writeFileSync(join(dir.path, 'gen-u', 'log.jsonl'), rows.map(rowToLine).join(''));
		const detail = await runDetail(dir.path, 'gen-u', new RunManager(runs), runs);
		expect(detail!.usage_unreadable).toBe(2);
	});
});
