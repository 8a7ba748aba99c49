// What `covw runs show` and the run page (runDetail, run-pages.ts) say of a run beyond its
// figures: rows whose usage is implausible for their answer (the cost may be inflated: summed,
// not to be trusted), and a run of an old import of the CoV-Eval released results, with the
// command that imports its file again (as the released-results notebook says it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { rowToLine } from '../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import type { ProjectRuns } from '../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../src/lib/server/runs/run-manager.ts';
import { listRuns, runDetail } from '../../../src/lib/server/runs/run-pages.ts';
import { RunTablesCache } from '../../../src/lib/server/runs/run-tables-cache.ts';
import { compactRun } from '../../../src/lib/engine/compact-run.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

const ROOT = resolve(__dirname, '../../..');
let work: ReturnType<typeof tempDir>;
let runsDir: string;
const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env: { COVW_RUNS: runsDir, COVW_DATA: join(work.path, 'data') } });
const projectRuns = null as unknown as ProjectRuns;
const AT = '2026-01-01T00:00:00.000Z';

const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: 'def f():\n    return 1\n', error: null, latency_ms: 5, tokens_in: 30, tokens_out: 8,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:01.000Z', meta: { item_id: `item-${unit}` }, ...extra
});

function plant(runId: string, kind: string, params: Record<string, unknown>, rows: ResultRow[], endpoints: unknown[] = []): void {
	mkdirSync(join(runsDir, runId), { recursive: true });
	writeFileSync(join(runsDir, runId, 'manifest.json'), JSON.stringify({
		run_id: runId, kind, params, dataset_hash: null, endpoints, state: 'completed', started_at: AT, sessions: [AT], finished_at: AT,
		counts: { total: rows.length, ok: rows.length, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	}));
	writeFileSync(join(runsDir, runId, 'log.jsonl'), rows.map(rowToLine).join(''));
}

async function show(runId: string): Promise<{ text: string; json: Record<string, unknown> }> {
	const c = ctx([runId]);
	expect(await runsShowCommand.run(c), c.err.join('')).toBe(0);
	const j = ctx([runId, '--json']);
	expect(await runsShowCommand.run(j)).toBe(0);
	return { text: c.out.join(''), json: JSON.parse(j.out.join('')) };
}

const imported = (file: string) => ({ file, sha256: 'a'.repeat(64), format: 'coveval-released' });

beforeAll(() => {
	work = tempDir('covw-run-notes-');
	runsDir = join(work.path, 'runs');
	const priced = [{ name: 'evil', models: { m: { prices: { inputPer1M: 1, outputPer1M: 2 } } } }];
	plant('gen-inflated', 'generation', { kind: 'generation', task: 'completion', model: 'evil/m' }, [
		row('a'),
		row('b', { tokens_out: 10_000_000 }),
		row('c', { tokens_out: 9_000_000, meta: { item_id: 'item-c', usage_implausible: true } })
	], priced);
	plant('gen-honest', 'generation', { kind: 'generation', task: 'completion', model: 'evil/m' }, [row('a'), row('b')], priced);
	plant('import-completion-m', 'generation', { kind: 'generation', task: 'completion', model: 'llama3.1-8b-instruct', imported: imported('llama3.1-8b-instruct.json') }, [row('a')]);
	const judge = { kind: 'judge', template: 'fewshot', source: { run: 'import-completion-m' } };
	plant('judge-old', 'judge', { ...judge, judge: 'openai/gpt-4o', imported: imported('llama3.1-8b-instruct.json') }, [row('a', { meta: { item_id: 'item-a', verdict: 'vulnerable' } })]);
	plant('judge-new', 'judge', { ...judge, judge: 'openai/gpt-4o', imported: imported('llama3.1-8b-instruct.json'), carried: 2, reading: 'gpt-4o answer, strict parser' }, [row('a')]);
	plant('judge-harness-legacy', 'judge', { ...judge, template: 'zeroshot', judge: 'openai/gpt-4o · harness reading', imported: imported("evil'; rm -rf ~ #.json"), reading: 'vul_eval (upstream harness)' }, [row('a')]);
});
afterAll(() => work.remove());

describe('usage implausible', () => {
	it('runs show: the summed figures stay, with the rows counted and the cost said to be untrustworthy', async () => {
		const { text, json } = await show('gen-inflated');
		expect(text).toContain('tokens        90 in / 19000008 out');
		expect(text).toMatch(/cost +\$38\.0001/);
		expect(text).toContain('usage implausible on 2 rows: the endpoint reported more tokens than the answer or prompt could take');
		expect(text).toContain('may be inflated: the figures are not to be trusted');
		expect(json.usage_implausible_rows).toBe(2);
		const honest = await show('gen-honest');
		expect(honest.text).not.toContain('implausible');
		expect(honest.json.usage_implausible_rows).toBe(0);
	});

	it('the runs list (from the run tables, log and compacted table alike) counts them, beside each cost', async () => {
		const count = async () => Object.fromEntries((await listRuns(new RunTablesCache(runsDir), new RunManager(projectRuns), ['gen-inflated', 'gen-honest'])).map((r) => [r.run_id, r.usage_implausible]));
		expect(await count()).toEqual({ 'gen-inflated': 2, 'gen-honest': 0 });
		// Compacted: the count is in the table's summary metadata.
		compactRun(join(runsDir, 'gen-inflated'), 'gen-inflated');
		expect(await count()).toEqual({ 'gen-inflated': 2, 'gen-honest': 0 });
	});

	it('the run page\'s detail counts them', async () => {
		expect((await runDetail(runsDir, 'gen-inflated', new RunManager(projectRuns), projectRuns))!.usage_implausible).toBe(2);
		expect((await runDetail(runsDir, 'gen-honest', new RunManager(projectRuns), projectRuns))!.usage_implausible).toBe(0);
	});
});

describe('an old import of the released results', () => {
	const COMMAND = 'npm run covw -- import path/to/CoV-Eval/results/code_completion/llama3.1-8b-instruct.json';

	it('runs show says so; its file already imported again (judge-new beside it): names that run, no "import again"', async () => {
		const { text, json } = await show('judge-old');
		expect(text).toContain('old import    this run is an old import of the CoV-Eval released results: this judge run is named openai/gpt-4o but holds vul_eval');
		expect(text).toContain("its file has been imported again (today's judge runs: judge-new): this old run can be removed");
		expect(text).not.toContain('to import its file again');
		expect((json.old_import as { command: string; newer: string[] }).newer).toEqual(['judge-new']);
		expect((json.old_import as { command: string }).command).toBe(COMMAND);
	});

	it('the run page\'s detail carries the same words; an import made since, and any other run, none', async () => {
		const detail = await runDetail(runsDir, 'judge-old', new RunManager(projectRuns), projectRuns);
		expect(detail!.old_import).toEqual({ what: expect.stringMatching(/^an old import of the CoV-Eval released results: this judge run is named openai\/gpt-4o but holds vul_eval/), command: COMMAND, newer: ['judge-new'] });
		for (const id of ['judge-new', 'import-completion-m', 'gen-honest']) {
			expect((await runDetail(runsDir, id, new RunManager(projectRuns), projectRuns))!.old_import).toBeNull();
			expect((await show(id)).text).not.toContain('old import');
		}
	});

	it('a harness-reading run carried before no-code answers were kept from verdicts, its file not imported again: the command to import it, its file name quoted for the shell', async () => {
		const { text } = await show('judge-harness-legacy');
		expect(text).toContain("to import its file again (today's judge runs are written beside this one, which stays until you remove it)");
		expect(text).toContain('old import    this run is an old import of the CoV-Eval released results: its verdicts were carried before answers with no code were kept from verdicts');
		expect(text).toContain(`npm run covw -- import 'path/to/CoV-Eval/results/vulnerability_repair/evil'\\''; rm -rf ~ #.json'`);
	});
});
