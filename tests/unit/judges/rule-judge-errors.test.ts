// A target the rule judges cannot judge is an 'error' row whose message says "rule judge:" once
// (the core judge's message already begins with it; the run page showed it twice).
import { describe, expect, it } from 'vitest';
import { rulesJudge, tokenRulesJudge } from '../../../src/lib/judges/rules/rules-judge.ts';
import type { JudgeTarget } from '../../../src/lib/judges/target.ts';

const target = { target_id: 't1', item_id: 'own/t1', model: null, sample: 0, task: 'reference', cwe: 'CWE-377', language: 'c', scenario: 's', code: 'int main(void) { return 0; }', response: '', label: 'vulnerable', label_class: null } as unknown as JudgeTarget;

describe('a rule judge error', () => {
	for (const judge of [rulesJudge, tokenRulesJudge]) {
		it(`${judge.name}: names the judge once`, async () => {
			if (judge.execution.via !== 'direct') throw new Error('a rule judge runs directly');
			const [unit] = await judge.execution.units([target], { sourceRunId: null, unitId: () => 'u1' });
			const out = await unit.compute();
			expect(out.status).toBe('error');
			expect(out.error).toMatch(/^rule judge: /);
			expect(out.error).not.toMatch(/rule judge: rule judge:/);
			expect(out.error).toContain('CWE-377');
		});
	}
});
