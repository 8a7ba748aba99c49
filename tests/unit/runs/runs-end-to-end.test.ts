// Generation and judge runs through src/lib/runs against the local TEST DOUBLE
// (tests/support/openai-test-server.ts — not a model: it answers by markers in the prompt, see
// fixtures.ts), on our own fixture items. Expected values are worked out by hand from the
// fixtures: which answer the double gives, and what that answer means.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { MANIFEST_FILE } from '../../../src/lib/engine/manifest.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { itemsHash } from '../../../src/lib/runs/dataset-hash.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, ANSWER_RULES, COMPLETION_ITEMS, GENERATED } from './fixtures.ts';

const TEMPLATE_DIR = resolve(__dirname, '../../../datasets/templates');

let server: TestServer;
let work: { path: string; remove: () => void };
let runsDir: string;
let templates: Awaited<ReturnType<typeof loadTemplates>>;

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-runs-');
	runsDir = join(work.path, 'runs');
	templates = await loadTemplates(TEMPLATE_DIR);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const quiet = () => {};

async function generate(cache: ResponseCache | null = null) {
	return runGeneration({
		runsDir,
		config: testConfig(server.url),
		items: ALL_ITEMS,
		task: 'completion',
		model: 'local/test-model',
		templates: templates.templates,
		cache,
		onWarning: quiet
	});
}

const byItem = <T extends { meta: Record<string, unknown> }>(rows: Iterable<T>) =>
	new Map([...rows].map((r) => [String(r.meta.item_id), r]));

describe('a completion run on fixture items', () => {
	it('writes one row per item with the extracted code, the item fields and a manifest', async () => {
		const out = await generate();
		expect(out.selected).toBe(4);
		expect(out.result.state).toBe('completed');
		expect(out.result.requests).toBe(4);
		const rows = byItem(out.result.rows.values());
		const code = (i: number) => rows.get(COMPLETION_ITEMS[i].item_id)!.meta.code;
		expect(code(0)).toBe(GENERATED.sqlConcat);
		expect(code(1)).toBe(GENERATED.sqlParam);
		expect(code(2)).toBe(GENERATED.mallocChecked);
		expect(code(3)).toBe(GENERATED.mumble);
		const first = rows.get(COMPLETION_ITEMS[0].item_id)!;
		expect(first).toMatchObject({ status: 'ok', sample: 0, cached: false, error: null });
		expect(first.meta).toMatchObject({ task: 'completion', set: 'seed', cwe: 'CWE-89', language: 'python', model: 'local/test-model', code_source: 'fenced' });
		expect(first.meta.prompt_hash).toMatch(/^[0-9a-f]{16}$/);
		// The double counts ceil(chars / 4) tokens: the reply is known, so tokens_out is too.
		const reply = ANSWER_RULES.find((r) => r.match === 'GEN_SQL_CONCAT')!.reply;
		expect(first.tokens_out).toBe(Math.ceil(reply.length / 4));

		const manifest = JSON.parse(readFileSync(join(runsDir, out.runId, MANIFEST_FILE), 'utf8'));
		expect(manifest.kind).toBe('generation');
		expect(manifest.dataset_hash).toBe(itemsHash(COMPLETION_ITEMS));
		expect(manifest.params).toMatchObject({ task: 'completion', model: 'local/test-model', samples: 1, request: { temperature: 0.6, top_p: 0.9 } });
		expect(manifest.counts).toMatchObject({ total: 4, ok: 4, error: 0, unparsed: 0, pending: 0 });
	});

	it('resumes: the same parameters give the same run id and send nothing', async () => {
		const before = server.requests.length;
		const first = await generate();
		expect(first.result.requests).toBe(0);
		expect(server.requests.length).toBe(before);
	});

	it('a zero-shot LLM judge gives the predictable verdicts; the unreadable answer is unparsed, not a verdict', async () => {
		const gen = await generate();
		const genUnits = [...gen.result.rows.keys()];
		const judged = await runJudge({
			runsDir,
			judge: 'local/test-model',
			template: 'zeroshot',
			sourceRunId: gen.runId,
			templates: templates.templates,
			config: testConfig(server.url),
			onWarning: quiet
		});
		expect(judged.requests).toBe(4);
		// Re-judging never regenerates: each generation unit was sent exactly once, ever.
		for (const id of genUnits) expect(server.requestsFor(id)).toBe(1);
		const run = readRun(runsDir, judged.runId)!;
		expect(run.manifest.params).toMatchObject({ judge: 'local/test-model', template: 'zeroshot', source: { run: gen.runId } });
		const rows = byItem(run.rows);
		const verdict = (i: number) => rows.get(COMPLETION_ITEMS[i].item_id)!;
		expect(verdict(0)).toMatchObject({ status: 'ok', meta: { vulnerable: true, target_id: [...gen.result.rows.values()].find((r) => r.meta.item_id === COMPLETION_ITEMS[0].item_id)!.unit_id } });
		expect(verdict(1)).toMatchObject({ status: 'ok', meta: { vulnerable: false } });
		expect(verdict(2)).toMatchObject({ status: 'ok', meta: { vulnerable: false } });
		expect(verdict(3)).toMatchObject({ status: 'unparsed', response: 'Hard to say without more context.', meta: { vulnerable: null } });
		// Security rate: 2 secure of the 3 items with a verdict; the unparsed one counted apart.
		const sr = summarizeRun(run).judges[0].securityRate!;
		expect(sr.sr).toBeCloseTo(200 / 3, 10);
		expect(sr.n_items).toBe(3);
		expect(sr.n_unparsed).toBe(1);
		expect(sr.n_error).toBe(0);
	});

	it('a few-shot re-judge sends judge requests only, with examples from the reference programs of the scenario', async () => {
		const gen = await generate();
		const before = server.requests.length;
		const judged = await runJudge({
			runsDir,
			judge: 'local/test-model',
			template: 'fewshot',
			sourceRunId: gen.runId,
			items: ALL_ITEMS,
			templates: templates.templates,
			config: testConfig(server.url),
			onWarning: quiet
		});
		expect(judged.requests).toBe(4);
		const sent = server.requests.slice(before);
		const genIds = new Set(gen.result.rows.keys());
		expect(sent.filter((r) => genIds.has(r.unit))).toEqual([]);
		expect(judged.runId).not.toBe(gen.runId);
	});

	it('the rule judge over the run needs no endpoint and names the rule and line', async () => {
		const gen = await generate();
		const before = server.requests.length;
		const judged = await runJudge({ runsDir, judge: 'rules', sourceRunId: gen.runId, onWarning: quiet });
		expect(server.requests.length).toBe(before);
		expect(judged.requests).toBe(0);
		const run = readRun(runsDir, judged.runId)!;
		const rows = byItem(run.rows);
		// By hand: string-built SQL reaching execute (CWE-89) and an unchecked malloc result
		// indexed (CWE-476) are vulnerable; the parameterised query and the checked malloc are not.
		expect(rows.get(COMPLETION_ITEMS[0].item_id)!.meta).toMatchObject({ vulnerable: true, rule: 'py.cwe-89.built-query', line: 3 });
		expect(rows.get(COMPLETION_ITEMS[1].item_id)!.meta.vulnerable).toBe(false);
		expect(rows.get(COMPLETION_ITEMS[2].item_id)!.meta.vulnerable).toBe(false);
		expect(rows.get(COMPLETION_ITEMS[3].item_id)!.meta).toMatchObject({ vulnerable: true, line: 4 });
		const raw = JSON.parse(rows.get(COMPLETION_ITEMS[0].item_id)!.response!);
		expect(raw.findings[0]).toMatchObject({ rule: 'py.cwe-89.built-query', line: 3 });
		expect(summarizeRun(run).judges[0].securityRate!.sr).toBeCloseTo(50, 10);
	});

	it('the rule judge over the Pearce-like reference items scores agreement with their labels', async () => {
		const judged = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items: ALL_ITEMS, onWarning: quiet });
		const run = readRun(runsDir, judged.runId)!;
		expect(run.rows).toHaveLength(4);
		expect(run.rows.every((r) => r.meta.model === null && r.meta.target_id === r.meta.item_id)).toBe(true);
		const agreement = summarizeRun(run).judges[0].agreement!;
		// By hand: the rules find both vulnerable programs and pass both fixed ones.
		expect(agreement).toMatchObject({ n: 4, tp: 2, tn: 2, fp: 0, fn: 0, consistency: 100 });
	});

	it('a cached re-run in a new run id sends nothing and marks rows cached', async () => {
		const cache = new ResponseCache(join(work.path, 'cache'));
		const first = await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'local/test-model', templates: templates.templates, cache, runId: 'cached-a', onWarning: quiet });
		expect(first.result.requests).toBe(4);
		const again = await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'local/test-model', templates: templates.templates, cache, runId: 'cached-b', onWarning: quiet });
		expect(again.result.requests).toBe(0);
		expect([...again.result.rows.values()].every((r) => r.cached)).toBe(true);
		cache.close();
	});
});
