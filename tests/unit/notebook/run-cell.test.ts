// Run cells against the real engine (duckdb-wasm's Node bundle) with hand-made run tables: the
// view a run cell creates, and how it reads a spec. No model is involved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { runNotebook, type RunHost, type RunPlan } from '../../../src/lib/notebook/executor.ts';
import { parseRunSpec, type RunSpec } from '../../../src/lib/notebook/run-spec.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';

describe('run cell spec', () => {
	it('accepts a full spec and names bad fields with their line', () => {
		const ok = parseRunSpec('{"task": "repair", "model": "local/m", "cwe": ["CWE-79"], "limit": 5, "judge": "rules"}');
		expect(ok.errors).toEqual([]);
		expect(ok.spec).toMatchObject({ task: 'repair', model: 'local/m', limit: 5, judge: 'rules' });
		const bad = parseRunSpec('{\n  "task": "poetry",\n  "model": "m",\n  "limit": 0,\n  "template": "fewshot"\n}');
		expect(bad.errors.map((e) => [e.line, e.message])).toEqual([
			[2, '"task" must be one of completion, repair, detection, self-detection, self-repair, evolve'],
			[4, '"limit" must be an integer ≥ 1'],
			[5, '"template" applies to a judge: add "judge"']
		]);
	});
});

describe('run cell execution', () => {
	let engine: HeadlessEngine;
	const planned: RunSpec[] = [];
	const host: RunHost = {
		async plan(spec): Promise<RunPlan> {
			planned.push(spec);
			if (spec.model === 'nobody') throw new Error('no endpoint offers model "nobody"');
			return { generationRunId: 'gen-1', judgeRunId: spec.judge ? 'judge-1' : null };
		}
	};

	beforeAll(async () => {
		engine = await createHeadlessEngine();
		await engine.registerRows('generations', {
			run_id: ['gen-1', 'gen-1', 'gen-other'],
			unit_id: ['u1', 'u2', 'u3'],
			item_id: ['i1', 'i2', 'i3'],
			status: ['ok', 'error', 'ok']
		});
		await engine.registerRows('verdicts', {
			run_id: ['judge-1', 'judge-other'],
			target_id: ['u1', 'u2'],
			judge: ['rules', 'rules'],
			template: [null, null],
			vulnerable: [1, 0],
			predicted_cwe: [null, null],
			status: ['ok', 'ok'],
			error: [null, null],
			raw: ['{}', '{}']
		});
	});
	afterAll(() => engine.close());

	it('becomes a view of its run, joined with its judge run, that downstream SQL reads', async () => {
		const doc = parseNotebook(
			fence('run id=my_run', '{"task": "completion", "model": "local/m", "judge": "rules"}') +
				fence('sql id=judged', 'SELECT item_id, vulnerable, verdict_status FROM my_run ORDER BY item_id')
		);
		const { results } = await runNotebook(doc, engine, { runs: host });
		expect(results.map((r) => [r.cellId, r.status, r.rowCount])).toEqual([
			['my_run', 'ok', 2],
			['judged', 'ok', 2]
		]);
		expect(results[0].run).toEqual({ spec: { task: 'completion', model: 'local/m', judge: 'rules' }, plan: { generationRunId: 'gen-1', judgeRunId: 'judge-1' } });
		const rows = results[1].table!;
		// u2 was judged only by another run: no verdict columns for it here.
		expect([rows.getChild('item_id')!.get(0), rows.getChild('vulnerable')!.get(0), rows.getChild('verdict_status')!.get(0)]).toEqual(['i1', 1, 'ok']);
		expect([rows.getChild('item_id')!.get(1), rows.getChild('vulnerable')!.get(1)]).toEqual(['i2', null]);
	});

	it('a spec the host cannot plan is an error on that cell, and its readers are blocked', async () => {
		const doc = parseNotebook(fence('run id=r', '{"task": "completion", "model": "nobody"}') + fence('sql id=after', 'SELECT * FROM r'));
		const { results } = await runNotebook(doc, engine, { runs: host });
		expect(results[0].status).toBe('error');
		expect(results[0].error?.message).toBe('run cell "r": no endpoint offers model "nobody"');
		expect(results[1].status).toBe('blocked');
	});
});
