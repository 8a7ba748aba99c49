// The offline rule judge: "does this code have THIS CWE?", decided by token/structure rules.
// It never executes the code. Broken code gets a verdict on what the rules can read; text that
// holds no program or is not source (empty, only comments, a NUL byte, binary), or is past the
// size limits, throws UnjudgeableCodeError (screen.ts): a status, never "secure". An unknown
// CWE or language throws too (that is a caller bug, not a verdict).

import { tryNormalizeCweId } from '../../cwe.ts';
import { computeFacts } from './facts.ts';
import { RULES_BY_CWE } from './registry.ts';
import { assertJudgeable } from './screen.ts';
import { RULE_CWES, type RuleCwe, type RuleFinding, type RuleJudgeInput, type RuleVerdict } from './types.ts';

/** 'CWE-787', 'cwe-787', '787', 'CWE787' → 'CWE-787' (the catalogue's spelling rules); null when not one of the 18. */
export function normaliseRuleCwe(cwe: string): RuleCwe | null {
	const id = tryNormalizeCweId(cwe);
	return id !== null && (RULE_CWES as readonly string[]).includes(id) ? (id as RuleCwe) : null;
}

export function judgeWithRules(input: RuleJudgeInput): RuleVerdict {
	const cwe = normaliseRuleCwe(String(input.cwe));
	if (!cwe) throw new Error(`rule judge: unknown CWE ${JSON.stringify(input.cwe)}; expected one of ${RULE_CWES.join(', ')}`);
	if (input.language !== 'c' && input.language !== 'python') {
		throw new Error(`rule judge: unsupported language ${JSON.stringify(input.language)}; expected 'c' or 'python'`);
	}
	const code = typeof input.code === 'string' ? input.code : '';
	assertJudgeable(code, input.language);
	const rules = RULES_BY_CWE[cwe][input.language];
	const facts = computeFacts(code, input.language);
	const findings: RuleFinding[] = [];
	for (const rule of rules) findings.push(...rule.run(facts));
	findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	return { cwe, language: input.language, vulnerable: findings.length > 0, findings, checked: rules.map((r) => r.id) };
}
