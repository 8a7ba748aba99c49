// Item selection, unit ids, and the judge request shape (structured output where the endpoint
// config says it is supported), on our own fixture items. No endpoint is contacted.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { parseEngineConfig, resolveModel } from '../../../src/lib/engine/config.ts';
import { generationUnits } from '../../../src/lib/runs/generation-units.ts';
import { judgeUnits } from '../../../src/lib/runs/judge-units.ts';
import { targetsFromItems } from '../../../src/lib/runs/judge-targets.ts';
import { selectItems } from '../../../src/lib/runs/select-items.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { ALL_ITEMS, COMPLETION_ITEMS, REFERENCE_ITEMS } from './fixtures.ts';

const templates = async () => (await loadTemplates(resolve(__dirname, '../../../datasets/templates'))).templates;

function config(structuredOutput: boolean, params: Record<string, unknown> = {}) {
	return parseEngineConfig(
		JSON.stringify({ endpoints: { ep: { baseURL: 'http://127.0.0.1:9/v1', structuredOutput, models: { judge: { params } } } } }),
		'test.json',
		{}
	);
}

/** Twenty made-up completion items, ids 0..19. */
const many: Item[] = Array.from({ length: 20 }, (_, i) => ({
	...COMPLETION_ITEMS[0],
	item_id: `completion/seed/CWE-89/x/${i}`,
	cwe: i % 2 ? 'CWE-89' : 'CWE-78',
	language: i % 3 ? 'python' : 'c'
}));

describe('selectItems', () => {
	it('filters by task, set, CWE and language, in numeric item order', () => {
		expect(selectItems(ALL_ITEMS, { task: 'completion', set: ['vul-evol'] }).map((i) => i.item_id)).toEqual([COMPLETION_ITEMS[3].item_id]);
		expect(selectItems(ALL_ITEMS, { task: 'completion', cwe: ['CWE-476'], language: ['c'] })).toHaveLength(2);
		expect(selectItems(many, { task: 'completion', limit: 3 }).map((i) => i.item_id.split('/').pop())).toEqual(['0', '1', '2']);
	});

	it('a seeded sample is reproducible, of the right size, and depends on the seed', () => {
		const a = selectItems(many, { task: 'completion', limit: 5, seed: 7 });
		const b = selectItems(many, { task: 'completion', limit: 5, seed: 7 });
		const c = selectItems(many, { task: 'completion', limit: 5, seed: 8 });
		expect(a).toHaveLength(5);
		expect(new Set(a.map((i) => i.item_id)).size).toBe(5);
		expect(a).toEqual(b);
		expect(c.map((i) => i.item_id)).not.toEqual(a.map((i) => i.item_id));
	});
});

describe('work units', () => {
	it('n samples are n units with distinct ids; ids are stable and change with the model params', async () => {
		const cfg = config(false);
		const t = await templates();
		const units = generationUnits({ items: COMPLETION_ITEMS.slice(0, 2), config: cfg, resolved: resolveModel(cfg, 'ep/judge'), templates: t, samples: 2 });
		expect(units).toHaveLength(4);
		expect(new Set(units.map((u) => u.id)).size).toBe(4);
		const again = generationUnits({ items: COMPLETION_ITEMS.slice(0, 2), config: cfg, resolved: resolveModel(cfg, 'ep/judge'), templates: t, samples: 2 });
		expect(again.map((u) => u.id)).toEqual(units.map((u) => u.id));
		const hot = config(false, { temperature: 1.2 });
		const hotter = generationUnits({ items: COMPLETION_ITEMS.slice(0, 2), config: hot, resolved: resolveModel(hot, 'ep/judge'), templates: t, samples: 2 });
		expect(hotter[0].id).not.toBe(units[0].id);
		expect(hotter[0].request.temperature).toBe(1.2);
	});

	it('judges ask for a JSON schema only where the endpoint supports it, and default to temperature 0', async () => {
		const t = await templates();
		const targets = targetsFromItems(ALL_ITEMS, 'pearce').targets;
		for (const [flag, expected] of [[true, 'json_schema'], [false, undefined]] as const) {
			const cfg = config(flag);
			const [unit] = judgeUnits({ targets, config: cfg, resolved: resolveModel(cfg, 'ep/judge'), style: 'zeroshot', templates: t, reference: [], sourceRunId: null });
			expect((unit.request.response_format as { type?: string } | undefined)?.type).toBe(expected);
			expect(unit.request.temperature).toBe(0);
		}
		const cfg = config(true, { temperature: 0.3 });
		const [direct] = judgeUnits({ targets, config: cfg, resolved: resolveModel(cfg, 'ep/judge'), style: 'direct', templates: t, reference: [], sourceRunId: null });
		expect(direct.request.temperature).toBe(0.3);
		const schema = (direct.request.response_format as { json_schema: { schema: { required: string[]; properties: { vulnerable: { enum: string[] } } } } }).json_schema.schema;
		expect(schema.required).toEqual(['analysis', 'vulnerable']);
		expect(schema.properties.vulnerable.enum).toEqual(['Yes', 'No']);
	});

	it('few-shot prompts carry a vulnerable and a fixed reference program of the same scenario, never the judged code', async () => {
		const t = await templates();
		const cfg = config(false);
		// Judge the vulnerable CWE-476 reference program itself: it may not be its own example.
		const targets = targetsFromItems(ALL_ITEMS, 'pearce').targets.filter((x) => x.cwe === 'CWE-476');
		const [vulnerable, fixed] = targets;
		// A second fixed program of the scenario, so the judged one is not its own example.
		const otherFixed: Item = { ...REFERENCE_ITEMS[1], item_id: 'reference/pearce/CWE-476/demo/9', code: 'int main(void) { return 0; } /* another fixed one */\n' };
		const reference = [...REFERENCE_ITEMS, otherFixed];
		const [unit] = judgeUnits({ targets: [fixed], config: cfg, resolved: resolveModel(cfg, 'ep/judge'), style: 'fewshot', templates: t, reference, sourceRunId: null });
		const prompt = unit.request.messages.at(-1)!.content;
		expect(prompt).toContain(REFERENCE_ITEMS[0].code);
		expect(prompt).toContain(otherFixed.code);
		// The judged program appears once: as the code judged, not also as its own example.
		expect(prompt.split(REFERENCE_ITEMS[1].code).length - 1).toBe(1);
		// The vulnerable one is the scenario's only vulnerable program: no example left, and the
		// error names the item.
		expect(() =>
			judgeUnits({ targets: [vulnerable], config: cfg, resolved: resolveModel(cfg, 'ep/judge'), style: 'fewshot', templates: t, reference: REFERENCE_ITEMS, sourceRunId: null })
		).toThrow(`few-shot judge of ${REFERENCE_ITEMS[0].item_id}: no vulnerable reference program`);
	});
});
