import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { pickFewShotExamples } from '../../../../src/lib/core/prompts/few-shot-examples.ts';
import { buildTaskPrompt, type TemplateSet } from '../../../../src/lib/core/prompts/build.ts';
import { parseTemplate } from '../../../../src/lib/core/prompts/template.ts';

const ref = (scenario: string, n: number, label: 'vulnerable' | 'non_vulnerable', language: 'c' | 'python' = 'python'): Item => ({
	item_id: `reference/pearce/CWE-89/${scenario}/copilot-${n}`,
	task: 'reference',
	set: 'pearce',
	cwe: 'CWE-89',
	language,
	scenario,
	code: `# ${scenario} ${n}`,
	label,
	label_class: label === 'vulnerable' ? 'CWE-89' : 'non_vulnerable',
	source: 'test'
});

describe('pickFewShotExamples', () => {
	const pool = [ref('q', 10, 'vulnerable'), ref('q', 2, 'vulnerable'), ref('q', 3, 'non_vulnerable'), ref('r', 1, 'non_vulnerable'), ref('s', 0, 'vulnerable')];

	it('takes the lowest-numbered program of each label from the same scenario', () => {
		const picked = pickFewShotExamples(pool, { cwe: 'CWE-89', scenario: 'q', language: 'python' });
		expect(picked.vulnerable.item_id).toBe('reference/pearce/CWE-89/q/copilot-2');
		expect(picked.nonVulnerable.item_id).toBe('reference/pearce/CWE-89/q/copilot-3');
		expect(picked.sameScenario).toEqual({ vulnerable: true, nonVulnerable: true });
	});

	it('borrows a missing side from another scenario of the CWE and says so; never shows the judged code', () => {
		const picked = pickFewShotExamples(pool, { cwe: 'CWE-89', scenario: 's', language: 'python' });
		expect(picked.nonVulnerable.scenario).toBe('q');
		expect(picked.sameScenario).toEqual({ vulnerable: true, nonVulnerable: false });
		const excluding = pickFewShotExamples(pool, { cwe: 'CWE-89', scenario: 'q', language: 'python' }, '# q 2');
		expect(excluding.vulnerable.item_id).toBe('reference/pearce/CWE-89/q/copilot-10');
		const onlyVulnerableC = [ref('q', 1, 'vulnerable', 'c')];
		expect(() => pickFewShotExamples(onlyVulnerableC, { cwe: 'CWE-89', scenario: 'z', language: 'c' })).toThrow('no non_vulnerable reference program for CWE-89 (c)');
	});

	it('refuses to build a model prompt for a reference item', () => {
		const t = parseTemplate('{code}', 't');
		const templates = Object.fromEntries(['code_completion', 'vulnerability_repair', 'detection_classification', 'judge_zeroshot', 'judge_fewshot', 'judge_direct'].map((n) => [n, t])) as unknown as TemplateSet;
		expect(() => buildTaskPrompt(pool[0], templates)).toThrow('reference programs are judged');
	});
});
