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
