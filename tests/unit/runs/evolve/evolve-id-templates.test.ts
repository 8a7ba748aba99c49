// The prompts an evolve run's filters send are part of its identity: two `covw evolve` runs with
// different induce / secure templates (or another completion template for the realise step) are
// two runs, not one that resumes the other. A template is named in the id only when it is not
// the one shipped when templates became part of the id, so a default run keeps the id it had.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVOLVE_STRATEGIES } from '../../../../src/lib/core/evolve/strategies.ts';
import { parseTemplate } from '../../../../src/lib/core/prompts/template.ts';
import { parseEngineConfig } from '../../../../src/lib/engine/config.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { evolveRunPlan, type EvolveRunOptions } from '../../../../src/lib/runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../../../src/lib/runs/evolve/evolve-templates.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';

const templateDir = resolve('datasets/templates');
let base: EvolveRunOptions;

beforeAll(async () => {
	const config = parseEngineConfig(
		JSON.stringify({ endpoints: { local: { baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'COVW_LOCAL_KEY', models: { 'test-model': {} } } } }),
		'evolve-ids.json',
		{ K: 'sk-test-evolve-ids' }
	);
	base = {
		runsDir: '/nonexistent',
		config,
		seeds: EVOLVE_SEEDS,
		strategies: EVOLVE_STRATEGIES,
		samples: 1,
		model: 'local/test-model',
		templates: (await loadEvolveTemplates(templateDir)).templates,
		taskTemplates: (await loadTemplates(templateDir)).templates
	};
});

const own = (name: string, text: string) => parseTemplate(text, `my-templates/${name}`);
const INDUCE = own('evolve-induce.txt', 'Could this {code} lead to {cwe_id}? Say yes or no.\n');
const SECURE = own('evolve-secure.txt', 'Is {code} already safe against {cwe_id}? Say yes or no.\n');

describe('evolve run ids and templates', () => {
	it('with the shipped templates, the ids are byte for byte those made before templates were in them', () => {
		// Measured on the tree before this change (dd16b27), same config, seeds and options.
		expect(evolveRunPlan(base).runId).toBe('evolve-local_test-model-95f66d4418');
		expect(evolveRunPlan({ ...base, secure: 'llm' }).runId).toBe('evolve-local_test-model-2b50b05999');
		expect(evolveRunPlan({ ...base, secure: 'both' }).runId).toBe('evolve-local_test-model-d25135d914');
		expect(evolveRunPlan({ ...base, strategies: ['constraints', 'reasoning'] }).runId).toBe('evolve-local_test-model-e2dcdf86c3');
		expect(Object.keys(evolveRunPlan({ ...base, secure: 'both' }).params.templates).sort()).toEqual([...EVOLVE_STRATEGIES].sort());
	});

	it('another induce template is another run', () => {
		const id = evolveRunPlan(base).runId;
		const mine = evolveRunPlan({ ...base, templates: { ...base.templates, induce: INDUCE } });
		expect(mine.runId).not.toBe(id);
		expect(mine.params.templates).toHaveProperty('induce');
		// Two different own templates: two runs.
		const other = own('evolve-induce.txt', 'Might {code} contain {cwe_id}? Answer yes or no.\n');
		expect(evolveRunPlan({ ...base, templates: { ...base.templates, induce: other } }).runId).not.toBe(mine.runId);
		// The same text from another file: the same run (the content decides, not the file name).
		expect(evolveRunPlan({ ...base, templates: { ...base.templates, induce: own('elsewhere.txt', 'Could this {code} lead to {cwe_id}? Say yes or no.\n') } }).runId).toBe(mine.runId);
	});

	it('another secure template is another run when an LLM checks "already secure", and changes nothing when only the rules do', () => {
		const templates = { ...base.templates, secure: SECURE };
		expect(evolveRunPlan({ ...base, templates }).runId).toBe(evolveRunPlan(base).runId);
		for (const secure of ['llm', 'both'] as const) {
			expect(evolveRunPlan({ ...base, secure, templates }).runId).not.toBe(evolveRunPlan({ ...base, secure }).runId);
		}
	});

	it('another completion template for the realise step is another run', () => {
		const taskTemplates = { ...base.taskTemplates, code_completion: own('code_completion.txt', 'Finish this {language} code:\n{code}\n') };
		expect(evolveRunPlan({ ...base, taskTemplates }).runId).not.toBe(evolveRunPlan(base).runId);
	});
});
