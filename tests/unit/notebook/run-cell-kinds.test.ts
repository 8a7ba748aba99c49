// Run cells beyond model runs: self-detection and self-repair (Table 3) that start from another
// run cell ("from"), and evolve (Vul-Evol). The spec's per-field errors, the graph edge to the
// cell "from" names, the spec the host is asked to plan (with the source cell's spec), and the
// views over hand-made run tables. No model is involved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { buildGraph } from '../../../src/lib/notebook/graph.ts';
import { runNotebook, RunUnavailableError, type RunHost, type RunPlan } from '../../../src/lib/notebook/executor.ts';
import { parseResolvedRunSpec, parseRunSpec, type RunSpec } from '../../../src/lib/notebook/run-spec.ts';
import { renameCell } from '../../../src/lib/notebook/edit.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const errorsOf = (source: string) => parseRunSpec(source).errors.map((e) => [e.line, e.message]);

describe('self-detection, self-repair and evolve specs', () => {
	it('accept each shape', () => {
		expect(parseRunSpec('{"task": "self-detection", "from": "gen_gpt4o"}').spec).toEqual({ task: 'self-detection', from: 'gen_gpt4o' });
		expect(parseRunSpec('{"task": "self-repair", "from": "gen", "judge": "local/gpt-4o", "template": "fewshot"}').errors).toEqual([]);
		// self-repair's template alone re-styles the reference judge: no "judge" needed.
		expect(parseRunSpec('{"task": "self-repair", "from": "gen", "template": "direct"}').errors).toEqual([]);
		const evolve = parseRunSpec('{"task": "evolve", "model": "local/m", "set": ["seed"], "strategies": ["constraints", "reasoning"], "n": 2, "realise_model": "local/r", "judge_model": "local/j", "secure": "both"}');
		expect(evolve.errors).toEqual([]);
		expect(evolve.spec).toMatchObject({ task: 'evolve', n: 2, strategies: ['constraints', 'reasoning'], secure: 'both' });
	});

	it('name each bad field on its line', () => {
		expect(errorsOf('{\n  "task": "self-detection"\n}')).toEqual([
			[1, '"from" is missing: the id of the run cell whose completions self-detection starts from, e.g. {"task": "self-detection", "from": "gen"}']
		]);
		expect(errorsOf('{\n  "task": "self-detection",\n  "from": "gen",\n  "model": "local/m",\n  "judge": "rules"\n}')).toEqual([
			[4, '"model" does not apply to task "self-detection" (it applies to completion, repair, detection, evolve)'],
			[5, '"judge" does not apply to task "self-detection" (it applies to completion, repair, detection, self-repair)']
		]);
		expect(errorsOf('{"task": "self-repair",\n "from": "not a cell id",\n "template": "poetic"}')).toEqual([
			[2, '"from" must be the id of another run cell of this notebook (letters, digits, _)'],
			[3, '"template" must be one of zeroshot, fewshot, direct']
		]);
		expect(errorsOf('{"task": "completion", "model": "m",\n "from": "gen"}')).toEqual([[2, '"from" does not apply to task "completion" (it applies to self-detection, self-repair)']]);
		expect(errorsOf('{"task": "evolve",\n "strategies": ["constraints", "harder"],\n "n": 0,\n "secure": "maybe",\n "judge": "rules",\n "samples": 2}')).toEqual([
			[5, '"judge" does not apply to task "evolve" (it applies to completion, repair, detection, self-repair)'],
			[6, '"samples" does not apply to task "evolve" (it applies to completion, repair, detection)'],
			[1, '"model" must name a model, e.g. "endpoint/model"'],
			[3, '"n" must be an integer ≥ 1'],
			[2, '"strategies" must be a non-empty array of constraints, specific, reasoning, complexity'],
			[4, '"secure" must be one of rules, llm, both']
		]);
		// The resolved source is filled in by the notebook, never written by hand.
		expect(errorsOf('{"task": "self-detection", "from": "gen", "source": {}}')[0][1]).toMatch(/^unknown field "source"/);
	});

	it('as the run routes receive them: the resolved source must be a completion run with a judge', () => {
		const source = { task: 'completion', model: 'local/m', judge: 'rules' };
		expect(parseResolvedRunSpec({ task: 'self-repair', from: 'gen', source }).spec).toEqual({ task: 'self-repair', from: 'gen', source });
		expect(parseResolvedRunSpec({ task: 'self-repair', from: 'gen' }).errors).toEqual(['"source": the spec of run cell "gen" is needed (the notebook fills it in)']);
		expect(parseResolvedRunSpec({ task: 'self-detection', from: 'gen', source: { task: 'completion', model: 'local/m' } }).errors[0]).toMatch(/^"source": run cell "gen" has no "judge"/);
		expect(parseResolvedRunSpec({ task: 'self-detection', from: 'gen', source: { task: 'repair', model: 'local/m', judge: 'rules' } }).errors[0]).toMatch(/is a repair run: self-detection starts from a model's own completions/);
		expect(parseResolvedRunSpec({ task: 'completion', model: 'm', source }).errors).toEqual(['"source" applies only to self-detection, self-repair']);
	});

	it('"from" is an edge of the graph (the cell runs after it), and renaming that cell renames it', () => {
		const doc = parseNotebook(fence('run id=self', '{"task": "self-detection",\n "from": "gen"}') + fence('run id=gen', '{"task": "completion", "model": "m", "judge": "rules"}'));
		const g = buildGraph(doc.cells, []);
		expect(g.order.map((i) => doc.cells[i].id)).toEqual(['gen', 'self']);
		const missing = parseNotebook(fence('run id=self', '{"task": "self-detection",\n "from": "nowhere"}'));
		expect([...buildGraph(missing.cells, []).errors.values()].flat().map((d) => [d.line, d.message])).toEqual([[3, '"from" "nowhere": no cell or table has that name']]);
		const text = fence('run id=self', '{"task": "self-detection",\n "from": "gen"}') + fence('run id=gen', '{"task": "completion", "model": "m", "judge": "rules"}');
		const renamed = renameCell(text, 1, 'gen_gpt4o');
		expect(renamed).toContain('"from": "gen_gpt4o"');
	});
});

describe('self-detection, self-repair and evolve cells', () => {
	let engine: HeadlessEngine;
	const planned: RunSpec[] = [];
	const host: RunHost = {
		async plan(spec): Promise<RunPlan> {
			planned.push(spec);
			if (spec.task === 'self-detection') return { generationRunId: 'self-1', judgeRunId: null, kind: 'self-detection', sourceRunId: 'gen-1', referenceRunId: 'ref-1' };
			if (spec.task === 'self-repair') return { generationRunId: 'rep-1', judgeRunId: 'rep-judge-1', kind: 'self-repair', sourceRunId: 'gen-1', referenceRunId: 'ref-1' };
			if (spec.task === 'evolve') return { generationRunId: 'evo-1', judgeRunId: null, kind: 'evolve' };
			return { generationRunId: 'gen-1', judgeRunId: spec.judge ? 'ref-1' : null };
		}
	};

	beforeAll(async () => {
		engine = await createHeadlessEngine();
		await engine.registerRows('generations', {
			run_id: ['gen-1', 'gen-1', 'gen-1', 'rep-1'],
			unit_id: ['u1', 'u2', 'u3', 'r1'],
			item_id: ['i1', 'i2', 'i3', 'i1/self-0'],
			status: ['ok', 'ok', 'no_code', 'ok'],
			cwe: ['CWE-78', 'CWE-78', 'CWE-78', 'CWE-78'],
			language: ['python', 'python', 'python', 'python'],
			code: ['os.system(v)', 'subprocess.run([v])', null, 'subprocess.run([v])']
		});
		await engine.registerRows('verdicts', {
			run_id: ['ref-1', 'ref-1', 'self-1', 'rep-judge-1'],
			target_id: ['u1', 'u2', 'u1', 'r1'],
			judge: ['rules', 'rules', 'local/m', 'rules'],
			template: [null, null, 'zeroshot', null],
			vulnerable: [1, 0, 1, 0],
			predicted_cwe: [null, null, 'CWE-78', null],
			status: ['ok', 'ok', 'ok', 'ok'],
			error: [null, null, null, null],
			raw: ['{}', '{}', 'yes', '{}']
		});
	});
	afterAll(() => engine.close());

	const notebook = (...cells: string[]) =>
		parseNotebook(fence('run id=gen', '{"task": "completion", "model": "local/m", "judge": "rules"}') + cells.join(''));

	it('self-detection: the host gets the source cell`s spec; the view holds the model`s verdicts beside the reference`s', async () => {
		planned.length = 0;
		const doc = notebook(fence('run id=self', '{"task": "self-detection", "from": "gen"}'), fence('sql id=agree', 'SELECT item_id, self_vulnerable, reference_vulnerable, reference_judge FROM self'));
		const { results } = await runNotebook(doc, engine, { runs: host });
		expect(results.map((r) => [r.cellId, r.status, r.rowCount])).toEqual([['gen', 'ok', 3], ['self', 'ok', 1], ['agree', 'ok', 1]]);
		expect(planned[1]).toEqual({ task: 'self-detection', from: 'gen', source: { task: 'completion', model: 'local/m', judge: 'rules' } });
		expect(results[1].run?.spec).toEqual(planned[1]);
		expect(results[1].table!.schema.fields.slice(0, 5).map((f) => f.name)).toEqual(['item_id', 'cwe', 'language', 'self_vulnerable', 'reference_vulnerable']);
		const row = results[2].table!;
		expect(['item_id', 'self_vulnerable', 'reference_vulnerable', 'reference_judge'].map((c) => row.getChild(c)!.get(0))).toEqual(['i1', 1, 1, 'rules']);
	});

	it('self-repair: the repairs joined with the judge of the repairs', async () => {
		const doc = notebook(fence('run id=fix', '{"task": "self-repair", "from": "gen", "judge": "rules"}'));
		const { results } = await runNotebook(doc, engine, { runs: host });
		expect(results[1]).toMatchObject({ cellId: 'fix', status: 'ok', rowCount: 1 });
		expect([results[1].table!.getChild('item_id')!.get(0), results[1].table!.getChild('vulnerable')!.get(0)]).toEqual(['i1/self-0', 0]);
	});

	it('a "from" that is no run cell, a source without a judge or of another task: an error on the cell naming it', async () => {
		const cases: [string, RegExp][] = [
			[fence('sql id=other', 'SELECT 1') + fence('run id=bad', '{"task": "self-detection", "from": "other"}'), /^"from": "other" is not a run cell of this notebook/],
			[fence('run id=nojudge', '{"task": "completion", "model": "local/m"}') + fence('run id=bad', '{"task": "self-repair", "from": "nojudge"}'), /^"from": run cell "nojudge" has no "judge"/],
			[fence('run id=det', '{"task": "detection", "model": "local/m", "judge": "rules"}') + fence('run id=bad', '{"task": "self-detection", "from": "det"}'), /^"from": run cell "det" is a detection run/]
		];
		for (const [text, message] of cases) {
			const { results } = await runNotebook(parseNotebook(text), engine, { runs: host });
			const bad = results.find((r) => r.cellId === 'bad')!;
			expect(bad.status).toBe('error');
			expect(bad.error?.message).toMatch(message);
			expect(bad.error?.line).toBe(text.split('\n').findIndex((l) => l.startsWith('```run id=bad')) + 2);
		}
	});

	it('evolve: an empty view with the filter columns before any evolve run, then the run`s candidates', async () => {
		const doc = parseNotebook(fence('run id=evo', '{"task": "evolve", "model": "local/m"}') + fence('sql id=kept', 'SELECT count(*)::INT AS n, count(*) FILTER (WHERE accepted)::INT AS accepted FROM evo'));
		let { results } = await runNotebook(doc, engine, { runs: host });
		expect(results.map((r) => [r.cellId, r.status, r.rowCount])).toEqual([['evo', 'ok', 0], ['kept', 'ok', 1]]);
		expect(results[0].table!.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['seed_id', 'strategy', 'scenario', 'differs', 'realisable_reason', 'induces', 'not_secure', 'accepted']));
		// The outcomes lead, the reasons and scenarios follow.
		expect(results[0].table!.schema.fields.slice(0, 9).map((f) => f.name)).toEqual(['seed_id', 'strategy', 'sample', 'accepted', 'answer', 'differs', 'realisable', 'induces', 'not_secure']);
		await engine.registerRows('vul_evol_filters', {
			run_id: ['evo-1', 'evo-1', 'evo-other'],
			seed_id: ['s1', 's1', 's1'],
			strategy: ['constraints', 'reasoning', 'constraints'],
			sample: [0, 0, 0],
			accepted: [1, 0, 1],
			...Object.fromEntries(['answer', 'differs', 'realisable', 'induces', 'not_secure'].map((c) => [c, ['pass', 'fail', 'pass']]))
		});
		({ results } = await runNotebook(doc, engine, { runs: host }));
		expect([results[1].table!.getChild('n')!.get(0), results[1].table!.getChild('accepted')!.get(0)]).toEqual([2, 1]);
	});

	it('a project with no items yet: every kind is an empty view saying why, not an error; readers see no rows', async () => {
		const noItems: RunHost = {
			async plan() {
				throw new RunUnavailableError('no benchmark items at data/coveval/items.arrow: import them first');
			}
		};
		const doc = notebook(
			fence('run id=self', '{"task": "self-detection", "from": "gen"}'),
			fence('run id=fix', '{"task": "self-repair", "from": "gen"}'),
			fence('run id=evo', '{"task": "evolve", "model": "local/m"}'),
			fence('sql id=after', 'SELECT (SELECT count(*) FROM gen)::INT AS g, (SELECT count(*) FROM self)::INT AS s, (SELECT count(*) FROM fix)::INT AS f, (SELECT count(*) FROM evo)::INT AS e')
		);
		const { results } = await runNotebook(doc, engine, { runs: noItems });
		expect(results.map((r) => [r.cellId, r.status, r.rowCount])).toEqual([['gen', 'ok', 0], ['self', 'ok', 0], ['fix', 'ok', 0], ['evo', 'ok', 0], ['after', 'ok', 1]]);
		expect(results[0].run?.unavailable).toBe('no benchmark items at data/coveval/items.arrow: import them first');
		// The same columns as a planned cell's: readers written for the rows still compile.
		expect(results[0].table!.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['item_id', 'vulnerable', 'verdict_status']));
		expect(results[1].table!.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['self_vulnerable', 'reference_vulnerable']));
		// A real mistake stays an error: an unknown model is not "no items".
		const failing: RunHost = { plan: async () => { throw new Error('no endpoint offers model "local/m"'); } };
		const failed = await runNotebook(notebook(), engine, { runs: failing });
		expect(failed.results[0]).toMatchObject({ status: 'error', error: { message: 'run cell "gen": no endpoint offers model "local/m"' } });
	});
});
