// Labelling model generations: a completion run made by the real engine against the local TEST
// DOUBLE (tests/support/openai-test-server.ts — not a model; it answers by markers, see
// tests/unit/runs/fixtures.ts), judged by the rule judge; and planted direct runs for the
// cases the engine does not produce on demand (unparsed and empty answers, several models).
// Expected values are worked out by hand from the fixtures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { runGeneration } from '../../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../../src/lib/runs/judge-run.ts';
import { runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { Labelling, LabellingInputError } from '../../../../src/lib/server/labels/labelling.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { writeVerdictRuns } from '../../../support/verdict-runs.ts';
import { ANSWER_RULES, COMPLETION_ITEMS, GENERATED } from '../../runs/fixtures.ts';
import { writeGenerationRun } from './generation-runs.ts';

const TEMPLATE_DIR = resolve(__dirname, '../../../../datasets/templates');
const quiet = () => {};

/** A labelling over `root`, reading the run tables of root/runs as the workbench does. */
function labellingAt(root: string): Labelling {
	const runs = join(root, 'runs');
	return new Labelling(
		root,
		async () => runTablesIPC(runs).verdicts,
		async () => runTablesIPC(runs).generations
	);
}

describe('labelling a generation run made by the engine', () => {
	let server: TestServer;
	let work: { path: string; remove: () => void };
	let labelling: Labelling;
	let runId: string;
	let judgeRunId: string;
	/** The generation unit id of each fixture item (index as in COMPLETION_ITEMS). */
	let unitOf: string[];

	beforeAll(async () => {
		// The double fails the fourth item's prompt (GEN_MUMBLE) with a 500, and the engine
		// gives up after one attempt: that generation is an 'error' row, nothing to label.
		server = await startTestServer({
			rules: ANSWER_RULES,
			faults: (ctx) => (ctx.lastUserMessage.includes('GEN_MUMBLE') ? { kind: 'server_error' } : null)
		});
		work = tempDir('covw-label-gens-');
		const templates = await loadTemplates(TEMPLATE_DIR);
		const gen = await runGeneration({
			runsDir: join(work.path, 'runs'),
			config: testConfig(server.url, { maxAttempts: 1 }),
			items: COMPLETION_ITEMS,
			task: 'completion',
			model: 'local/test-model',
			templates: templates.templates,
			onWarning: quiet
		});
		runId = gen.runId;
		const rows = [...gen.result.rows.values()];
		unitOf = COMPLETION_ITEMS.map((item) => rows.find((r) => r.meta.item_id === item.item_id)!.unit_id);
		expect(rows.map((r) => r.status).sort()).toEqual(['error', 'ok', 'ok', 'ok']);
		judgeRunId = (await runJudge({ runsDir: join(work.path, 'runs'), judge: 'rules', sourceRunId: runId, onWarning: quiet })).runId;
		// No benchmark imported: a generation run is labellable on its own.
		labelling = labellingAt(work.path);
	});
	afterAll(async () => {
		await server?.close();
		work?.remove();
	});

	it('lists the run with its ok generations, the failed one counted apart; not the judge run', async () => {
		expect(await labelling.sources()).toEqual({
			available: true,
			items_imported: false,
			evolve_runs: [],
			sets: [],
			cwes: [],
			runs: [
				{
					run_id: runId,
					task: 'completion',
					model: 'local/test-model',
					ok: 3,
					error: 1,
					unparsed: 0,
					no_code: 0,
					// Items 0 and 1 are CWE-89, item 2 CWE-476 (item 3 failed).
					cwes: [
						{ value: 'CWE-89', count: 2 },
						{ value: 'CWE-476', count: 1 }
					]
				}
			]
		});
	});

	it('serves the generations by prompt item; the model and run only after the answer, with the judges', async () => {
		const first = await labelling.target('Ann', { run: runId });
		expect(first.target).toEqual({
			target_id: unitOf[0],
			kind: 'generation',
			task: 'completion',
			set: 'seed',
			cwe: 'CWE-89',
			language: 'python',
			scenario: 'demo-scenario',
			code: GENERATED.sqlConcat,
			prompt_item_id: COMPLETION_ITEMS[0].item_id,
			sample: 0
		});
		expect(first.reveal).toBeNull();
		expect(first.progress).toEqual({ answered: 0, skipped: 0, total: 3 });
		// Nothing in the answer names the model, the run or a judge before the annotator answers.
		const before = JSON.stringify(first);
		expect(before).not.toContain('test-model');
		expect(before).not.toContain(runId);
		expect(before).not.toContain('rules');

		const saved = await labelling.give({ target_id: unitOf[0], annotator: 'Ann', answer: 'vulnerable' });
		// The label's target is the unit id, the very key of the judges' verdicts.
		expect(saved.label).toMatchObject({ target_id: unitOf[0], vulnerable: true, cwe: 'CWE-89', other_cwe: false });
		expect(saved.reveal).toMatchObject({
			dataset_label: null,
			dataset_label_class: null,
			source: `runs/${runId}`,
			generation: { run_id: runId, model: 'local/test-model', prompt_item_id: COMPLETION_ITEMS[0].item_id, sample: 0 }
		});
		// The rule judge finds the string-built query (see tests/unit/runs/runs-end-to-end.test.ts).
		expect(saved.reveal!.verdicts).toHaveLength(1);
		expect(saved.reveal!.verdicts[0]).toMatchObject({ run_id: judgeRunId, judge: 'rules', vulnerable: true, status: 'ok' });

		const second = await labelling.target('Ann', { run: runId });
		expect(second.target?.target_id).toBe(unitOf[1]);
		expect(second.target?.code).toBe(GENERATED.sqlParam);
		expect(second.progress).toEqual({ answered: 1, skipped: 0, total: 3 });
		await labelling.give({ target_id: unitOf[1], annotator: 'Ann', answer: 'skip' });

		const third = await labelling.target('Ann', { run: runId });
		expect(third.target).toMatchObject({ target_id: unitOf[2], cwe: 'CWE-476', language: 'c', code: GENERATED.mallocChecked });
		const answered = await labelling.give({ target_id: unitOf[2], annotator: 'Ann', answer: 'not_vulnerable' });
		expect(answered.reveal?.verdicts.map((v) => v.vulnerable)).toEqual([false]);

		// The failed generation is not offered: done after three.
		expect(await labelling.target('Ann', { run: runId })).toEqual({ target: null, label: null, reveal: null, progress: { answered: 2, skipped: 1, total: 3 } });
		// Back to an answered generation: the reveal again; another annotator sees nothing yet.
		expect((await labelling.target('Ann', { run: runId }, unitOf[0])).reveal?.generation?.model).toBe('local/test-model');
		expect((await labelling.target('Bo', { run: runId }, unitOf[0])).reveal).toBeNull();
	});

	it('the failed generation cannot be opened, and the CWE filter applies to generations', async () => {
		await expect(labelling.target('Ann', { run: runId }, unitOf[3])).rejects.toThrow(/no item or generation with target_id/);
		const c = await labelling.target('Cy', { run: runId, cwe: 'CWE-476' });
		expect(c.target?.target_id).toBe(unitOf[2]);
		expect(c.progress.total).toBe(1);
	});

	it('majority and kappa work on generation labels; CSV import derives other CWE from the generation', async () => {
		await labelling.give({ target_id: unitOf[0], annotator: 'Bo', answer: 'not_vulnerable' });
		const summary = await labelling.agreement();
		expect(summary.needs_review.map((v) => [v.target_id, v.counts])).toEqual([[unitOf[0], { vulnerable: 1, other_cwe: 0, not_vulnerable: 1 }]]);
		const csv = `target_id,annotator,vulnerable,cwe,note\n${unitOf[0]},Cy,true,CWE-20,\n${unitOf[2]},Cy,true,CWE-476,\n`;
		expect(await labelling.importCsv(new TextEncoder().encode(csv), 'gens.csv')).toEqual({ added: 2, already: 0 });
		const cy = (await labelling.store.read()).latest.filter((l) => l.annotator === 'Cy');
		expect(cy.map((l) => [l.target_id, l.cwe, l.other_cwe])).toEqual([
			[unitOf[0], 'CWE-20', true],
			[unitOf[2], 'CWE-476', false]
		]);
	});
});

// Toy items of our own for the planted runs.
const toyItem = (id: string, cwe: Item['cwe']): Item => ({
	item_id: id,
	task: 'reference',
	set: 'pearce',
	cwe,
	language: 'python',
	scenario: 'toy',
	code: `def f():\n    pass  # ${id}\n`,
	label: 'vulnerable',
	label_class: cwe,
	source: `toy/${id}`
});

describe('labelling planted generation runs', () => {
	let root: string;
	let labelling: Labelling;
	beforeEach(async () => {
		root = await mkdtemp(join(tmpdir(), 'covw-label-planted-'));
		labelling = labellingAt(root);
		const runs = join(root, 'runs');
		await writeItemsArrow(join(root, 'coveval', 'items.arrow'), [toyItem('p1', 'CWE-79')]);
		writeGenerationRun(runs, 'gen-alpha', 'toy/alpha', [
			{ unit_id: 'a-2', item_id: 'completion/seed/CWE-78/t/2', cwe: 'CWE-78', language: 'python', status: 'ok', code: 'run(cmd)', response: '```\nrun(cmd)\n```' },
			{ unit_id: 'a-1', item_id: 'completion/seed/CWE-78/t/1', cwe: 'CWE-78', language: 'python', status: 'ok', code: null, response: 'no fence, just prose code' },
			{ unit_id: 'a-3', item_id: 'completion/seed/CWE-78/t/3', cwe: 'CWE-78', language: 'python', status: 'unparsed', code: null, response: '??' },
			{ unit_id: 'a-4', item_id: 'completion/seed/CWE-78/t/4', cwe: 'CWE-78', language: 'python', status: 'error', code: null, response: null },
			{ unit_id: 'a-5', item_id: 'completion/seed/CWE-78/t/5', cwe: 'CWE-78', language: 'python', status: 'ok', code: '', response: '  ' }
		]);
		writeGenerationRun(runs, 'gen-beta', 'toy/beta', [
			{ unit_id: 'b-1', item_id: 'completion/seed/CWE-78/t/1', cwe: 'CWE-78', language: 'python', status: 'ok', code: 'beta(cmd)', response: 'x' },
			{ unit_id: 'b-9', item_id: 'repair/CWE-22/t/9', task: 'repair', set: 'repair', cwe: 'CWE-22', language: 'c', status: 'ok', code: 'open_safe(p);', response: 'x' }
		]);
		// A detection run: its answers are verdicts on given code, not programs to label.
		writeGenerationRun(runs, 'gen-detect', 'toy/alpha', [
			{ unit_id: 'd-1', item_id: 'detection/CWE-78/t/1', task: 'detection', set: 'detection', cwe: 'CWE-78', language: 'python', status: 'ok', code: null, response: 'Yes' }
		]);
		writeVerdictRuns(runs, [
			{ run_id: 'judge-beta', target_id: 'b-1', judge: 'toy-judge', template: 'zero-shot', vulnerable: false, predicted_cwe: null, status: 'ok' },
			{ run_id: 'judge-beta', target_id: 'p1', judge: 'toy-judge', template: 'zero-shot', vulnerable: true, predicted_cwe: 'CWE-79', status: 'ok' }
		]);
	});
	afterEach(async () => {
		await rm(root, { recursive: true, force: true });
	});

	it('lists item sets and generation runs; error, unparsed and empty answers left out and counted; no detection run', async () => {
		const sources = await labelling.sources();
		expect(sources).toMatchObject({ available: true, items_imported: true, sets: [{ value: 'pearce', count: 1 }], cwes: [{ value: 'CWE-79', count: 1 }] });
		expect(sources.runs).toEqual([
			{ run_id: 'gen-alpha', task: 'completion', model: 'toy/alpha', ok: 2, error: 1, unparsed: 1, no_code: 1, cwes: [{ value: 'CWE-78', count: 2 }] },
			{
				run_id: 'gen-beta',
				task: 'completion',
				model: 'toy/beta',
				ok: 2,
				error: 0,
				unparsed: 0,
				no_code: 0,
				cwes: [
					{ value: 'CWE-22', count: 1 },
					{ value: 'CWE-78', count: 1 }
				]
			}
		]);
	});

	it('orders a run by prompt item, falls back to the answer text when no code was extracted', async () => {
		const first = await labelling.target('Ann', { run: 'gen-alpha' });
		expect(first.target).toMatchObject({ target_id: 'a-1', code: 'no fence, just prose code', prompt_item_id: 'completion/seed/CWE-78/t/1' });
		expect(first.progress.total).toBe(2);
		await labelling.give({ target_id: 'a-1', annotator: 'Ann', answer: 'vulnerable' });
		expect((await labelling.target('Ann', { run: 'gen-alpha' })).target).toMatchObject({ target_id: 'a-2', code: 'run(cmd)' });
		for (const id of ['a-3', 'a-4', 'a-5', 'd-1']) {
			await expect(labelling.target('Ann', { run: 'gen-alpha' }, id)).rejects.toBeInstanceOf(LabellingInputError);
		}
	});

	it('all runs together: each item\'s answers from the different models in a row, models unnamed until answered', async () => {
		const order: string[] = [];
		for (;;) {
			const next = await labelling.target('Ann', { run: '*' });
			if (!next.target) break;
			expect(JSON.stringify(next)).not.toMatch(/toy\/alpha|toy\/beta|gen-alpha|gen-beta/);
			order.push(next.target.target_id);
			const saved = await labelling.give({ target_id: next.target.target_id, annotator: 'Ann', answer: 'not_vulnerable' });
			expect(saved.reveal?.generation?.model).toBe(next.target.target_id.startsWith('a-') ? 'toy/alpha' : 'toy/beta');
		}
		// By prompt item (…/t/1 before …/t/2; 'completion/…' before 'repair/…'), then run id.
		expect(order).toEqual(['a-1', 'b-1', 'a-2', 'b-9']);
	});

	it('reveals only the verdicts on the generation itself; items work as before beside the runs', async () => {
		const gen = await labelling.give({ target_id: 'b-1', annotator: 'Ann', answer: 'vulnerable' });
		expect(gen.reveal?.verdicts.map((v) => [v.run_id, v.vulnerable])).toEqual([['judge-beta', false]]);
		const item = await labelling.target('Ann', {});
		expect(item.target).toMatchObject({ target_id: 'p1', kind: 'item', prompt_item_id: null, sample: null });
		expect(item.progress.total).toBe(1);
		const itemSaved = await labelling.give({ target_id: 'p1', annotator: 'Ann', answer: 'vulnerable' });
		expect(itemSaved.reveal).toMatchObject({ dataset_label: 'vulnerable', generation: null, source: 'toy/p1' });
	});

	it('an unknown run is a clear input error', async () => {
		await expect(labelling.target('Ann', { run: 'gen-nope' })).rejects.toThrow(/no generation run "gen-nope" with generations to label/);
		await expect(labelling.target('Ann', { run: 'gen-detect' })).rejects.toBeInstanceOf(LabellingInputError);
	});

	it('unreadable run logs leave the items labellable, with the reason', async () => {
		const broken = new Labelling(
			root,
			async () => runTablesIPC(join(root, 'runs')).verdicts,
			async () => {
				throw new Error('disk on fire');
			}
		);
		const sources = await broken.sources();
		expect(sources).toMatchObject({ available: true, items_imported: true, runs: [], runs_error: 'the generation runs could not be read: disk on fire' });
		expect((await broken.target('Ann', {})).target?.target_id).toBe('p1');
	});
});
