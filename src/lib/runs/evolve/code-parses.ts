// Does a training example's program parse in its language? The tree-sitter parsers the rule judge
// uses (judges/rules/parse.ts), reused as they are: a tree with an ERROR node (text the grammar
// cannot place: a Python `def` appended to a C program) or a MISSING node (a token the parser had
// to invent: a closing parenthesis) is not parseable, and such a program is no training target,
// whatever a judge said of it. Each refusal has a reason, so an export can count them by reason.
import { DEFAULT_RULE_TIME_LIMIT_MS, withTimeLimit } from '../../core/judges/rules/deadline.ts';
import { loadParsers, type Node, type ParseLanguage } from '../../judges/rules/parse.ts';
import { MAX_CODE_CHARS } from '../import/types.ts';

/** Why a program is not parseable (null: it parses). */
export type ParseProblem = 'syntax_error' | 'missing_token' | 'parser_limit' | 'too_large' | 'not_checked' | 'unknown_language';

export const PARSE_PROBLEMS: readonly ParseProblem[] = ['syntax_error', 'missing_token', 'parser_limit', 'too_large', 'not_checked', 'unknown_language'];

/** The whole parse check of an export may take this long; the programs past it are "not checked". */
export const PARSE_CHECK_BUDGET_MS = 120_000;

/** What each reason means, for a summary line. */
export const PARSE_PROBLEM_TEXT: Record<ParseProblem, string> = {
	syntax_error: 'text the parser could not place (an ERROR node)',
	missing_token: 'a token missing, e.g. a closing parenthesis (a MISSING node)',
	parser_limit: `no tree within the parser's limit (${DEFAULT_RULE_TIME_LIMIT_MS / 1000} s)`,
	too_large: `longer than ${MAX_CODE_CHARS.toLocaleString('en-US')} characters (the import's cap), not parsed`,
	not_checked: `not checked: the parse check's time budget (${PARSE_CHECK_BUDGET_MS / 1000} s for all programs) ran out first`,
	unknown_language: 'a language with no parser here (C and Python only)'
};

export interface ParseFinding {
	problem: ParseProblem;
	/** 1-based line of the first ERROR node, else of the first MISSING node, when there is one. */
	line: number | null;
	/** missing_token only: the 0-based row of the first MISSING node (a caller that knows where a program was cut compares it with that row). */
	firstMissingRow?: number;
}

/** Any ERROR node (the first in the text) before any MISSING one: text the grammar cannot place is never excused as a token the cut left out. */
function firstProblem(root: Node): ParseFinding | null {
	if (!root.hasError) return null;
	const stack: Node[] = [root];
	let firstMissing: Node | null = null;
	while (stack.length) {
		const node = stack.pop()!;
		if (node.isError) return { problem: 'syntax_error', line: node.startPosition.row + 1 };
		if (node.isMissing && (firstMissing === null || node.startIndex < firstMissing.startIndex)) firstMissing = node;
		// children in reverse, so the first in the text is looked at first
		for (let i = node.childCount - 1; i >= 0; i--) {
			const child = node.child(i);
			if (child && (child.hasError || child.isMissing)) stack.push(child);
		}
	}
	if (firstMissing === null) return { problem: 'syntax_error', line: null };
	return { problem: 'missing_token', line: firstMissing.startPosition.row + 1, firstMissingRow: firstMissing.startPosition.row };
}

/** A synchronous checker (the parsers load once, here): null when `code` parses as `language`. */
export async function parseChecker(): Promise<(code: string, language: string) => ParseFinding | null> {
	const parsers = await loadParsers();
	return (code, language) => {
		if (language !== 'c' && language !== 'python') return { problem: 'unknown_language', line: null };
		// No function is this long; parsing it would cost seconds and WASM memory that is never given back.
		if (code.length > MAX_CODE_CHARS) return { problem: 'too_large', line: null };
		let tree;
		try {
			tree = withTimeLimit(DEFAULT_RULE_TIME_LIMIT_MS, () => parsers.parse(code, language as ParseLanguage));
		} catch {
			return { problem: 'parser_limit', line: null };
		}
		try {
			return firstProblem(tree.rootNode);
		} finally {
			tree.delete();
		}
	};
}
