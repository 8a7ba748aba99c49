// A generation run builds its units as it sends (engine/unit-source.ts via generation-run-core.ts):
// the requests it sends are exactly those of the units generationUnits lists, and whatever
// stops generationUnits (here a repair item of a CWE the catalogue does not know) still stops
// the run before it sends anything or makes its folder. Against the TEST DOUBLE
// (tests/support/openai-test-server.ts, not a model); items from fixtures.ts.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { resolveModel } from '../../../src/lib/engine/config.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { runGeneration } from '../../../src/lib/runs/generation-run.ts';
import { generationUnits } from '../../../src/lib/runs/generation-units.ts';
import { selectItems } from '../../../src/lib/runs/select-items.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, ANSWER_RULES } from './fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let templates: Awaited<ReturnType<typeof loadTemplates>>;

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-gen-source-');
	templates = await loadTemplates(resolve(__dirname, '../../../datasets/templates'));
}, 60_000);
afterAll(async () => {
	await server.close();
	work.remove();
});

describe('a generation run from its unit source', () => {
	it('sends the units generationUnits lists, each once, and logs one row per unit', async () => {
		const config = testConfig(server.url, { concurrency: 2 });
		const before = server.requests.length;
		const out = await runGeneration({ runsDir: work.path, config, items: ALL_ITEMS, task: 'completion', model: 'test-model', samples: 3, templates: templates.templates, compact: false });
		expect(out.result.state).toBe('completed');
		const listed = generationUnits({ items: selectItems(ALL_ITEMS, { task: 'completion' }), config, resolved: resolveModel(config, 'test-model'), templates: templates.templates, samples: 3 });
		const sent = server.requests.slice(before);
		expect(sent.map((r) => `${r.unit}:${r.sample}`).sort()).toEqual(listed.map((u) => `${u.id}:${u.sample}`).sort());
		const rows = readRunLog(join(work.path, out.runId, 'log.jsonl')).rows;
		expect(rows.map((r) => r.unit_id).sort()).toEqual(listed.map((u) => u.id).sort());
		for (const u of listed) expect(rows.find((r) => r.unit_id === u.id)!.meta).toMatchObject(u.meta);
		expect(out.result.manifest.counts).toMatchObject({ total: listed.length, pending: 0 });
	});

	it('stops before sending anything on an item no prompt can be built for', async () => {
		const runsDir = join(work.path, 'bad');
		const repair: Item[] = [
			{ ...ALL_ITEMS[0], item_id: 'repair/CWE-89/demo/0', task: 'repair', set: 'repair' },
			{ ...ALL_ITEMS[0], item_id: 'repair/CWE-9999/demo/1', task: 'repair', set: 'repair', cwe: 'CWE-9999' as Item['cwe'] }
		];
		const before = server.requests.length;
		await expect(runGeneration({ runsDir, config: testConfig(server.url), items: repair, task: 'repair', model: 'test-model', templates: templates.templates })).rejects.toThrow();
		expect(server.requests.length).toBe(before);
		expect(existsSync(runsDir) ? readdirSync(runsDir) : []).toEqual([]);
	});
});
