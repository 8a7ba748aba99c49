// An evolve run cell end to end against the TEST DOUBLE (its Vul-Evol answers, not a model):
// opening the notebook sends nothing and the cell is an empty view with the filter columns;
// starting the cell through the server's RunManager runs the evolution and its filters as
// `covw evolve` does (the run, its evolved set, its rows in vul_evol_filters); the cell's view
// then holds the run's candidates with every filter outcome.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../../src/lib/notebook/format.ts';
import { parseRunSpec } from '../../../../src/lib/notebook/run-spec.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { runNotebookHeadless } from '../../../../src/lib/node/headless/run-notebook.ts';
import { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager, type RunEvent } from '../../../../src/lib/server/runs/run-manager.ts';
import { Labelling } from '../../../../src/lib/server/labels/labelling.ts';
import { runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const root = resolve(__dirname, '../../../..');
const CELL = '{"task": "evolve", "model": "test-model", "set": ["seed"], "strategies": ["constraints", "reasoning"], "n": 1, "secure": "both"}';
const NOTEBOOK =
	'```run id=evo\n' + CELL + '\n```\n\n' +
	"```sql id=kept\nSELECT strategy, count(*)::INT AS candidates, count(*) FILTER (WHERE accepted)::INT AS accepted FROM evo GROUP BY strategy ORDER BY strategy\n```\n";

let server: TestServer;
let work: { path: string; remove: () => void };
let runs: ProjectRuns;

beforeAll(async () => {
	server = await startTestServer({ vulEvol: true });
	work = tempDir('covw-evolve-cell-');
	cpSync(join(root, 'datasets/templates'), join(work.path, 'datasets/templates'), { recursive: true });
	mkdirSync(join(work.path, 'data/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'data/coveval/items.arrow'), itemsToArrowStream(EVOLVE_SEEDS));
	runs = new ProjectRuns({
		root: work.path,
		runsDir: join(work.path, 'runs'),
		cacheDir: join(work.path, 'cache'),
		dataDir: join(work.path, 'data'),
		env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-evolve-cell-test' }
	});
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const open = () => runNotebookHeadless({ notebook: 'evolve.md', text: NOTEBOOK, dataRoot: join(work.path, 'data'), runs: { runsDir: join(work.path, 'runs'), host: runs } });

describe('evolve run cell', () => {
	it('opens as an empty view of the filter columns and sends nothing; started, it shows the run`s candidates', async () => {
		const before = await open();
		expect(before.cells.map((c) => [c.id, c.status, c.rowCount])).toEqual([['evo', 'ok', 0], ['kept', 'ok', 0]]);
		expect(before.cells[0].columns.map((c) => c.name)).toEqual(expect.arrayContaining(['seed_id', 'strategy', 'scenario', 'differs_reason', 'induces', 'not_secure', 'accepted']));
		expect(server.requests).toHaveLength(0);

		const manager = new RunManager(runs);
		const started = await manager.start(parseRunSpec(CELL).spec!);
		let event: RunEvent = started;
		for (let i = 0; i < 600 && event.state === 'running'; i++) {
			await new Promise((r) => setTimeout(r, 50));
			event = manager.get(started.plan.generationRunId)!;
		}
		expect(event.state).toBe('completed');
		const runId = started.plan.generationRunId;
		expect(started.plan.kind).toBe('evolve');
		// What `covw evolve` writes: the filter table in the run, the evolved set named by the run.
		expect(existsSync(join(work.path, 'runs', runId, 'filters.jsonl'))).toBe(true);
		expect(existsSync(join(work.path, 'data/evolved/vul_evol_filters.jsonl'))).toBe(true);

		const after = await open();
		const evo = after.cells[0];
		// 3 seeds × 2 strategies, one row per candidate whatever its filters said.
		expect(evo.rowCount).toBe(6);
		expect(new Set(evo.rows.map((r) => r.run_id))).toEqual(new Set([runId]));
		expect(after.cells[1].rows).toEqual([
			{ strategy: 'constraints', candidates: 3, accepted: evo.rows.filter((r) => r.strategy === 'constraints' && r.accepted).length },
			{ strategy: 'reasoning', candidates: 3, accepted: evo.rows.filter((r) => r.strategy === 'reasoning' && r.accepted).length }
		]);
		// Both ways: some candidates kept, some dropped with a reason.
		expect(evo.rows.some((r) => r.accepted === true)).toBe(true);
		expect(evo.rows.some((r) => r.accepted === false && typeof r.answer_reason === 'string')).toBe(true);

		// Again: the plan names the same run, and starting it resumes without sending anything.
		const sent = server.requests.length;
		expect((await runs.plan(parseRunSpec(CELL).spec!)).generationRunId).toBe(runId);
		await runs.start(parseRunSpec(CELL).spec!, {});
		expect(server.requests.length).toBe(sent);

		// Human review, as `covw evolve --review auto`: once an annotator rejected the survivor, a
		// restart of the cell (nothing re-sent) rebuilds the set without it — here: no set at all.
		const survivors = evo.rows.filter((r) => r.accepted === true).map((r) => String(r.candidate_id));
		const setFile = join(work.path, 'data/evolved', runId, `evolved_${runId.replace(/[^A-Za-z0-9_]/g, '_')}.arrow`);
		expect(survivors).toHaveLength(1);
		expect(existsSync(setFile)).toBe(true);
		const labelling = new Labelling(join(work.path, 'data'), async () => runTablesIPC(join(work.path, 'runs')).verdicts, null, join(work.path, 'runs'));
		await labelling.give({ target_id: survivors[0], annotator: 'Ann', answer: 'reject', reason: 'unlikely_cwe' });
		await runs.start(parseRunSpec(CELL).spec!, {});
		expect(server.requests.length).toBe(sent);
		expect(existsSync(setFile)).toBe(false);
	}, 120_000);
});
