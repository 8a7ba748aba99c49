// The rule judge on real syntax trees (tree-sitter): "does this code have THIS CWE?".
// For the CWEs with a tree family (injection into SQL / shells / HTML / paths in Python;
// use after free, NULL results, bounds and integer overflow in C) the families read the tree
// of every function with its data flow (dataflow.ts); their findings are joined with those of
// the token rules of core/judges/rules (still the only rules for the other CWEs), so a verdict
// always names its rule and line. The code is never executed. Broken code is judged on what
// parsed (the tree has error nodes); code the parser cannot read as the language (over 10% of
// its tokens unplaced: C++ or Python 2 oddities handed in, binary), nesting deeper than
// MAX_SYNTAX_DEPTH (brackets that deep are refused before the parse), and what the token rules refuse (core/judges/rules/screen.ts: no code, a NUL
// byte, past the size limits) throw UnjudgeableCodeError — a status, never a verdict. An
// unknown CWE or language throws too.

import { judgeWithRules, normaliseRuleCwe } from '../../core/judges/rules/judge.ts';
import type { RuleFinding, RuleJudgeInput, RuleVerdict } from '../../core/judges/rules/types.ts';
import { analyseFunction, functionsOf, type FunctionFacts } from './dataflow.ts';
import { cBounds, cCursorPastEnd, cOffsetInLoop, cIntegerOverflow, cDerefBeforeCheck, cLengthParam, cNetlinkAttr, cNullDeref, cOffByOne, cPathParam, cStreamReads, cUncheckedAlloc, cWrappingCheck, cUseAfterFree, exitsOn, FREE, NOT_A_RELEASE } from './families/c.ts';
import { cAdvanceByDataLength, cErrorPathFallsThrough, cLoopCountFromData, cNullOnSomePath, cPointerPastEnd, cSumInBoundTest, cUseBeforeCheck } from './families/c-guards.ts';
import { pyPath, pySql, pySqlText, pyShell, pyXss } from './families/python.ts';
import { pyCredentials, pyDjangoUpload, pyDjangoViewWithoutLogin, pyUncheckedNumber } from './families/py-web.ts';
import { cSecretInLog, cUncheckedNumber } from './families/c-input.ts';
import type { TreeFinding } from './families/types.ts';
import { loadParsers, type Parsers } from './parse.ts';
import { MAX_SYNTAX_DEPTH, toSyn, TooDeepError, unparsedShare } from './syntax.ts';
import { UnjudgeableCodeError } from '../../core/judges/rules/screen.ts';
import { checkDeadline, runSteps, stepsWithTimeLimit } from '../../core/judges/rules/deadline.ts';

type Family = { id: string; run: (f: FunctionFacts) => TreeFinding[] };

/** The bounds families shared by reads (CWE-125), writes (CWE-787) and both (CWE-119). */
const BOUNDS_FAMILIES: Family[] = [
	{ id: 'c.bounds.length', run: cLengthParam },
	{ id: 'c.bounds.stream', run: cStreamReads },
	{ id: 'c.bounds.off-by-one', run: cOffByOne },
	{ id: 'c.bounds.wrapping', run: cWrappingCheck },
	{ id: 'c.bounds.cursor', run: cCursorPastEnd },
	{ id: 'c.bounds.offset-loop', run: cOffsetInLoop },
	{ id: 'c.bounds.alloc-size', run: (f) => cIntegerOverflow(f).filter((x) => x.rule === 'c.integer.alloc-size-overflow') },
	{ id: 'c.bounds.loop-count', run: cLoopCountFromData },
	{ id: 'c.bounds.advance', run: cAdvanceByDataLength },
	{ id: 'c.bounds.past-end', run: cPointerPastEnd },
	{ id: 'c.bounds.use-before-check', run: (f) => cUseBeforeCheck(f, exitsOn) }
];

/** An error branch that releases and then reports success (CWE-416 and CWE-476). */
const ERROR_PATH: Family = { id: 'c.lifetime.error-path', run: (f) => cErrorPathFallsThrough(f, FREE, NOT_A_RELEASE) };

/** Tree families per language and CWE. */
export const TREE_FAMILIES: Record<'c' | 'python', Partial<Record<string, Family[]>>> = {
	python: {
		'CWE-89': [{ id: 'py.sql', run: pySql }, { id: 'py.sql-text', run: pySqlText }],
		'CWE-78': [{ id: 'py.shell', run: pyShell }],
		'CWE-79': [{ id: 'py.xss', run: pyXss }],
		'CWE-22': [{ id: 'py.path', run: pyPath }],
		'CWE-522': [{ id: 'py.credentials', run: pyCredentials }],
		'CWE-306': [{ id: 'py.auth.django', run: pyDjangoViewWithoutLogin }],
		'CWE-434': [{ id: 'py.upload.django', run: pyDjangoUpload }],
		'CWE-20': [{ id: 'py.input.number', run: pyUncheckedNumber }]
	},
	c: {
		'CWE-416': [{ id: 'c.lifetime', run: cUseAfterFree }, ERROR_PATH],
		'CWE-476': [{ id: 'c.null', run: cNullDeref }, { id: 'c.null.late-check', run: cDerefBeforeCheck }, { id: 'c.null.netlink', run: cNetlinkAttr }, { id: 'c.null.alloc', run: cUncheckedAlloc }, { id: 'c.null.some-path', run: cNullOnSomePath }, ERROR_PATH],
		'CWE-125': [{ id: 'c.bounds.read', run: (f) => cBounds(f, false) }, ...BOUNDS_FAMILIES],
		'CWE-119': [{ id: 'c.bounds', run: (f) => cBounds(f, false) }, ...BOUNDS_FAMILIES],
		'CWE-787': [{ id: 'c.bounds.write', run: (f) => cBounds(f, true) }, ...BOUNDS_FAMILIES],
		'CWE-190': [{ id: 'c.integer', run: cIntegerOverflow }, { id: 'c.integer.sum-test', run: cSumInBoundTest }, { id: 'c.bounds.use-before-check', run: (f) => cUseBeforeCheck(f, exitsOn) }],
		'CWE-22': [{ id: 'c.path', run: cPathParam }],
		'CWE-20': [{ id: 'c.input.number', run: cUncheckedNumber }],
		'CWE-200': [{ id: 'c.secrets.log', run: cSecretInLog }]
	}
};

export { TREE_RULES_ENGINE } from './engine-id.ts';

export interface TreeRuleOptions {
	/** Past this (ms) the program gets no verdict: JudgeTimeLimitError (core/judges/rules/deadline.ts). Default: none. */
	timeLimitMs?: number;
}

export interface TreeRuleJudge {
	judge(input: RuleJudgeInput, options?: TreeRuleOptions): RuleVerdict;
	/** The same judge as steps (judgeInSteps). */
	steps(input: RuleJudgeInput, options?: TreeRuleOptions): Generator<void, RuleVerdict>;
}

/** Python methods cut out of a class keep their indentation: dedent so the parser sees a def. */
function dedent(code: string): string {
	const lines = code.split('\n');
	const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
	const cut = indents.length ? Math.min(...indents) : 0;
	return cut ? lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n') : code;
}

const ANNOTATIONS = /\b(__user|__kernel|__iomem|__force|__rcu|__percpu|__must_check|__init|__exit|__always_inline|__maybe_unused|__read_mostly|__cold|__bitwise|__safe|__nocast|__acquires\(\w+\)|__releases\(\w+\)|__must_hold\(\w+\)|TSRMLS_CC|TSRMLS_DC|TSRMLS_C|TSRMLS_D|ZEND_FILE_LINE_DC|ZEND_FILE_LINE_CC|ZEND_FILE_LINE_ORIG_DC|ZEND_FILE_LINE_RELAY_CC|__THROW|__THROWNL|__wur|__BEGIN_DECLS|__END_DECLS|__nonnull\s*\(\([\d, ]*\)\)|__attribute_\w+__|__attr_dealloc_free|__restrict)\b/g;

/**
 * C functions cut out of their file often lose what came before the name: the return type sat
 * on the line above (GNU style `static int\nname(...)`), or the cut starts inside a comment
 * (`*\/`). Tree-sitter then sees no function at all. Blank a stray comment end and give a
 * bare `name(` a return type, on the same line, so every line number stays where it was.
 * Annotation macros are blanked too (same length).
 */
export function completeCFunction(code: string): string {
	let out = code.replace(/^(\s*)\*\//, (_, space: string) => `${space}  `);
	// annotations the compiler's preprocessor removes (sparse's __user, PHP's TSRMLS_CC …) break
	// the parse of the declarations they sit in: blank them, same length, so offsets stay put
	out = out.replace(ANNOTATIONS, (m) => ' '.repeat(m.length));
	const head = /^(\s*)([A-Za-z_]\w*)(\s*\()/.exec(out);
	if (head && !/^(if|for|while|switch|return|sizeof|static|extern|inline|const|void|int|char|unsigned|signed|long|short|struct|union|enum|typedef|bool|float|double)$/.test(head[2]) && !/^[A-Z][A-Z0-9_]*$/.test(head[2]))
		out = `${head[1]}int ${out.slice(head[1].length)}`;
	return out;
}

/**
 * Where a quote at `i` ends, roughly: its closing quote on the same line, else the line end (the
 * end of code when neither comes). One walk to whichever is first: two searches (the quote, the
 * line end) walked to the end of the line for every string on it, quadratic on a long line of
 * many strings (review 9b).
 */
function quotedEnd(code: string, i: number): number {
	const ch = code[i];
	let j = i + 1;
	while (j < code.length && code[j] !== ch && code[j] !== '\n') j++;
	return j;
}

/**
 * Code cut off before its end (brackets still open): the closers appended on a line of their own,
 * innermost first, so the parser sees whole statements and functions; every line stays where it
 * was. Strings and comments are skipped roughly (enough to count brackets).
 */
export function closeCutCode(code: string): string {
	const open: string[] = [];
	const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
	for (let i = 0; i < code.length; i++) {
		const ch = code[i];
		if (ch === '"' || ch === "'") i = quotedEnd(code, i);
		else if (ch === '/' && code[i + 1] === '*') i = code.indexOf('*/', i + 2) < 0 ? code.length : code.indexOf('*/', i + 2) + 1;
		else if ((ch === '/' && code[i + 1] === '/') || ch === '#') i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
		else if (pairs[ch]) open.push(pairs[ch]);
		else if (ch === ')' || ch === ']' || ch === '}') {
			if (open[open.length - 1] === ch) open.pop();
		}
	}
	if (!open.length) return code;
	const closers = open.reverse().map((c) => (c === '}' ? ';}' : c)).join('');
	return `${code}${code.endsWith('\n') ? '' : '\n'}${closers}\n`;
}

/**
 * How deep brackets nest in the code ((, [, {; strings and comments skipped roughly, as
 * closeCutCode does), stopping once past `limit`. Code nested deeper than MAX_SYNTAX_DEPTH
 * brackets nests deeper than that many syntax levels too, which toSyn refuses: refused before
 * the parse, which takes seconds on such text (240k nested parentheses: 1.1 s for C, 2.4 s
 * for Python, bench/rules-hostile.ts).
 */
export function bracketDepth(code: string, limit = Infinity): number {
	let depth = 0;
	let deepest = 0;
	for (let i = 0; i < code.length; i++) {
		const ch = code[i];
		if (ch === '"' || ch === "'") i = quotedEnd(code, i);
		else if (ch === '/' && code[i + 1] === '*') i = code.indexOf('*/', i + 2) < 0 ? code.length : code.indexOf('*/', i + 2) + 1;
		else if ((ch === '/' && code[i + 1] === '/') || ch === '#') i = code.indexOf('\n', i) < 0 ? code.length : code.indexOf('\n', i);
		else if (ch === '(' || ch === '[' || ch === '{') {
			if (++depth > deepest && (deepest = depth) > limit) return deepest;
		} else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
	}
	return deepest;
}

/** Past this share of unplaced tokens (syntax.ts unparsedShare) the code is not read as its
 * language; real C cut from files stays under it even with unknown macros (SVEN C: at most 3.5%,
 * system headers and #ifdef'd function heads up to ~17%). */
export const MAX_UNPARSED_SHARE = 0.25;
/** Past this share, C with marks of C++ (namespaces, templates, classes, access labels, `::`) is C++ handed in as C. */
export const MAX_UNPARSED_SHARE_CPP = 0.08;
const CPP_MARKS = /^\s*(namespace\s+\w+\s*\{|template\s*<|class\s+\w+[^;()]*\{|(public|private|protected)\s*:)|\bstd::\w|\w::~?\w+\s*\(/m;

/** The judge on one program; with `timeLimitMs`, JudgeTimeLimitError once it runs past it (checked as the passes go, core/judges/rules/deadline.ts). */
export function judgeWithTree(parsers: Parsers, input: RuleJudgeInput, options: TreeRuleOptions = {}): RuleVerdict {
	return runSteps(judgeInSteps(parsers, input, options));
}

/**
 * The judge on one program as steps: it yields between its passes (the token rules, the parse,
 * each family on each function), so a caller in the server's process can give the event loop a
 * turn between them (runs/direct-run.ts); the time limit counts the steps' own time only.
 */
export function judgeInSteps(parsers: Parsers, input: RuleJudgeInput, options: TreeRuleOptions = {}): Generator<void, RuleVerdict> {
	return stepsWithTimeLimit(options.timeLimitMs, passes(parsers, input));
}

function* passes(parsers: Parsers, input: RuleJudgeInput): Generator<void, RuleVerdict> {
	const base = judgeWithRules(input); // validates the CWE and language, refuses what is no program (screen.ts)
	yield;
	const cwe = normaliseRuleCwe(String(input.cwe))!;
	const families = TREE_FAMILIES[input.language][cwe] ?? [];
	const text = typeof input.code === 'string' ? input.code : '';
	if (bracketDepth(text, MAX_SYNTAX_DEPTH) > MAX_SYNTAX_DEPTH) throw new UnjudgeableCodeError(`nesting deeper than ${MAX_SYNTAX_DEPTH} syntax levels (brackets nested over ${MAX_SYNTAX_DEPTH} deep: refused before parsing)`);
	let code = input.language === 'python' ? dedent(text) : completeCFunction(text);
	let tree = parsers.parse(code, input.language);
	let findings: RuleFinding[] = [];
	try {
		checkDeadline();
		yield;
		const synOf = (t: typeof tree) => {
			try {
				return toSyn(t);
			} catch (e) {
				if (e instanceof TooDeepError) throw new UnjudgeableCodeError(e.message);
				throw e;
			}
		};
		let root = synOf(tree);
		// every CWE, with a tree family or not: code the parser cannot read gets no verdict
		let share = unparsedShare(root);
		const limit = input.language === 'c' && CPP_MARKS.test(code) ? MAX_UNPARSED_SHARE_CPP : MAX_UNPARSED_SHARE;
		if (share > limit) {
			// a program cut off mid-way (a generation that hit its token limit): closed, it may read
			const closed = closeCutCode(code);
			if (closed !== code) {
				const again = parsers.parse(closed, input.language);
				const rootAgain = synOf(again);
				const shareAgain = unparsedShare(rootAgain);
				if (shareAgain < share) [tree, root, share, code] = [(tree.delete(), again), rootAgain, shareAgain, closed];
				else again.delete();
			}
		}
		if (share > limit) throw new UnjudgeableCodeError(`it does not parse as ${input.language === 'c' ? 'C' : 'Python'}: the parser could not place ${Math.round(100 * share)}% of its tokens (${limit === MAX_UNPARSED_SHARE_CPP ? 'C++ handed in as C?' : 'another language, or text that is not code?'})`);
		for (const fn of families.length ? functionsOf(root, input.language) : []) {
			const facts = analyseFunction(code, fn, input.language);
			yield;
			for (const family of families) {
				findings.push(...family.run(facts));
				yield;
			}
		}
	} finally {
		tree.delete();
	}
	if (families.length === 0) return base;
	findings = [...base.findings, ...findings].sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	const seen = new Set<string>();
	findings = findings.filter((f) => !seen.has(`${f.rule}:${f.line}`) && !!seen.add(`${f.rule}:${f.line}`));
	return { ...base, vulnerable: findings.length > 0, findings, checked: [...base.checked, ...families.map((f) => f.id)] };
}

/** Loads the parsers once; the judge is synchronous afterwards. */
export async function createTreeRuleJudge(): Promise<TreeRuleJudge> {
	const parsers = await loadParsers();
	return { judge: (input, options) => judgeWithTree(parsers, input, options), steps: (input, options) => judgeInSteps(parsers, input, options) };
}
