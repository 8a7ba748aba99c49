// Light structure over a token list: bracket matching, calls and their arguments,
// assignments, function bodies, Python decorators. Everything tolerates broken input
// (unbalanced brackets simply stay unmatched).

import { tick } from './deadline.ts';
import type { RuleContext, RuleLanguage, Token } from './types.ts';
import { tokenizeC } from './tokenize-c.ts';
import { tokenizePython } from './tokenize-python.ts';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSING = new Set(Object.values(PAIRS));
const OPENER_OF: Record<string, string> = Object.fromEntries(Object.entries(PAIRS).map(([o, c]) => [c, o]));

export function matchBrackets(tokens: Token[]): Int32Array {
	const match = new Int32Array(tokens.length).fill(-1);
	const stack: number[] = [];
	// openers of each kind on the stack: a stray closer (none of its kind open) is skipped
	// without a walk down the stack, so every walk pops what it passes (linear; before, each of
	// many stray closers walked a long stack — quadratic)
	const open = new Map<string, number>();
	for (let i = 0; i < tokens.length; i++) {
		tick();
		const t = tokens[i];
		if (t.kind !== 'punct') continue;
		if (PAIRS[t.text]) {
			stack.push(i);
			open.set(t.text, (open.get(t.text) ?? 0) + 1);
		} else if (CLOSING.has(t.text) && (open.get(OPENER_OF[t.text]) ?? 0) > 0) {
			// Pop to the nearest opener of the same kind; a stray closer is ignored.
			for (let s = stack.length - 1; s >= 0; s--) {
				const opener = tokens[stack[s]].text;
				open.set(opener, open.get(opener)! - 1);
				if (PAIRS[opener] === t.text) {
					match[stack[s]] = i;
					match[i] = stack[s];
					stack.length = s;
					break;
				}
			}
		}
	}
	return match;
}

export function buildContext(code: string, language: RuleLanguage): RuleContext {
	const tokens = language === 'c' ? tokenizeC(code) : tokenizePython(code);
	return { language, code, tokens, match: matchBrackets(tokens) };
}

/** Index just past the closing bracket of the opener at `open` (end of tokens when unmatched). */
export function closeOf(ctx: RuleContext, open: number): number {
	const m = ctx.match[open];
	return m < 0 ? ctx.tokens.length : m;
}

export interface Range {
	start: number;
	/** Exclusive. */
	end: number;
}

export interface Call {
	/** Dotted callee as written, e.g. 'os.system', 'cursor.execute', 'malloc'. */
	name: string;
	/** Last segment of the callee, e.g. 'execute'. */
	method: string;
	/** Index of the first token of the callee. */
	start: number;
	/** Index of '('. */
	open: number;
	/** Index of ')' (or tokens.length when unbalanced). */
	close: number;
	args: Range[];
	/** Python keyword arguments by name (value range). */
	keywords: Map<string, Range>;
	line: number;
}

const C_NOT_CALLS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case']);
const PY_NOT_CALLS = new Set(['if', 'while', 'for', 'return', 'and', 'or', 'not', 'in', 'is', 'elif', 'with', 'assert', 'del', 'yield', 'lambda', 'print_']);

/** Every call `name(...)`, including method calls `a.b.c(...)`; in source order. */
export function findCalls(ctx: RuleContext): Call[] {
	const { tokens } = ctx;
	const skip = ctx.language === 'c' ? C_NOT_CALLS : PY_NOT_CALLS;
	const calls: Call[] = [];
	for (let i = 0; i + 1 < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'ident' || tokens[i + 1].text !== '(' || skip.has(t.text)) continue;
		if (tokens[i - 1]?.text === 'def' || tokens[i - 1]?.text === 'class') continue;
		let start = i;
		while (start >= 2 && (tokens[start - 1].text === '.' || tokens[start - 1].text === '->') && tokens[start - 2].kind === 'ident') start -= 2;
		// A call on a call result or index (`a().b(`, `x[0].y(`) keeps only the tail name.
		const name = tokens.slice(start, i + 1).map((tok) => (tok.text === '->' ? '.' : tok.text)).join('');
		const open = i + 1;
		const close = closeOf(ctx, open);
		const { args, keywords } = splitArgs(ctx, open + 1, close);
		calls.push({ name, method: t.text, start, open, close, args, keywords, line: t.line });
	}
	return calls;
}

/** Splits the tokens in [from, to) at top-level commas; python `k=v` go to `keywords`. */
export function splitArgs(ctx: RuleContext, from: number, to: number): { args: Range[]; keywords: Map<string, Range> } {
	const { tokens } = ctx;
	const args: Range[] = [];
	const keywords = new Map<string, Range>();
	let start = from;
	const flush = (end: number) => {
		if (end <= start) return;
		const first = tokens[start];
		if (ctx.language === 'python' && first.kind === 'ident' && tokens[start + 1]?.text === '=' && start + 2 <= end) {
			keywords.set(first.text, { start: start + 2, end });
		} else args.push({ start, end });
	};
	for (let i = from; i < to; i++) {
		const text = tokens[i].text;
		if (tokens[i].kind === 'punct' && PAIRS[text] && ctx.match[i] > i) {
			i = Math.min(ctx.match[i], to);
			continue;
		}
		if (tokens[i].kind === 'punct' && text === ',') {
			flush(i);
			start = i + 1;
		}
	}
	flush(to);
	return { args, keywords };
}

export function rangeTokens(ctx: RuleContext, range: Range): Token[] {
	return ctx.tokens.slice(range.start, range.end);
}

export function rangeText(ctx: RuleContext, range: Range): string {
	return ctx.tokens.slice(range.start, range.end).map((t) => t.text).join(' ');
}

export interface Assignment {
	/** Target as written without spaces, e.g. 'x', 'self.y', 'buf[i]'. */
	target: string;
	/** Base identifier of the target ('buf' for 'buf[i]', 'p' for '*p'). */
	base: string;
	/** '=', '+=', ... */
	op: string;
	index: number;
	value: Range;
	line: number;
}

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^=', ':=']);

/** Assignments and C initialisers (`int *p = ...;`). Values end at ';' (C) or the logical line (Python). */
export function findAssignments(ctx: RuleContext): Assignment[] {
	const { tokens } = ctx;
	const out: Assignment[] = [];
	for (let i = 1; i < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'punct' || !ASSIGN_OPS.has(t.text)) continue;
		// Python keyword arguments (`f(a=1)`) are not assignments.
		if (ctx.language === 'python' && t.text === '=' && insideParens(ctx, i)) continue;
		const targetStart = targetStartBefore(ctx, i);
		if (targetStart < 0) continue;
		const targetTokens = tokens.slice(targetStart, i);
		const baseToken = targetTokens.find((tok) => tok.kind === 'ident');
		if (!baseToken) continue;
		const valueEnd = valueEndAfter(ctx, i + 1);
		out.push({
			target: targetTokens.map((tok) => tok.text).join(''),
			base: baseToken.text,
			op: t.text,
			index: i,
			value: { start: i + 1, end: valueEnd },
			line: t.line
		});
	}
	return out;
}

function insideParens(ctx: RuleContext, index: number): boolean {
	// Walk back to the start of the logical line looking for an unclosed '('.
	let depth = 0;
	for (let k = index - 1; k >= 0; k--) {
		const tok = ctx.tokens[k];
		if (tok.text === ')' || tok.text === ']' || tok.text === '}') depth++;
		else if (tok.text === '(' || tok.text === '[' || tok.text === '{') {
			if (depth === 0) return tok.text === '(';
			depth--;
		}
		if (tok.bol && depth === 0) return false;
	}
	return false;
}

/** First token of the assignment target ending right before `opIndex`, or -1. */
function targetStartBefore(ctx: RuleContext, opIndex: number): number {
	const { tokens } = ctx;
	let k = opIndex - 1;
	// Walk back over `a.b[c]->d` style l-values and a leading '*'.
	for (;;) {
		const tok = tokens[k];
		if (!tok) return -1;
		if (tok.text === ']' || tok.text === ')') {
			const open = ctx.match[k];
			if (open < 0) return -1;
			k = open - 1;
			continue;
		}
		if (tok.kind === 'ident') {
			if (k > 0 && (tokens[k - 1].text === '.' || tokens[k - 1].text === '->')) {
				k -= 2;
				continue;
			}
			break;
		}
		return -1;
	}
	let start = k;
	while (start > 0 && tokens[start - 1].text === '*' && ctx.language === 'c') start--;
	return start;
}

function valueEndAfter(ctx: RuleContext, from: number): number {
	const { tokens } = ctx;
	for (let k = from; k < tokens.length; k++) {
		const tok = tokens[k];
		if (tok.kind === 'punct' && PAIRS[tok.text] && ctx.match[k] > k) {
			k = ctx.match[k];
			continue;
		}
		if (ctx.language === 'c') {
			if (tok.text === ';' || tok.text === ',' || tok.text === ')' || tok.text === '}' || tok.text === '{') return k;
		} else if (k > from && tok.bol) return k;
		else if (tok.text === ')' || tok.text === ']' || tok.text === '}') return k;
	}
	return tokens.length;
}

export interface FunctionInfo {
	name: string;
	/** Index of the function name token. */
	nameIndex: number;
	params: Range;
	/** Body token range (C: inside the braces; Python: the indented block). */
	body: Range;
	/** Python: decorator ranges (tokens after '@' up to the end of that line). */
	decorators: Range[];
	line: number;
}

const C_NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'else', 'do']);

export function findFunctions(ctx: RuleContext): FunctionInfo[] {
	return ctx.language === 'c' ? findCFunctions(ctx) : findPythonFunctions(ctx);
}

function findCFunctions(ctx: RuleContext): FunctionInfo[] {
	const { tokens } = ctx;
	const out: FunctionInfo[] = [];
	for (let i = 0; i + 1 < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'ident' || tokens[i + 1].text !== '(' || C_NOT_FUNCTIONS.has(t.text)) continue;
		const close = ctx.match[i + 1];
		if (close < 0 || tokens[close + 1]?.text !== '{') continue;
		// A definition is not nested in another body: the brace depth before it is zero.
		if (braceDepthAt(ctx, i) !== 0) continue;
		const bodyOpen = close + 1;
		const bodyClose = closeOf(ctx, bodyOpen);
		out.push({ name: t.text, nameIndex: i, params: { start: i + 2, end: close }, body: { start: bodyOpen + 1, end: bodyClose }, decorators: [], line: t.line });
		i = bodyClose;
	}
	return out;
}

function braceDepthAt(ctx: RuleContext, index: number): number {
	let depth = 0;
	for (let k = 0; k < index; k++) {
		const text = ctx.tokens[k].text;
		if (ctx.tokens[k].kind !== 'punct') continue;
		if (text === '{') depth++;
		else if (text === '}') depth = Math.max(0, depth - 1);
	}
	return depth;
}

function findPythonFunctions(ctx: RuleContext): FunctionInfo[] {
	const { tokens } = ctx;
	const out: FunctionInfo[] = [];
	for (let i = 0; i + 2 < tokens.length; i++) {
		const t = tokens[i];
		const isDef = t.text === 'def' && t.bol;
		const isAsyncDef = t.text === 'async' && t.bol && tokens[i + 1]?.text === 'def';
		if (!isDef && !isAsyncDef) continue;
		const defIndex = isAsyncDef ? i + 1 : i;
		const nameTok = tokens[defIndex + 1];
		if (!nameTok || nameTok.kind !== 'ident' || tokens[defIndex + 2]?.text !== '(') continue;
		const paramsClose = closeOf(ctx, defIndex + 2);
		const indent = t.indent ?? 0;
		let bodyEnd = tokens.length;
		for (let k = paramsClose + 1; k < tokens.length; k++) {
			if (tokens[k].bol && (tokens[k].indent ?? 0) <= indent) {
				bodyEnd = k;
				break;
			}
		}
		// Decorators are the '@' lines directly above, at the same indent.
		const decorators: Range[] = [];
		let k = i - 1;
		while (k >= 0) {
			let lineStart = k;
			while (lineStart > 0 && !tokens[lineStart].bol) lineStart--;
			if (tokens[lineStart].text !== '@' || (tokens[lineStart].indent ?? 0) !== indent) break;
			decorators.unshift({ start: lineStart + 1, end: k + 1 });
			k = lineStart - 1;
		}
		out.push({
			name: nameTok.text,
			nameIndex: defIndex + 1,
			params: { start: defIndex + 3, end: paramsClose },
			body: { start: Math.min(paramsClose + 1, tokens.length), end: bodyEnd },
			decorators,
			line: t.line
		});
	}
	return out;
}

/** The innermost function containing token `index`, if any. */
export function functionAt(functions: FunctionInfo[], index: number): FunctionInfo | undefined {
	let best: FunctionInfo | undefined;
	for (const f of functions) {
		if (index >= f.body.start && index < f.body.end && (!best || f.body.start >= best.body.start)) best = f;
	}
	return best;
}

/** Identifiers mentioned in a range (deduplicated, in order). */
export function identsIn(ctx: RuleContext, range: Range): string[] {
	const seen = new Set<string>();
	for (let k = range.start; k < range.end; k++) {
		const tok = ctx.tokens[k];
		if (tok.kind === 'ident') seen.add(tok.text);
	}
	return [...seen];
}

/** Python: index range of the logical line containing token `index`. */
export function logicalLineOf(ctx: RuleContext, index: number): Range {
	const { tokens } = ctx;
	let start = index;
	while (start > 0 && !tokens[start].bol) start--;
	let end = index + 1;
	while (end < tokens.length && !tokens[end].bol) end++;
	return { start, end };
}
