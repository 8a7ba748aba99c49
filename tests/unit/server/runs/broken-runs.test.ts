// One run whose files cannot be read — a log.jsonl that is a link (refused), a 3 GiB log with no
// newline (over what one read may take) — is listed as broken with its reason; the table list,
// the runs list and every other run's rows are served as always (before, every /api/tables,
// /api/runs and /api/run-tables answer was a 500: ERR_OUT_OF_RANGE in readRange).
import { closeSync, mkdirSync, openSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { listRuns, runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { RunTablesCache } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let runsDir: string;
const manager = new RunManager(null as unknown as ProjectRuns);

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
});

function plantRun(runId: string, startedAt: string, rows: ResultRow[] | null): string {
	const runDir = join(runsDir, runId);
	mkdirSync(runDir, { recursive: true });
	writeFileSync(
		join(runDir, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [], state: 'completed',
			started_at: startedAt, sessions: [startedAt], finished_at: '2026-01-01T00:01:00.000Z',
			counts: { total: 2, ok: 2, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 6, out: 8, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	if (rows) writeFileSync(join(runDir, 'log.jsonl'), rows.map(rowToLine).join(''));
	return runDir;
}

beforeAll(() => {
	dir = tempDir('covw-broken-runs-');
	runsDir = join(dir.path, 'runs');
	plantRun('good', '2026-01-01T00:00:00.000Z', [row('a'), row('b')]);
	const secret = join(dir.path, 'secret.jsonl');
	writeFileSync(secret, rowToLine(row('SECRET')));
	symlinkSync(secret, join(plantRun('linked', '2026-01-01T00:00:01.000Z', null), 'log.jsonl'));
	const big = join(plantRun('big', '2026-01-01T00:00:02.000Z', null), 'log.jsonl');
	closeSync(openSync(big, 'w'));
	truncateSync(big, 3 * 1024 ** 3);
});
afterAll(() => dir.remove());

describe('a broken run next to good ones', () => {
	it('the table list, the runs list and the good run\'s rows are served; the broken runs say why', async () => {
		const tables = new RunTablesCache(runsDir);
		try {
			const list = await tables.list();
			const generations = list.find((t) => t.name === 'generations')!;
			expect(generations.rows).toBe(2);
			expect(generations.warnings.join('\n')).toMatch(/linked\/log\.jsonl is a symbolic link: refused/);
			expect(generations.warnings.join('\n')).toMatch(/big\/log\.jsonl:1: skipped an unfinished last line/);
			const bytes = await tables.ipc('generations');
			expect([...tableFromIPC(bytes).getChild('unit_id')!.toArray()]).toEqual(['a', 'b']);
			expect((await tables.status()).tables.runs.rows).toBe(3);

			const runs = await listRuns(tables, manager);
			expect(runs.map((r) => r.run_id)).toEqual(['big', 'linked', 'good']);
			expect(runs.find((r) => r.run_id === 'linked')!.broken).toMatch(/symbolic link: refused/);
			expect(runs.find((r) => r.run_id === 'good')!.broken).toBeUndefined();

			const detail = await runDetail(runsDir, 'linked', manager, null as unknown as ProjectRuns, tables);
			// Said without the server's absolute paths (publicMessage), as the warnings are.
			expect(detail!.overview.broken).toMatch(/log\.jsonl is a symbolic link: refused/);
			expect(detail!.overview.broken).not.toContain(dir.path);
			expect(runs.find((r) => r.run_id === 'linked')!.broken).not.toContain(dir.path);
			expect(detail!.overview.counts.ok).toBe(0);
		} finally {
			tables.close();
		}
	}, 120_000);
});
