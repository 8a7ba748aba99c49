// The rule judge as direct-run units: judgeWithRules over each target's code, the rules that
// fired (rule id, line, message) kept as the raw answer. A target the rules cannot judge (a
// language or CWE they do not cover) is an 'error' row, never a verdict.
import { judgeWithRules, type RuleJudgeInput, type RuleVerdict } from '../core/judges/rules/index.ts';
import { unitId } from '../engine/canonical-json.ts';
import type { DirectUnit } from './direct-run.ts';
import type { JudgeTarget } from './judge-targets.ts';

export const RULES_JUDGE = 'rules';

/** `judge`: the tree-sitter rule judge (judges/rules/judge.ts) when given, its id in `engine`; else the token rules. */
export function ruleUnits(targets: readonly JudgeTarget[], sourceRunId: string | null, judge: (input: RuleJudgeInput) => RuleVerdict = judgeWithRules, engine?: string): DirectUnit[] {
	return targets.map((t) => ({
		id: unitId({ judge: RULES_JUDGE, target_id: t.target_id, cwe: t.cwe, language: t.language, code: t.code, ...(engine ? { engine } : {}) }),
		sample: t.sample,
		meta: {
			target_id: t.target_id,
			item_id: t.item_id,
			model: t.model,
			judge: RULES_JUDGE,
			template: null,
			task: t.task,
			cwe: t.cwe,
			language: t.language,
			source_run_id: sourceRunId,
			label: t.label,
			label_class: t.label_class,
			predicted_cwe: null
		},
		compute: () => {
			try {
				const verdict = judge({ code: t.code, language: t.language, cwe: t.cwe });
				const raw = JSON.stringify({
					findings: verdict.findings.map((f) => ({ rule: f.rule, line: f.line, message: f.message })),
					checked: verdict.checked.length
				});
				const first = verdict.findings[0];
				return {
					status: 'ok' as const,
					response: raw,
					error: null,
					fields: { vulnerable: verdict.vulnerable, rule: first?.rule ?? null, line: first?.line ?? null }
				};
			} catch (e) {
				return { status: 'error' as const, response: null, error: `rule judge: ${(e as Error).message}`, fields: { vulnerable: null, rule: null, line: null } };
			}
		}
	}));
}
