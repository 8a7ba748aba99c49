// The real seeds (../shared/coveval, read at run time, never copied): 54 completion seeds ×
// 4 strategies make 216 evolution units whose prompts carry each seed whole, marker included.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_MARKER, EVOLVE_STRATEGIES } from '../../../../src/lib/core/evolve/strategies.ts';
import { loadItemsFromFolder } from '../../../../src/lib/node/coveval/load-items.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { evolveRunPlan, evolveUnits, runEvolve } from '../../../../src/lib/runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../../../src/lib/runs/evolve/evolve-templates.ts';
import { selectItems } from '../../../../src/lib/runs/select-items.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const shared = resolve(root, '../shared/coveval');
const missing = !existsSync(shared);
if (missing) console.warn(`skipping the Vul-Evol real-seed test: ${shared} is absent`);
const templateDir = join(root, 'datasets/templates');

describe.skipIf(missing)('evolving the benchmark seeds', () => {
	it('54 seeds × 4 strategies = 216 units, each prompt holding its seed and the marker', async () => {
		const { items } = await loadItemsFromFolder(shared);
		const seeds = selectItems(items, { task: 'completion', set: ['seed'] });
		expect(seeds.length).toBe(54);
		expect(seeds.every((s) => s.code.includes(COMPLETION_MARKER))).toBe(true);
		const options = {
			runsDir: '/nonexistent', config: testConfig('http://127.0.0.1:9/v1'), seeds, strategies: EVOLVE_STRATEGIES, samples: 1,
			model: 'local/test-model', templates: (await loadEvolveTemplates(templateDir)).templates, taskTemplates: (await loadTemplates(templateDir)).templates
		};
		const units = evolveUnits(options);
		expect(units.length).toBe(216);
		expect(new Set(units.map((u) => u.id)).size).toBe(216);
		for (const u of units) {
			const seed = seeds.find((s) => s.item_id === u.meta.seed_id)!;
			expect(u.request.messages.at(-1)!.content).toContain(seed.code);
		}
		expect(evolveRunPlan(options).runId).toMatch(/^evolve-local_test-model-[0-9a-f]{10}$/);
	}, 60_000);
});

describe('a run where no candidate reaches a model-backed filter', () => {
	let server: TestServer;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		server = await startTestServer({ vulEvol: true });
		dir = tempDir('covw-evolve-empty-');
	});
	afterAll(async () => {
		await server.close();
		dir.remove();
	});

	it('records the empty filter steps and keeps every candidate row', async () => {
		const out = await runEvolve({
			runsDir: dir.path, config: testConfig(server.url), seeds: [EVOLVE_SEEDS[1]], strategies: ['constraints', 'specific'], samples: 1,
			model: 'local/test-model', secure: 'both', onWarning: () => {},
			templates: (await loadEvolveTemplates(templateDir)).templates, taskTemplates: (await loadTemplates(templateDir)).templates
		});
		expect(out.state).toBe('completed');
		expect(out.rows.map((r) => [r.answer, r.differs, r.realisable, r.induces, r.not_secure, r.accepted])).toEqual([
			['fail', 'skipped', 'skipped', 'skipped', 'skipped', false],
			['fail', 'skipped', 'skipped', 'skipped', 'skipped', false]
		]);
		expect(out.steps.realise.manifest.counts.total).toBe(0);
		expect(out.steps.secure.manifest.state).toBe('completed');
	});
});
