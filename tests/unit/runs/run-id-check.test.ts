// Run ids that come from a user (a judge's source run, `covw runs show`, --run-id) are plain ids:
// a path such as ../../outside/x is refused before anything is read or written outside the
// runs folder.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { checkRunId, RunIdError } from '../../../src/lib/engine/run-id.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';
import { fakeContext } from '../cli/fake-context.ts';

let dir: ReturnType<typeof tempDir>;
let runsDir: string;
beforeAll(() => {
	dir = tempDir();
	runsDir = join(dir.path, 'project', 'runs');
	mkdirSync(runsDir, { recursive: true });
	// A generation run OUTSIDE the runs folder, with one answered unit.
	const outside = join(dir.path, 'outside', 'x');
	mkdirSync(outside, { recursive: true });
	writeFileSync(
		join(outside, 'manifest.json'),
		JSON.stringify({ run_id: 'x', kind: 'generation', params: {}, dataset_hash: null, endpoints: [], state: 'completed', started_at: '2025-01-01T00:00:00.000Z', sessions: [], finished_at: null, counts: { total: 1, ok: 1, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: [] })
	);
	writeFileSync(
		join(outside, 'log.jsonl'),
		JSON.stringify({ unit_id: 'u1', sample: 0, status: 'ok', response: 'x = 1', error: null, latency_ms: 1, tokens_in: 1, tokens_out: 1, cached: false, attempts: 1, finished_at: '2025-01-01T00:00:00.000Z', item_id: 'completion/seed/CWE-89/demo/0', model: 'm', task: 'completion', cwe: 'CWE-89', language: 'python', scenario: 's', code: '' }) + '\n'
	);
});
afterAll(() => dir.remove());

describe('run ids from users', () => {
	it('one check: plain ids pass, paths and dots do not', () => {
		expect(checkRunId('gen-completion-local_m-0123456789')).toBe('gen-completion-local_m-0123456789');
		for (const bad of ['../../outside/x', '..', '.hidden', 'a/b', 'a\\b', '', 'x'.repeat(129), '/abs']) {
			expect(() => checkRunId(bad), bad).toThrow(RunIdError);
		}
	});

	it('covw judge refuses a source run outside the runs folder', async () => {
		await expect(runJudge({ runsDir, judge: 'rules', sourceRunId: '../../outside/x', onWarning: () => {} })).rejects.toThrow(/run id/);
		expect(existsSync(join(runsDir, '..', '..', 'outside', 'x', 'lock'))).toBe(false);
	});

	it('covw runs show refuses a path', async () => {
		const ctx = fakeContext(['../../outside/x'], { root: join(dir.path, 'project'), cwd: dir.path });
		await expect(runsShowCommand.run(ctx)).rejects.toThrow(/run id "\.\.\/\.\.\/outside\/x"/);
		expect(ctx.out.join('')).toBe('');
	});

	it('--run-id of a generation or direct run is checked the same way', async () => {
		await expect(runUnits({ runId: '../escape', runsDir, config: testConfig('http://127.0.0.1:9/v1'), units: testUnits(1) })).rejects.toThrow(RunIdError);
		expect(() => writeDirectRun({ runsDir, runId: '../escape', kind: 'judge', params: {}, datasetHash: null, units: [] })).toThrow(RunIdError);
		expect(existsSync(join(runsDir, '..', 'escape'))).toBe(false);
	});
});
