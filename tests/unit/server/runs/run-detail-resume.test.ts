// The run page's "Resume here" text (issue 13): a plain generation run named by hand (covw run
// --run-id) is not "derived from another run" — it says to resume it with its covw command; a
// self-repair run still says it is derived; an evolve run and its filter steps point to the evolve
// cell or covw evolve; an imported run (and a judge run over it) says its answers are never
// re-sent; a judge run named by hand points to covw judge.
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

function plant(runId: string, kind = 'generation', params: Record<string, unknown> = { kind: 'generation', task: 'completion', model: 'm', selection: {}, samples: 1 }): void {
	mkdirSync(join(dir.path, runId), { recursive: true });
	const at = '2026-01-01T00:00:00.000Z';
	writeFileSync(
		join(dir.path, runId, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind, params, dataset_hash: null, endpoints: [],
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

	const textOf = async (runId: string) => {
		const detail = await runDetail(dir.path, runId, manager, runs);
		expect(detail!.resume).toHaveProperty('unavailable');
		return (detail!.resume as { unavailable: string }).unavailable;
	};

	it('points an evolve run and its filter steps to the evolve cell or covw evolve', async () => {
		plant('evolve-m-0123456789', 'evolve', { kind: 'evolve', model: 'm', strategies: ['depth'], samples: 1 });
		plant('evolve-m-0123456789.realise-0badc0de', 'evolve-realise', { kind: 'evolve-realise', source_run_id: 'evolve-m-0123456789', model: 'm' });
		plant('my-evolve', 'evolve', { kind: 'evolve', model: 'm', strategies: ['depth'], samples: 1 }); // covw evolve --run-id
		for (const id of ['evolve-m-0123456789', 'my-evolve']) {
			const text = await textOf(id);
			expect(text).toContain('covw evolve');
			expect(text).not.toContain('--run-id');
		}
		const step = await textOf('evolve-m-0123456789.realise-0badc0de');
		expect(step).toContain('realise filter step of the evolve run evolve-m-0123456789');
		expect(step).not.toContain('--run-id');
	});

	it('says an imported run, and a judge run over it, are never re-sent', async () => {
		const imported = { file: 'answers.jsonl', sha256: 'ab' };
		plant('import-completion-m-0123456789', 'generation', { kind: 'generation', task: 'completion', model: 'm', imported, samples: 1 });
		plant('import-judge-j-import-completion-m-0123456789-0123456789', 'judge', { kind: 'judge', judge: 'j', template: null, source: { run: 'import-completion-m-0123456789' }, imported });
		for (const id of ['import-completion-m-0123456789', 'import-judge-j-import-completion-m-0123456789-0123456789']) {
			const text = await textOf(id);
			expect(text).toContain('imported from answers.jsonl');
			expect(text).not.toContain('--run-id');
		}
	});

	it('tells a plain repair run named by hand from a self-repair one, and points a judge run named by hand to covw judge', async () => {
		plant('fixes', 'generation', { kind: 'generation', task: 'repair', model: 'm', selection: {}, samples: 1 }); // covw run repair --run-id fixes
		expect(await textOf('fixes')).toContain('covw run --run-id');
		expect(await textOf('fixes')).not.toContain('derived');
		plant('gen-completion-m-0123456789');
		plant('my-verdicts', 'judge', { kind: 'judge', judge: 'j', template: 'zeroshot', source: { run: 'gen-completion-m-0123456789' } });
		const text = await textOf('my-verdicts');
		expect(text).toContain('covw judge --run-id');
		expect(text).toContain('"my-verdicts"');
	});
});
