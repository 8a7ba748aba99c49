// Shared types of the offline rule judge.

export type RuleLanguage = 'c' | 'python';

export const RULE_CWES = [
	'CWE-20', 'CWE-22', 'CWE-78', 'CWE-79', 'CWE-89', 'CWE-119', 'CWE-125', 'CWE-190',
	'CWE-200', 'CWE-306', 'CWE-416', 'CWE-434', 'CWE-476', 'CWE-502', 'CWE-522', 'CWE-732',
	'CWE-787', 'CWE-798'
] as const;
export type RuleCwe = (typeof RULE_CWES)[number];

export interface RuleJudgeInput {
	code: string;
	language: RuleLanguage;
	/** Canonical id such as 'CWE-787'; 'cwe-787' and '787' are accepted too. */
	cwe: string;
}

export interface RuleFinding {
	/** Stable rule id, e.g. 'c.cwe-476.unchecked-malloc-deref'. */
	rule: string;
	/** 1-based line in the given code. */
	line: number;
	message: string;
}

export interface RuleVerdict {
	cwe: RuleCwe;
	language: RuleLanguage;
	vulnerable: boolean;
	/** Why the code was judged vulnerable; empty when it was not. */
	findings: RuleFinding[];
	/** Rules that were run (all of them passed when `findings` is empty). */
	checked: string[];
}

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'directive';

export interface Token {
	kind: TokenKind;
	/** Source text (for strings: the whole literal including quotes and prefix). */
	text: string;
	/** 1-based line the token starts on. */
	line: number;
	/** Strings: the content between the quotes, escapes left as written. */
	value?: string;
	/** Strings: lower-cased prefix letters (python 'f', 'rb', ...; C 'l', 'u8', ...). */
	prefix?: string;
	/** Python: true on the first token of a logical line. */
	bol?: boolean;
	/** Python: indentation column of the physical line of a `bol` token. */
	indent?: number;
}

/** What a rule sees: tokens plus precomputed structure. */
export interface RuleContext {
	language: RuleLanguage;
	code: string;
	tokens: Token[];
	/** For each opening bracket index the index of its closing one (and back), else -1. */
	match: Int32Array;
}

export interface Rule {
	id: string;
	/** Returns findings; an empty array means the check passed. */
	run(facts: Facts): RuleFinding[];
}

/** Structure computed once per program and shared by every rule (see facts.ts). */
export interface Facts {
	ctx: RuleContext;
	calls: import('./structure.ts').Call[];
	assignments: import('./structure.ts').Assignment[];
	functions: import('./structure.ts').FunctionInfo[];
	/** Identifiers holding data that came from outside (request, argv, stdin, ...), propagated. */
	tainted: Set<string>;
	/** Identifiers filled directly from a source (before propagation). */
	inputs: Set<string>;
}

export interface CweRules {
	cwe: RuleCwe;
	c: Rule[];
	python: Rule[];
}
