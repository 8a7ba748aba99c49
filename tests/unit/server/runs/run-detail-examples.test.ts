// A run page names each example error by its item (and, for a judge run over generations, the
// target it judged), not by a unit hash alone: a user looks programs up by their ids.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { writeDirectRun } from '../../../../src/lib/runs/direct-run.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

const runs = null as unknown as ProjectRuns;
const manager = new RunManager(runs);

describe('a run page`s error examples', () => {
	it('give the item id of a labelled program, and the target of a judged generation', async () => {
		const items = ['own/mine-100', 'own/mine-101', 'own/mine-200', 'own/mine-201'];
		writeDirectRun({
			runsDir: dir.path,
			runId: 'judge-cppcheck-own',
			kind: 'judge',
			params: { kind: 'judge', judge: 'cppcheck', items: 'own' },
			datasetHash: null,
			units: items.map((item, i) => ({
				id: `unit${i}0000000000000000`,
				sample: 0,
				meta: { target_id: item, item_id: item, judge: 'cppcheck', task: 'reference', cwe: 'CWE-787', language: 'c' },
				// the first is judged; the second the tool fails on; the last two give no verdict
				compute: () =>
					i === 0
						? { status: 'ok' as const, response: null, error: null, fields: { vulnerable: true } }
						: i === 1
							? { status: 'error' as const, response: null, error: 'cppcheck failed: exit 2', fields: { vulnerable: null } }
							: { status: 'unparsed' as const, response: null, error: 'no report', fields: { vulnerable: null } }
			}))
		});
		writeDirectRun({
			runsDir: dir.path,
			runId: 'judge-rules-gen',
			kind: 'judge',
			params: { kind: 'judge', judge: 'rules', source: { run: 'gen-x' } },
			datasetHash: null,
			units: [
				{
					id: 'judgeunit000000000000',
					sample: 2,
					meta: { target_id: 'genunit9bc26976aa', item_id: 'seed/CWE-79-3', judge: 'rules', task: 'completion', cwe: 'CWE-79', language: 'python' },
					compute: () => ({ status: 'error' as const, response: null, error: 'rule judge crashed', fields: { vulnerable: null } })
				}
			]
		});

		const own = (await runDetail(dir.path, 'judge-cppcheck-own', manager, runs))!;
		expect(own.errors.map((g) => [g.reason, g.count])).toEqual([
			['unparsed: no report', 2],
			['cppcheck failed: exit N', 1]
		]);
		const shown = own.errors.map((g) => g.units.map((u) => own.examples[u].item_id));
		expect(shown).toEqual([['own/mine-200', 'own/mine-201'], ['own/mine-101']]);
		// an item's own target is not repeated
		expect(own.examples[own.errors[1].units[0]]).toEqual({ item_id: 'own/mine-101', target_id: null, judge: 'cppcheck', sample: 0 });
		// the judged program (unit 0) is no example
		expect(own.examples['unit00000000000000000']).toBeUndefined();

		const gen = (await runDetail(dir.path, 'judge-rules-gen', manager, runs))!;
		expect(Object.values(gen.examples)).toEqual([{ item_id: 'seed/CWE-79-3', target_id: 'genunit9bc26976aa', judge: 'rules', sample: 2 }]);
	});
});

describe('a labelled judge run`s page', () => {
	it('carries the report `covw runs show` prints, from the same function', async () => {
		const { mkdirSync, writeFileSync } = await import('node:fs');
		const { join } = await import('node:path');
		const { importCommand } = await import('../../../../src/cli/commands/import.ts');
		const { judgeCommand } = await import('../../../../src/cli/commands/judge.ts');
		const { fakeContext } = await import('../../cli/fake-context.ts');
		const { labelledReport } = await import('../../../../src/lib/runs/import/labelled-report.ts');
		const { loadLabelledSet } = await import('../../../../src/lib/runs/import/labelled-set.ts');
		const { listRunIds, readRun } = await import('../../../../src/lib/runs/run-list.ts');
		const root = join(import.meta.dirname, '../../../..');
		const env = { COVW_DATA: join(dir.path, 'datasets'), COVW_RUNS: join(dir.path, 'runs'), COVW_CACHE: join(dir.path, 'cache') };
		mkdirSync(env.COVW_DATA, { recursive: true });
		const file = join(dir.path, 'own.jsonl');
		const programs = [
			{ id: 'a1', pair_id: 'p', cwe: 'CWE-78', language: 'python', label: 'vulnerable', code: 'import os\ndef show(path):\n    os.system("cat " + path)\n' },
			{ id: 'a2', pair_id: 'p', cwe: 'CWE-78', language: 'python', label: 'secure', code: 'import subprocess\ndef show(path):\n    subprocess.run(["cat", path])\n' },
			{ id: 'b1', cwe: 'CWE-89', language: 'python', label: 'secure', code: 'def find(db, n):\n    return db.execute("SELECT 1 WHERE n = ?", (n,))\n' }
		];
		writeFileSync(file, programs.map((p) => JSON.stringify(p)).join('\n') + '\n');
		expect(await importCommand.run(fakeContext(['--labelled', 'own', file], { root, cwd: root, env }))).toBe(0);
		expect(await judgeCommand.run(fakeContext(['--items', 'own', '--judge', 'rules'], { root, cwd: root, env }))).toBe(0);
		const [runId] = listRunIds(env.COVW_RUNS);
		const detail = (await runDetail(env.COVW_RUNS, runId, manager, runs, undefined, env.COVW_DATA))!;
		const expected = labelledReport(readRun(env.COVW_RUNS, runId)!, (await loadLabelledSet(env.COVW_DATA, 'own'))!);
		expect(detail.labelled).toEqual(expected);
		expect(detail.labelled!.set).toBe('own');
		expect(detail.labelled!.judges.map((j) => [j.judge, j.overall.n, j.pairs?.n])).toEqual([['rules', 3, 1]]);
		// without the data folder (or for a run of no labelled set): none
		expect((await runDetail(env.COVW_RUNS, runId, manager, runs))!.labelled).toBeNull();
	}, 60_000);
});
