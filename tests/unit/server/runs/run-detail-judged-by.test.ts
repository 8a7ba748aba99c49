// A run page finds the judge runs over its run from the manifests (the server's run tables hold
// every one), never by reading every run's log: a detail reads its own run's log and nothing else.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { judgeRunsOver, runDetail, runManifests } from '../../../../src/lib/server/runs/run-pages.ts';
import { RunTablesCache } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

function plant(runId: string, kind: string, params: Record<string, unknown>, at: string, log: 'empty' | 'unreadable' = 'empty'): void {
	mkdirSync(join(dir.path, runId), { recursive: true });
	writeFileSync(
		join(dir.path, runId, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind, params, dataset_hash: null, endpoints: [], state: 'completed', started_at: at, sessions: [at], finished_at: at,
			counts: { total: 1, ok: 0, error: 0, unparsed: 0, pending: 1, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	// A log that cannot be read (a folder in its place): reading it throws EISDIR.
	if (log === 'unreadable') mkdirSync(join(dir.path, runId, 'log.jsonl'));
	else writeFileSync(join(dir.path, runId, 'log.jsonl'), '');
}

const gen = { kind: 'generation', task: 'completion', model: 'm', selection: {}, samples: 1 };
const judge = (run: string, name: string) => ({ judge: name, source: { run } });
const runs = null as unknown as ProjectRuns; // nothing here is planned (hand-named ids)
const manager = new RunManager(runs);

function plantProject(unreadableLogs: boolean): void {
	const log = unreadableLogs ? 'unreadable' : 'empty';
	plant('mine', 'generation', gen, '2026-01-01T00:00:00.000Z');
	plant('other', 'generation', gen, '2026-01-01T00:01:00.000Z', log);
	plant('j-rules', 'judge', judge('mine', 'rules'), '2026-01-01T00:03:00.000Z', log);
	plant('j-llm', 'judge', judge('mine', 'llm:local/j'), '2026-01-01T00:02:00.000Z', log);
	plant('j-other', 'judge', judge('other', 'rules'), '2026-01-01T00:04:00.000Z', log);
	plant('j-by-id', 'judge', { judge: 'rules', source: { run_id: 'mine' } }, '2026-01-01T00:05:00.000Z', log);
	mkdirSync(join(dir.path, 'not-a-run')); // no manifest: no run
}

describe('judge runs over a run, from the manifests', () => {
	it('lists them oldest first, from the manifests on disk, reading no other run\'s log', async () => {
		plantProject(true);
		expect(judgeRunsOver(await runManifests(dir.path), 'mine')).toEqual(['j-llm', 'j-rules', 'j-by-id']);
		const detail = await runDetail(dir.path, 'mine', manager, runs);
		expect(detail!.judgedBy).toEqual(['j-llm', 'j-rules', 'j-by-id']);
	});

	it('gives a judge run the generation run it judges from its manifest, not its log', async () => {
		plantProject(false);
		mkdirSync(join(dir.path, 'gen-x'));
		plant('gen-x', 'generation', gen, '2026-01-01T00:00:00.000Z', 'unreadable');
		plant('judge-rules-gen-x', 'judge', judge('gen-x', 'rules'), '2026-01-01T00:06:00.000Z');
		const detail = await runDetail(dir.path, 'judge-rules-gen-x', manager, runs);
		expect(detail!.judgedBy).toEqual([]);
		expect(detail!.overview.source_run).toBe('gen-x');
		// The generation run was found (a plain spec is planned for it; with no project here, that fails with a reason).
		expect(detail!.resume).toHaveProperty('unavailable');
		expect((detail!.resume as { unavailable: string }).unavailable).not.toContain('only runs started from a run cell');
	});

	it('takes them from the server\'s run tables when given, the same list', async () => {
		plantProject(false);
		const tables = new RunTablesCache(dir.path);
		try {
			expect(judgeRunsOver(await runManifests(dir.path, tables), 'mine')).toEqual(['j-llm', 'j-rules', 'j-by-id']);
			const detail = await runDetail(dir.path, 'mine', manager, runs, tables);
			expect(detail!.judgedBy).toEqual(['j-llm', 'j-rules', 'j-by-id']);
			expect((await runDetail(dir.path, 'other', manager, runs, tables))!.judgedBy).toEqual(['j-other']);
		} finally {
			tables.close();
		}
	});
});
