// The parse filter of a Vul-Evol run: a candidate whose scenario does not parse in its language
// (the test double appends a Python `def` to a C seed's rewrite) is dropped with its reason,
// before any paid step — no request is sent for it — and `covw evolve` counts it. What the cut
// at the completion marker leaves (a missing closing bracket) is not held against a scenario, and
// filter rows written before the parse step existed still load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evolveCommand } from '../../../../src/cli/commands/evolve.ts';
import { parseChecker } from '../../../../src/lib/runs/evolve/code-parses.ts';
import { runEvolve, recordedFilters, type EvolveRunOptions, type FilterRow } from '../../../../src/lib/runs/evolve/evolve-run.ts';
import { parsesCell } from '../../../../src/lib/runs/evolve/evolve-steps.ts';
import { loadEvolveTemplates } from '../../../../src/lib/runs/evolve/evolve-templates.ts';
import { evolvedItems } from '../../../../src/lib/runs/evolve/evolved-set.ts';
import { survivorTarget } from '../../../../src/lib/server/labels/survivor-source.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { C_SEED, EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { fakeContext } from '../../cli/fake-context.ts';

const ROOT = resolve(__dirname, '../../../..');
const templateDir = resolve('datasets/templates');
let server: TestServer;
let dir: ReturnType<typeof tempDir>;
/** The user message of every chat request the double received. */
const prompts: string[] = [];

beforeAll(async () => {
	server = await startTestServer({
		vulEvol: true,
		faults: (ctx) => {
			prompts.push(ctx.lastUserMessage);
			return null;
		}
	});
	dir = tempDir('covw-evolve-parses-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

describe('the parse filter', () => {
	it('drops a C scenario with a Python def appended, with its reason, and sends nothing for it', async () => {
		const options: EvolveRunOptions = {
			runsDir: join(dir.path, 'runs'),
			config: testConfig(server.url),
			seeds: [EVOLVE_SEEDS[0], C_SEED],
			strategies: ['constraints'],
			samples: 1,
			model: 'local/test-model',
			templates: (await loadEvolveTemplates(templateDir)).templates,
			taskTemplates: (await loadTemplates(templateDir)).templates,
			onWarning: () => {}
		};
		prompts.length = 0;
		const out = await runEvolve(options);
		expect(out.state).toBe('completed');
		const c = out.rows.find((r) => r.seed_id === C_SEED.item_id)!;
		const py = out.rows.find((r) => r.seed_id === EVOLVE_SEEDS[0].item_id)!;
		expect(c.scenario).toMatch(/td_lookup_c_user[\s\S]*def constraints_helper/);
		expect(c).toMatchObject({ answer: 'pass', parses: 'fail', differs: 'skipped', realisable: 'skipped', induces: 'skipped', not_secure: 'skipped', accepted: false });
		expect(c.parses_reason).toMatch(/^does not parse as c: text the parser could not place \(an ERROR node\) \(line \d+\)$/);
		expect(py).toMatchObject({ parses: 'pass', parses_reason: 'parses as python', accepted: true });
		// Two evolution requests, then the realise and induce requests of the Python one only.
		expect(prompts.length).toBe(4);
		expect(prompts.filter((p) => p.includes('td_lookup_c_user')).length).toBe(1);
		expect(out.steps.realise.manifest.counts.total).toBe(1);
		expect(out.steps.induce.manifest.counts.total).toBe(1);
	});

	it('covw evolve counts the dropped ones in its summary', async () => {
		const itemsFile = join(dir.path, 'seeds.arrow');
		await writeItemsArrow(itemsFile, [EVOLVE_SEEDS[0], C_SEED]);
		const env = {
			OPENAI_BASE_URL: server.url,
			OPENAI_API_KEY: 'sk-test-evolve-parses',
			COVW_RUNS: join(dir.path, 'cli-runs'),
			COVW_CACHE: join(dir.path, 'cache'),
			COVW_DATA: join(dir.path, 'data')
		};
		const ctx = fakeContext(['--model', 'test-model', '--items-file', itemsFile, '--strategy', 'constraints,complexity'], { root: ROOT, cwd: dir.path, env });
		prompts.length = 0;
		expect(await evolveCommand.run(ctx), ctx.err.join('')).toBe(0);
		const out = ctx.out.join('');
		expect(out).toMatch(/parses +pass 2, fail 2\n/);
		expect(out).toMatch(/dropped 2 scenario\(s\) whose code does not parse in its language, before any paid filter/);
		expect(prompts.filter((p) => p.includes('td_lookup_c_user')).length).toBe(2); // the two evolution prompts, nothing after
	});

	it('does not hold what the cut at the marker leaves against a scenario', async () => {
		const check = await parseChecker();
		const seed = 'int f(void) {\n    memcpy//-copilot next line-\n}';
		// a missing `;` before the marker: a MISSING node, not an ERROR
		expect(parsesCell(check, 'int g(int n) {\n    n = n + 1;\n    memcpy//-copilot next line-\n}', seed, 'c').outcome).toBe('pass');
		// a Python seed cut after a decorator does not parse itself: its rewrite is not checked
		const cutSeed = "@app.route('/x') #-copilot next line-\n";
		expect(check(cutSeed, 'python')).not.toBeNull();
		const cell = parsesCell(check, "@app.route('/y')\n@login_required #-copilot next line-\n", cutSeed, 'python');
		expect(cell).toMatchObject({ outcome: 'pass' });
		expect(cell.reason).toMatch(/^not checked: the seed itself does not parse/);
		// a parsing seed: the same rewrite fails
		expect(parsesCell(check, "@app.route('/y')\n@login_required #-copilot next line-\n", 'def f():\n    pass', 'python').outcome).toBe('fail');
		// a budget spent: an error, never a pass
		expect(parsesCell(() => ({ problem: 'not_checked', line: null }), 'x = 1', 'x = 0', 'python').outcome).toBe('error');
	});

	it('a token missing before the cut, or an ERROR after an early missing token, is not excused (review10d)', async () => {
		const check = await parseChecker();
		const seed = 'int f(void) {\n    memcpy//-copilot next line-\n}';
		// Python's `import os` read as a C declaration lacking its `;`: MISSING, but on line 2, before the marker
		expect(parsesCell(check, '#include <stdio.h>\nimport os\nint main(int argc, char **argv) {\n  //-copilot next line-\n', seed, 'c').outcome).toBe('fail');
		// a MISSING `;` early, then a Python def: the ERROR counts, whatever came first
		const mixed = '#include <stdio.h>\nint g() { return 1 }\ndef evil():\n import os\n os.system("x")\nint main() {\n //-copilot next line-\n';
		expect(check(mixed, 'c')).toMatchObject({ problem: 'syntax_error' });
		expect(parsesCell(check, mixed, seed, 'c').outcome).toBe('fail');
		// a seed the budget left unchecked excuses nothing
		let calls = 0;
		const budgetSpentOnSeed = (code: string, language: string) => (++calls === 1 ? check(code, language) : { problem: 'not_checked' as const, line: null });
		expect(parsesCell(budgetSpentOnSeed, mixed, seed, 'c').outcome).toBe('fail');
	});

	it('loads filter rows written before the parse step', () => {
		const old = {
			candidate_id: 'c1', run_id: 'evolve-old', seed_id: 'completion/seed/CWE-89/td-users-1/0', seed_scenario: 'td-users-1', strategy: 'constraints', sample: 0,
			cwe: 'CWE-89', language: 'python', model: 'test-model', seed_code: 'x = 0', scenario: 'x = 1 # -copilot next line-', distance: 0.5, seed_lines: 1, scenario_lines: 1,
			answer: 'pass', answer_reason: 'a scenario', differs: 'pass', differs_reason: 'd', realisable: 'pass', realisable_reason: 'r',
			induces: 'pass', induces_reason: 'i', not_secure: 'pass', not_secure_reason: 'n', accepted: true
		} as FilterRow;
		expect(recordedFilters(old).map((f) => f.filter)).toEqual(['answer', 'differs', 'realisable', 'induces', 'not_secure']);
		expect(Object.keys(evolvedItems('old-set', [old])[0].lineage.filters)).not.toContain('parses');
		expect(survivorTarget('evolve-old', old).evolve!.filters.map((f) => f.outcome)).not.toContain('undefined');
	});

	it('the notebook funnel has a bar for it, and reads a table of rows written before it', async () => {
		const { notebookRunCommand } = await import('../../../../src/cli/commands/notebook.ts');
		const data = join(dir.path, 'old-data');
		mkdirSync(join(data, 'evolved'), { recursive: true });
		const row = (id: string, extra: Record<string, unknown>) => ({
			set: 'old-set', candidate_id: id, run_id: 'evolve-old', seed_id: 's', seed_scenario: 'td-users-1', strategy: 'constraints', sample: 0, cwe: 'CWE-89', language: 'python',
			model: 'test-model', seed_code: 'x = 0', scenario: 'x = 1', distance: 0.5, seed_lines: 1, scenario_lines: 1, answer: 'pass', answer_reason: 'a scenario',
			differs: 'pass', differs_reason: 'd', realisable: 'pass', realisable_reason: 'r', induces: 'pass', induces_reason: 'i', not_secure: 'pass', not_secure_reason: 'n', accepted: true, ...extra
		});
		const skipped = { differs: 'skipped', realisable: 'skipped', induces: 'skipped', not_secure: 'skipped', accepted: false };
		// Two rows from before the parse step (no parses, written_at or in_set), and a newer run's dropped one.
		const table = [row('old-1', {}), row('old-2', { answer: 'fail', answer_reason: 'no_code: prose', ...skipped }), row('new-1', { parses: 'fail', parses_reason: 'does not parse as c: text the parser could not place (an ERROR node) (line 9)', written_at: '2026-11-29T17:00:00Z', in_set: false, ...skipped })];
		writeFileSync(join(data, 'evolved', 'vul_evol_filters.jsonl'), table.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const env = { COVW_RUNS: join(dir.path, 'old-runs'), COVW_DATA: data, COVW_CACHE: join(dir.path, 'cache') };
		const c = fakeContext(['notebooks/vul-evol.md', '--json', '--cell', 'funnel_long', '--cell', 'why'], { root: ROOT, cwd: ROOT, env });
		await notebookRunCommand.run(c);
		const cells = JSON.parse(c.out.join('')).cells as { id: string; status: string; rows: Record<string, unknown>[]; error?: unknown }[];
		expect(cells.filter((x) => x.status !== 'ok').map((x) => ({ id: x.id, error: x.error }))).toEqual([]);
		const rows = (id: string) => cells.find((x) => x.id === id)!.rows;
		const steps = (step: string) => rows('funnel_long').filter((r) => r.step === step).reduce((a, r) => a + Number(r.n), 0);
		expect(['candidates', 'is_scenario', 'parses_as_code', 'differs_from_seed', 'not_already_secure'].map(steps)).toEqual([3, 2, 1, 1, 1]);
		expect(rows('why').find((r) => r.first_filter === 'parses')).toMatchObject({ outcome: 'fail', n: 1 });
	});
});
