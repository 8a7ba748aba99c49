// The rule judges as judges. `rules`: the tree-sitter rules (judge.ts, joined with the token rules
// of core/judges/rules/); `rules-v1`: the token rules alone, the earlier judge, kept to compare.
// Each runs over each target's code; the rules that fired (rule id, line, message) are kept as
// the raw answer. A target the rules cannot judge (a language or CWE they do not cover, or code
// they refuse: no program, not source, past the size limits, not parseable — UnjudgeableCodeError
// with its reason) is an 'error' row, never a verdict; so is a program the tree rules did not
// finish within its time limit (core/judges/rules/deadline.ts: "judge time limit", default 10 s, the run's
// `timeLimitMs`), which a resumed run judges again. The tree parsers load (WASM) when a run starts, so these
// descriptors stay free of Node code and the browser can read them.
import { judgeWithRules } from '../../core/judges/rules/index.ts';
import type { RuleJudgeInput, RuleVerdict } from '../../core/judges/rules/types.ts';
import { CWE_IDS, LANGUAGES, TASKS } from '../../core/vocabulary.ts';
import type { JudgeDescriptor, VerdictUnit } from '../judge.ts';
import { targetMeta } from '../target.ts';
import { DEFAULT_RULE_TIME_LIMIT_MS, runSteps, withTimeLimit } from '../../core/judges/rules/deadline.ts';
import { TOKEN_RULES_ENGINE, TREE_RULES_ENGINE } from './engine-id.ts';

export const RULES_JUDGE = 'rules';
export const TOKEN_RULES_JUDGE = 'rules-v1';

/** A rule judge as steps (it yields between its passes; core/judges/rules/deadline.ts). */
type RuleSteps = (input: RuleJudgeInput, options: { timeLimitMs?: number }) => Generator<void, RuleVerdict>;
type Row = ReturnType<VerdictUnit['compute']>;

function ruleJudge(name: string, summary: string, engine: string | null, load: () => Promise<RuleSteps>): JudgeDescriptor {
	return {
		name,
		usage: name,
		family: 'offline',
		summary,
		accepts: { languages: LANGUAGES, cwes: CWE_IDS, tasks: TASKS },
		identity: engine ? ['judge', 'engine', 'source'] : ['judge', 'source'],
		...(engine ? { identityParams: { engine } } : {}),
		templates: [],
		execution: {
			via: 'direct',
			units: async (targets, ctx) => {
				const judge = await load();
				const timeLimitMs = ctx.timeLimitMs ?? DEFAULT_RULE_TIME_LIMIT_MS;
				return targets.map((t) => {
					// the row, computed one pass at a time: a direct run in the server's process gives the event loop turns in between
					function* computeSteps(): Generator<void, Row> {
						try {
							const verdict = yield* judge({ code: t.code, language: t.language, cwe: t.cwe }, { timeLimitMs });
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
							// The core rule judge's messages already begin "rule judge: ": not twice.
							const message = (e as Error).message;
							const error = message.startsWith('rule judge: ') ? message : `rule judge: ${message}`;
							return { status: 'error' as const, response: null, error, fields: { vulnerable: null, rule: null, line: null } };
						}
					}
					return {
						id: ctx.unitId({ judge: name, target_id: t.target_id, cwe: t.cwe, language: t.language, code: t.code, ...(engine ? { engine } : {}) }),
						sample: t.sample,
						meta: targetMeta(t, name, ctx.sourceRunId),
						compute: () => runSteps(computeSteps()),
						computeSteps
					};
				});
			}
		}
	};
}

export const rulesJudge = ruleJudge(RULES_JUDGE, 'rule judge on syntax trees (tree-sitter) with data flow, all 18 CWEs, C and Python', TREE_RULES_ENGINE, async () => {
	const { createTreeRuleJudge } = await import('./judge.ts');
	return (await createTreeRuleJudge()).steps;
});

export const tokenRulesJudge = ruleJudge(TOKEN_RULES_JUDGE, 'the earlier token-rule judge (no syntax trees), to compare', TOKEN_RULES_ENGINE, async () =>
	// one step: the token rules have no passes to yield between
	function* (input, options) {
		return withTimeLimit(options.timeLimitMs, () => judgeWithRules(input));
	}
);
