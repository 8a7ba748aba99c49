// The rule judge (its rules are pure code in core/judges/rules/) as a judge: judgeWithRules over
// each target's code, the rules that fired (rule id, line, message) kept as the raw answer. A
// target the rules cannot judge (a language or CWE they do not cover) is an 'error' row, never
// a verdict.
import { judgeWithRules } from '../../core/judges/rules/index.ts';
import { CWE_IDS, LANGUAGES, TASKS } from '../../core/vocabulary.ts';
import type { JudgeDescriptor } from '../judge.ts';
import { targetMeta } from '../target.ts';

export const RULES_JUDGE = 'rules';

export const rulesJudge: JudgeDescriptor = {
	name: RULES_JUDGE,
	usage: RULES_JUDGE,
	family: 'offline',
	summary: 'rule judge, all 18 CWEs, C and Python',
	accepts: { languages: LANGUAGES, cwes: CWE_IDS, tasks: TASKS },
	identity: ['judge', 'source'],
	templates: [],
	execution: {
		via: 'direct',
		units: (targets, ctx) =>
			targets.map((t) => ({
				id: ctx.unitId({ judge: RULES_JUDGE, target_id: t.target_id, cwe: t.cwe, language: t.language, code: t.code }),
				sample: t.sample,
				meta: targetMeta(t, RULES_JUDGE, ctx.sourceRunId),
				compute: () => {
					try {
						const verdict = judgeWithRules({ code: t.code, language: t.language, cwe: t.cwe });
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
			}))
	}
};
