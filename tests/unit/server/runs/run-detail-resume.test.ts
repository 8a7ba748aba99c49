// The run page's "Resume here" text (issue 13): a plain generation run named by hand (covw run
// --run-id) is not "derived from another run" — it says to resume it with its covw command; a
// self-repair run still says it is derived.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

function plant(runId: string): void {
	mkdirSync(join(dir.path, runId), { recursive: true });
	const at = '2026-01-01T00:00:00.000Z';
	writeFileSync(
		join(dir.path, runId, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'm', selection: {}, samples: 1 }, dataset_hash: null, endpoints: [],
			state: 'completed', started_at: at, sessions: [at], finished_at: at, counts: { total: 1, ok: 0, error: 0, unparsed: 0, pending: 1, cached: 0 },
			tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	writeFileSync(join(dir.path, runId, 'log.jsonl'), '');
}

// Neither run is planned (no plain spec names them), so no project is needed.
const runs = null as unknown as ProjectRuns;
const manager = new RunManager(runs);

describe('resume text on the run page', () => {
	it('tells a hand-named CLI run from a derived one', async () => {
		plant('live-e');
		plant('self-repair-m-0123456789');
		const named = await runDetail(dir.path, 'live-e', manager, runs);
		expect(named!.resume).toHaveProperty('unavailable');
		const text = (named!.resume as { unavailable: string }).unavailable;
		expect(text).not.toContain('derived');
		expect(text).toContain('--run-id');
		const derived = await runDetail(dir.path, 'self-repair-m-0123456789', manager, runs);
		expect((derived!.resume as { unavailable: string }).unavailable).toContain('derived from another run');
	});
});
