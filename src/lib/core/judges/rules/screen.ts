// What the offline judges refuse to judge, before any rule or analyzer runs: text that holds no
// program (empty, blank, only comments), text that is not source (a NUL byte, control bytes or
// invalid UTF-8 all over), a program in another language handed in as C or Python (Go, C++,
// Java, JavaScript, Rust, PHP, or C as Python and Python as C: language-fingerprints.ts), and —
// for the rule judges only — programs past the size the rules are measured for (their time
// grows with the size; a whole 2 MB file is not what a judge run hands over). A refusal is an
// error status with its reason, never a verdict: "secure" would claim the judge looked and found
// nothing. screenProgram is the gate every offline judge passes first (the rule judges here, the
// analyzers in judges/analyzers/judge.ts, so no tool runs on such code; ensembles get no verdict
// from a member that refused). The tree-sitter judge adds its own refusals (code that does not
// parse, nesting too deep).

import { otherLanguage } from './language-fingerprints.ts';
import type { RuleLanguage } from './types.ts';

/** Past these the rule judges answer with an error, not a verdict. */
export const RULE_JUDGE_LIMITS = { bytes: 500_000, lines: 10_000 } as const;

/** Thrown by a rule judge for a program it cannot judge (the analyzers return the same reason as an error verdict); `reason` says why, in words. */
export class UnjudgeableCodeError extends Error {
	readonly reason: string;
	constructor(reason: string) {
		super(`cannot judge this code: ${reason}`);
		this.name = 'UnjudgeableCodeError';
		this.reason = reason;
	}
}

/** The text without its comments (C: block and line comments; Python: # comments). Strings are not looked into: good enough to see whether anything else is left. */
function withoutComments(code: string, language: RuleLanguage): string {
	return language === 'c' ? code.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/\/\/[^\n]*/g, ' ') : code.replace(/#[^\n]*/g, ' ');
}

/** Characters that never occur in source text: C0 controls other than tab, line ends and form feed, and U+FFFD (bytes that were not UTF-8). */
const NOT_TEXT = /[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g;

/** Why no offline judge can judge this code as `language` (rules and analyzers alike), or null when it can. */
export function screenProgram(code: string, language: RuleLanguage): string | null {
	const nul = code.indexOf('\u0000');
	if (nul >= 0) return `a NUL byte on line ${code.slice(0, nul).split('\n').length}: binary data, not source text`;
	const visible = code.replace(/\s+/g, '').length;
	const odd = code.match(NOT_TEXT)?.length ?? 0;
	if (visible > 0 && odd / visible > 0.05) return `not source text: ${odd} of ${visible} characters are control bytes or invalid UTF-8`;
	if (!withoutComments(code, language).trim()) return code.trim() ? 'no code: only comments' : 'no code: the program is empty';
	return otherLanguage(code, language);
}

/** Why the rule judges cannot judge this code, or null when they can: screenProgram, and the size limits. */
export function screenCode(code: string, language: RuleLanguage): string | null {
	const nul = code.indexOf('\u0000');
	if (nul >= 0) return screenProgram(code, language);
	if (code.length > RULE_JUDGE_LIMITS.bytes) return `too large for the rule judge: ${code.length} characters (the limit is ${RULE_JUDGE_LIMITS.bytes})`;
	let lines = 1;
	for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lines++;
	if (lines > RULE_JUDGE_LIMITS.lines) return `too large for the rule judge: ${lines} lines (the limit is ${RULE_JUDGE_LIMITS.lines})`;
	return screenProgram(code, language);
}

/** Throws UnjudgeableCodeError when screenCode finds a reason. */
export function assertJudgeable(code: string, language: RuleLanguage): void {
	const reason = screenCode(code, language);
	if (reason) throw new UnjudgeableCodeError(reason);
}
