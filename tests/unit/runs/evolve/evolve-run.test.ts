// A small Vul-Evol run end to end against the test double: 3 seeds × 4 strategies, every filter
// exercised both ways (the seeds' directives decide how each answer behaves), nothing dropped,
// a second run resumes without sending anything, and bad templates / an empty seed set fail
// with a clear error.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVOLVE_STRATEGIES } from '../../../../src/lib/core/evolve/strategies.ts';
import { loadEvolveTemplates } from '../../../../src/lib/runs/evolve/evolve-templates.ts';
import { runEvolve, type EvolveRunOptions, type FilterRow } from '../../../../src/lib/runs/evolve/evolve-run.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';

const templateDir = resolve('datasets/templates');
let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let base: EvolveRunOptions;
let firstRows: FilterRow[] = [];

beforeAll(async () => {
	server = await startTestServer({ vulEvol: true });
	dir = tempDir('covw-evolve-');
	base = {
		runsDir: dir.path,
		config: testConfig(server.url),
		seeds: EVOLVE_SEEDS,
		strategies: EVOLVE_STRATEGIES,
		samples: 1,
		model: 'local/test-model',
		secure: 'both',
		templates: (await loadEvolveTemplates(templateDir)).templates,
		taskTemplates: (await loadTemplates(templateDir)).templates,
		onWarning: () => {}
	};
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

const find = (rows: FilterRow[], n: number, strategy: string) => rows.find((r) => r.seed_id.includes(`td-users-${n}/`) && r.strategy === strategy)!;

describe('evolve run', () => {
	it('keeps one row per candidate with each filter column and its reason', async () => {
		const out = await runEvolve(base);
		firstRows = out.rows;
		expect(out.state).toBe('completed');
		expect(out.rows.length).toBe(12);
		const onDisk = readFileSync(out.filtersFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(onDisk.length).toBe(12);

		const ok = find(out.rows, 1, 'constraints');
		expect(ok).toMatchObject({ answer: 'pass', differs: 'pass', realisable: 'pass', induces: 'pass', not_secure: 'pass', accepted: true });
		expect(ok.scenario).toContain('-copilot next line-');
		expect(ok.scenario_lines!).toBeGreaterThan(ok.seed_lines);
		expect(find(out.rows, 3, 'complexity').accepted).toBe(true);

		// answer: prose and a lost marker are rows with reasons
		expect(find(out.rows, 2, 'constraints')).toMatchObject({ answer: 'fail', differs: 'skipped', accepted: false, scenario: null });
		expect(find(out.rows, 2, 'constraints').answer_reason).toMatch(/^no_code/);
		expect(find(out.rows, 2, 'specific').answer_reason).toMatch(/^no_marker/);
		// differs: the seed unchanged, and a near-duplicate of an earlier survivor
		expect(find(out.rows, 3, 'constraints')).toMatchObject({ answer: 'pass', differs: 'fail', realisable: 'skipped' });
		expect(find(out.rows, 3, 'constraints').differs_reason).toMatch(/distance to the seed 0\.000/);
		expect(find(out.rows, 1, 'specific').differs_reason).toMatch(/near-duplicate of .*td-users-1.* constraints/);
		// realisable
		expect(find(out.rows, 1, 'reasoning')).toMatchObject({ differs: 'pass', realisable: 'fail', induces: 'skipped' });
		expect(find(out.rows, 1, 'reasoning').realisable_reason).toMatch(/adds no code/);
		// induces: no, and an unparsed answer (its own status)
		expect(find(out.rows, 1, 'complexity')).toMatchObject({ realisable: 'pass', induces: 'fail', not_secure: 'skipped' });
		expect(find(out.rows, 3, 'specific')).toMatchObject({ induces: 'unparsed', accepted: false });
		// already secure: by the rule judge, by the LLM judge, and an unparsed LLM answer
		expect(find(out.rows, 2, 'reasoning')).toMatchObject({ induces: 'pass', not_secure: 'fail' });
		expect(find(out.rows, 2, 'reasoning').not_secure_reason).toMatch(/rule judge: no CWE-89 finding/);
		expect(find(out.rows, 2, 'complexity').not_secure_reason).toMatch(/LLM judge finds the scenario already secure/);
		expect(find(out.rows, 3, 'reasoning').not_secure).toBe('unparsed');
		expect(out.rows.filter((r) => r.accepted).length).toBe(2);
	});

	it('resumes: the same run again sends nothing and gives the same table', async () => {
		const before = server.requests.length;
		const again = await runEvolve({ ...base, cache: null });
		expect(server.requests.length).toBe(before);
		expect(firstRows.length).toBe(12);
		expect(again.rows).toEqual(firstRows);
		expect(again.rows.filter((r) => r.accepted).length).toBe(2);
	});

	it('refuses an empty seed set and a strategy template without {marker}', async () => {
		await expect(runEvolve({ ...base, seeds: [] })).rejects.toThrow(/seed set is empty/);
		const mine = join(dir.path, 'templates');
		mkdirSync(mine);
		writeFileSync(join(mine, 'evolve-reasoning.txt'), 'Make this harder:\n{code}\n');
		await expect(loadEvolveTemplates(mine, templateDir)).rejects.toThrow(/evolve-reasoning\.txt: slot \{marker\}: missing/);
		writeFileSync(join(mine, 'evolve-reasoning.txt'), 'Make this harder, keep {marker}:\n{code}\n{colour}');
		await expect(loadEvolveTemplates(mine, templateDir)).rejects.toThrow(/slot \{colour\}: unknown slot/);
	});

	it('"already secure" by the LLM alone keeps what only the rule judge would drop', async () => {
		const out = await runEvolve({ ...base, secure: 'llm', runId: 'evolve-llm-only' });
		expect(find(out.rows, 2, 'reasoning')).toMatchObject({ not_secure: 'pass', accepted: true });
		expect(find(out.rows, 2, 'complexity')).toMatchObject({ not_secure: 'fail', accepted: false });
		expect(out.rows.filter((r) => r.accepted).length).toBe(3);
	});

	it('an endpoint that fails leaves error rows, never verdicts; running again retries only those', async () => {
		const faulty = await startTestServer({
			vulEvol: true,
			faults: (ctx) => (ctx.lastUserMessage.includes('rarer and more specialised') || ctx.lastUserMessage.includes('"already_secure"') ? { kind: 'server_error', status: 503 } : null)
		});
		try {
			const options = { ...base, config: testConfig(faulty.url, { maxAttempts: 1 }), runId: 'evolve-faulty', runsDir: join(dir.path, 'faulty') };
			const first = await runEvolve(options);
			expect(first.state).toBe('completed');
			expect(first.rows.length).toBe(12);
			const specific = first.rows.filter((r) => r.strategy === 'specific');
			expect(specific.map((r) => r.answer)).toEqual(['error', 'error', 'error']);
			expect(specific[0].answer_reason).toMatch(/503/);
			// The secure step failed for every candidate that reached it: errors, not passes.
			expect(first.rows.filter((r) => r.not_secure === 'error').length).toBeGreaterThan(0);
			expect(first.rows.some((r) => r.accepted)).toBe(false);
			faulty.setFaults(null);
			const before = faulty.requests.length;
			const again = await runEvolve(options);
			// Only what failed or is new: 3 evolution answers; for the one new candidate that gets that
			// far, 1 completion and 1 induce check; the 5 "already secure" checks that failed.
			expect(faulty.requests.length - before).toBe(3 + 1 + 1 + 5);
			expect(again.rows.map((r) => [r.answer, r.accepted])).toEqual(firstRows.map((r) => [r.answer, r.accepted]));
		} finally {
			await faulty.close();
		}
	});

	it('the judge and realise models and the differs thresholds are part of the run too, each only when not the default', async () => {
		const { evolveRunPlan } = await import('../../../../src/lib/runs/evolve/evolve-run.ts');
		const { parseEngineConfig } = await import('../../../../src/lib/engine/config.ts');
		const config = parseEngineConfig(
			JSON.stringify({ endpoints: { local: { baseURL: server.url, apiKeyEnv: 'COVW_K_KEY', models: { 'test-model': {}, 'other-model': {} } } } }),
			'two-models.json',
			{ COVW_K_KEY: 'sk-test-two-models' }
		);
		const plain = { ...base, config, secure: undefined };
		const id = evolveRunPlan(plain).runId;
		expect(evolveRunPlan({ ...plain, judgeModel: 'local/test-model', realiseModel: 'local/test-model', differs: { minDistance: 0.1, duplicateSimilarity: 0.8 } }).runId).toBe(id);
		expect(evolveRunPlan({ ...plain, judgeModel: 'local/other-model' }).runId).not.toBe(id);
		expect(evolveRunPlan({ ...plain, realiseModel: 'local/other-model' }).runId).not.toBe(id);
		expect(evolveRunPlan({ ...plain, differs: { minDistance: 0.2, duplicateSimilarity: 0.8 } }).runId).not.toBe(id);
		expect(evolveRunPlan(plain).params).not.toHaveProperty('secure');
	});

	it('--secure is part of the run: the default after "both" is another run, and the "both" run\'s table stays', async () => {
		const { evolveRunPlan } = await import('../../../../src/lib/runs/evolve/evolve-run.ts');
		const { readManifest } = await import('../../../../src/lib/engine/manifest.ts');
		const both = evolveRunPlan(base).runId;
		const rules = evolveRunPlan({ ...base, secure: undefined }).runId;
		expect(rules).not.toBe(both);
		expect(evolveRunPlan({ ...base, secure: 'rules' }).runId).toBe(rules);
		expect(evolveRunPlan({ ...base, secure: 'llm' }).runId).not.toBe(both);
		const out = await runEvolve({ ...base, secure: undefined });
		expect(out.runId).toBe(rules);
		// the default is not named, so a default run made before --secure was part of the id keeps it
		expect(readManifest(join(dir.path, rules, 'manifest.json'))!.params.secure).toBeUndefined();
		expect(readManifest(join(dir.path, both, 'manifest.json'))!.params.secure).toBe('both');
		// The "both" run's filter table is still its own (the rules-only run did not overwrite it).
		const onDisk = readFileSync(join(dir.path, both, 'filters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(onDisk).toEqual(firstRows);
	});

	it('another judge model is another step run, not a clash with the first', async () => {
		const { parseEngineConfig } = await import('../../../../src/lib/engine/config.ts');
		const config = parseEngineConfig(
			JSON.stringify({ endpoints: { local: { baseURL: server.url, apiKeyEnv: 'COVW_K_KEY', models: { 'test-model': {}, 'judge-model': {} } } } }),
			'two-models.json',
			{ COVW_K_KEY: 'sk-test-two-models' }
		);
		const out = await runEvolve({ ...base, config, judgeModel: 'local/judge-model' });
		// another judge model decides the filters: another evolve run, whose table is its own
		expect(out.runId).not.toBe(firstRows[0].run_id);
		expect(out.rows.map((r) => ({ ...r, run_id: firstRows[0].run_id }))).toEqual(firstRows);
		const { readdirSync } = await import('node:fs');
		const steps = readdirSync(dir.path).filter((d) => d.startsWith(`${out.runId}.`)).map((d) => d.replace(/-[0-9a-f]{8}$/, ''));
		expect(steps.sort()).toEqual([`${out.runId}.induce`, `${out.runId}.realise`, `${out.runId}.secure`]);
		expect(readFileSync(join(dir.path, firstRows[0].run_id, 'filters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual(firstRows);
	});
});
