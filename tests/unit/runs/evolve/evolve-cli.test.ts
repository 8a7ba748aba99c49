// `covw evolve` in process against the test double (OPENAI_BASE_URL, as a user's endpoint):
// the run, the filter summary, the evolved set on disk with lineage, and that set used by a
// completion run like a built-in set. Bad input: unknown strategy, empty seed set.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evolveCommand } from '../../../../src/cli/commands/evolve.ts';
import { runCommand } from '../../../../src/cli/commands/run.ts';
import { CliError } from '../../../../src/cli/command.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { fakeContext } from '../../cli/fake-context.ts';

const ROOT = resolve(__dirname, '../../../..');
let server: TestServer;
let work: ReturnType<typeof tempDir>;
let itemsFile: string;
let env: Record<string, string>;
let completionRunId = '';

beforeAll(async () => {
	server = await startTestServer({ vulEvol: true });
	work = tempDir('covw-evolve-cli-');
	itemsFile = join(work.path, 'seeds.arrow');
	await writeItemsArrow(itemsFile, EVOLVE_SEEDS);
	env = {
		OPENAI_BASE_URL: server.url,
		OPENAI_API_KEY: 'sk-test-evolve-cli',
		COVW_RUNS: join(work.path, 'runs'),
		COVW_CACHE: join(work.path, 'cache'),
		COVW_DATA: join(work.path, 'data')
	};
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env });

describe('covw evolve', () => {
	it('evolves, filters, and writes the accepted scenarios as an evolved item set', async () => {
		const c = ctx(['--model', 'test-model', '--items-file', itemsFile, '--secure', 'both', '--name', 'td-set']);
		const status = await evolveCommand.run(c);
		const out = c.out.join('');
		expect(status, c.err.join('')).toBe(0);
		expect(out).toMatch(/evolve run evolve-default_test-model-[0-9a-f]{10}: completed/);
		expect(out).toMatch(/12 candidate\(s\) from 3 seed\(s\) × 4 strategy/);
		expect(out).toMatch(/answer +pass 10, fail 2/);
		expect(out).toMatch(/accepted 2: evolved set/);
		const dir = join(work.path, 'data/evolved/td-set');
		const lines = readFileSync(join(dir, 'evolved_td_set_lineage.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines.length).toBe(2);
		// Its own set, never the paper's 270-item "vul-evol".
		expect(lines[0]).toMatchObject({ task: 'completion', set: 'evolved-td-set', cwe: 'CWE-89', language: 'python' });
		expect(lines[0].item_id).toMatch(/^completion\/evolved-td-set\/CWE-89\/td-users-1\/0-constraints-0$/);
		expect(lines[0]).toMatchObject({ seed_id: EVOLVE_SEEDS[0].item_id, strategy: 'constraints', sample: 0, induces: 'pass' });
		expect(lines[0].differs_reason).toMatch(/^distance to the seed 0\.\d+$/);
		// Every candidate, accepted or not, in the data folder's filter table (one line per candidate).
		const filters = readFileSync(join(work.path, 'data/evolved/vul_evol_filters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(filters.length).toBe(12);
		expect(filters.filter((f) => f.accepted).length).toBe(2);
		expect(filters[0].set).toBe('td-set');
		expect(lines[0].code).toContain('-copilot next line-');

		// The data folder serves the set, its lineage and the filter table as SQL tables, without errors.
		const { DataFolder } = await import('../../../../src/lib/node/datasets/data-folder.ts');
		const tables = await new DataFolder(join(work.path, 'data')).scan();
		expect(tables.map((t) => [t.name, t.rows, t.error ?? null])).toEqual([
			['evolved_td_set', 2, null],
			['evolved_td_set_lineage', 2, null],
			['vul_evol_filters', 12, null]
		]);

		// The set is an items table a completion run reads like the built-in ones.
		await expect(runCommand.run(ctx(['completion', '--model', 'test-model', '--evolved', 'no-such-set']))).rejects.toThrow(/no evolved set "no-such-set".*covw evolve --name no-such-set/);
		const run = ctx(['completion', '--model', 'test-model', '--evolved', 'td-set', '--set', 'vul-evol']);
		expect(await runCommand.run(run), run.err.join('')).toBe(0);
		expect(run.out.join('')).toMatch(/2 item\(s\), 2 unit\(s\): ok 2/);
		completionRunId = /run (\S+): completed/.exec(run.out.join(''))![1];
	}, 60_000);

	it('notebooks/vul-evol.md runs on what it wrote: every cell ok, the funnel and the secure rate', async () => {
		const { runJudge } = await import('../../../../src/lib/runs/judge-run.ts');
		const { notebookRunCommand } = await import('../../../../src/cli/commands/notebook.ts');
		await runJudge({ runsDir: env.COVW_RUNS, judge: 'rules', sourceRunId: completionRunId, onWarning: () => {} });
		// A second rule-judge run over the same completions: sr1 still counts each program once.
		await runJudge({ runsDir: env.COVW_RUNS, judge: 'rules', sourceRunId: completionRunId, runId: 'judge-rules-again', onWarning: () => {} });
		const c = fakeContext(['notebooks/vul-evol.md', '--json'], { root: ROOT, cwd: ROOT, env });
		const status = await notebookRunCommand.run(c);
		const cells = JSON.parse(c.out.join('')).cells as { id: string; status: string; rows: Record<string, unknown>[]; error?: unknown }[];
		expect(cells.filter((x) => x.status !== 'ok').map((x) => ({ id: x.id, error: x.error }))).toEqual([]);
		expect(status).toBe(0);
		const rows = (id: string) => cells.find((x) => x.id === id)!.rows;
		const total = (col: string) => rows('funnel').reduce((a, r) => a + Number(r[col]), 0);
		expect([total('candidates'), total('is_scenario'), total('parses_as_code'), total('differs_from_seed'), total('realisable'), total('likely_to_induce'), total('not_already_secure'), total('filter_survivors'), total('human_accepted'), total('in_set'), total('unreviewed')]).toEqual([12, 10, 10, 8, 7, 5, 2, 2, 0, 2, 2]);
		// The plot has a bar for every filter (the last, "not already secure", too) and for what went into the set:
		// no vote yet, so human_accepted is 0 while both survivors are in the set.
		const steps = (step: string) => rows('funnel_long').filter((r) => r.step === step).reduce((a, r) => a + Number(r.n), 0);
		expect(['parses_as_code', 'likely_to_induce', 'not_already_secure', 'human_accepted', 'in_set'].map(steps)).toEqual([10, 5, 2, 0, 2]);
		// No human label yet: the labels table is there, empty, and every survivor is unreviewed.
		expect(rows('acceptance').map((r) => [r.survivors, r.human_accepted, r.unreviewed, r.votes])).toEqual([
			[1, 0, 1, 0],
			[1, 0, 1, 0]
		]);
		expect(rows('reject_reasons')).toEqual([]);
		expect(rows('why').find((r) => r.first_filter === 'answer' && String(r.reason).startsWith('no_code'))?.n).toBe(1);
		expect(rows('lengths').find((r) => r.scenarios === 'filter survivors')).toMatchObject({ n: 2, seed_imports: 1, evolved_imports: 1 });
		// The double completes both accepted scenarios with a concatenated query: the rule judge finds both vulnerable.
		// SR@1 in %, over the 2 items, with a Wilson interval (0 of 2: [0, 65.8]).
		expect(rows('sr1')).toEqual([{ model: 'default/test-model', scenarios: 'evolved-td-set', items: 2, judged: 2, sr1: 0, low: 0, high: 65.8 }]);
	}, 120_000);

	it('covw export sft reads the evolved set a completion run over --evolved names (no --items-file)', async () => {
		const { writeDirectRun } = await import('../../../../src/lib/runs/direct-run.ts');
		const { readRun } = await import('../../../../src/lib/runs/run-list.ts');
		const { exportSftCommand } = await import('../../../../src/cli/commands/export.ts');
		const gen = readRun(env.COVW_RUNS, completionRunId)!;
		expect(gen.rows.every((r) => String(r.meta.item_id).startsWith('completion/evolved-td-set/'))).toBe(true);
		// A judge run that finds every completion secure, so SC-IFT needs each row's item (its prompt).
		writeDirectRun({
			runsDir: env.COVW_RUNS, runId: 'all-secure-judge', kind: 'judge', params: { kind: 'judge', judge: 'planted', source: { run: completionRunId } }, datasetHash: null,
			units: gen.rows.map((r, i) => ({
				id: `all-secure-${i}`, sample: r.sample,
				meta: { target_id: r.unit_id, item_id: String(r.meta.item_id), judge: 'planted', source_run_id: completionRunId },
				compute: () => ({ status: 'ok' as const, response: null, error: null, fields: { vulnerable: false } })
			}))
		});
		const unrelated = join(work.path, 'unrelated-test-items.arrow');
		await writeItemsArrow(unrelated, [{ ...EVOLVE_SEEDS[0], item_id: 'reference/planted/CWE-89/x/0', code: 'int main(void) { return 0; }' }]);
		const c = ctx(['--kind', 'sc-ift', '--run', completionRunId, '--judges', 'all-secure-judge', '--test-items', unrelated, '--out', 'evolved-sc.jsonl']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(c.out.join('')).toMatch(/2 program\(s\): secure by every judge 2/);
		const lines = readFileSync(join(work.path, 'evolved-sc.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines.length).toBeGreaterThan(0);
		// The prompt is built from the evolved scenario (it keeps the completion marker).
		expect(lines[0].messages[0].content).toContain('-copilot next line-');
	}, 60_000);

	it('the funnel counts each candidate once: --limit then the whole seed set under one name, and a second set', async () => {
		const { notebookRunCommand } = await import('../../../../src/cli/commands/notebook.ts');
		const evolve = async (args: string[]) => {
			const c = ctx(['--model', 'test-model', '--items-file', itemsFile, '--secure', 'both', ...args]);
			expect(await evolveCommand.run(c), c.err.join('')).toBe(0);
		};
		await evolve(['--name', 'td-set', '--limit', '1']);
		await evolve(['--name', 'td-set']);
		await evolve(['--name', 'td-other', '--limit', '1']);
		const table = readFileSync(join(work.path, 'data/evolved/vul_evol_filters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		// Per set, only the run that last built it: td-set's 12 (not 4 + 12), td-other's 4.
		expect(table.filter((r) => r.set === 'td-set').length).toBe(12);
		expect(table.filter((r) => r.set === 'td-other').length).toBe(4);
		expect(table.every((r) => typeof r.written_at === 'string')).toBe(true);
		const c = fakeContext(['notebooks/vul-evol.md', '--json'], { root: ROOT, cwd: ROOT, env });
		expect(await notebookRunCommand.run(c)).toBe(0);
		const cells = JSON.parse(c.out.join('')).cells as { id: string; status: string; rows: Record<string, unknown>[] }[];
		const rows = (id: string) => cells.find((x) => x.id === id)!.rows;
		const total = (col: string) => rows('funnel').reduce((a, r) => a + Number(r[col]), 0);
		// The 4 candidates of td-other are 4 of td-set's 12: still 12 candidates, 2 survivors.
		expect([total('candidates'), total('filter_survivors')]).toEqual([12, 2]);
		expect(rows('funnel').map((r) => Number(r.candidates))).toEqual([3, 3, 3, 3]);
		expect(rows('acceptance').reduce((a, r) => a + Number(r.survivors), 0)).toBe(2);
	}, 120_000);

	it('says what is wrong with bad input', async () => {
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--strategy', 'harder']))).rejects.toThrow(/unknown strategy "harder"/);
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--set', 'repair']))).rejects.toThrow(CliError);
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--set', 'repair']))).rejects.toThrow(/seed set is empty/);
		expect(existsSync(join(work.path, 'runs'))).toBe(true);
	});

	it('refuses a set name or run id that is a path before sending anything', async () => {
		const before = server.requests.length;
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--name', '../../x']))).rejects.toThrow(/--name "\.\.\/\.\.\/x" must be .* not a path/);
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--run-id', 'a/b']))).rejects.toThrow(/--run-id "a\/b" must be/);
		// Its filter steps' runs add ".realise-<8 hex>": a run id that leaves no room is refused too.
		await expect(evolveCommand.run(ctx(['--model', 'test-model', '--items-file', itemsFile, '--run-id', 'r'.repeat(120)]))).rejects.toThrow(/--run-id with its filter steps' suffix/);
		expect(server.requests.length).toBe(before);
	});
});

describe('covw evolve and covw export sft on Deno (bin/covw.js, narrow permissions)', () => {
	it('evolves into the runs folder and the data folder, and exports to the --out folder', async () => {
		const { runCovw } = await import('../../../support/covw-process.ts');
		const denoEnv = { ...env, COVW_RUNS: join(work.path, 'deno-runs'), COVW_DATA: join(work.path, 'deno-data') };
		const evolved = await runCovw(['evolve', '--model', 'test-model', '--items-file', itemsFile, '--name', 'deno-set'], { cwd: work.path, env: denoEnv });
		expect(evolved.stderr).not.toMatch(/PermissionDenied|NotCapable|Requires .* access/);
		expect(evolved.status, evolved.stderr).toBe(0);
		expect(evolved.stdout).toMatch(/accepted 4: evolved set/); // --secure rules: the two LLM-only "already secure" answers are not asked
		expect(existsSync(join(work.path, 'deno-data/evolved/deno-set/evolved_deno_set.arrow'))).toBe(true);
		const labelled = join(work.path, 'labelled.jsonl');
		writeFileSync(labelled, JSON.stringify({ id: 'own-1', code: 'import os\nos.system("ls " + input())\n', language: 'python', cwe: 'CWE-78', label: 'vulnerable' }) + '\n');
		const exported = await runCovw(
			['export', 'sft', '--kind', 'vd-ift', '--labelled', labelled, '--test-items', itemsFile, '--out', join(work.path, 'sft/out.jsonl')],
			{ cwd: work.path, env: denoEnv }
		);
		expect(exported.stderr).not.toMatch(/PermissionDenied|NotCapable|Requires .* access/);
		expect(exported.status, exported.stderr).toBe(0);
		expect(JSON.parse(readFileSync(join(work.path, 'sft/out.jsonl'), 'utf8')).messages[1].content).toMatch(/^Yes\. The code is vulnerable to CWE-78/);
	}, 120_000);
});
