// Small helpers shared by the per-CWE rule files.

import { tick } from './deadline.ts';
import type { Call, Range } from './structure.ts';
import { isTaintedExpression } from './facts.ts';
import type { Facts, RuleFinding, Token } from './types.ts';

export function finding(rule: string, line: number, message: string): RuleFinding {
	return { rule, line, message };
}

/** Calls whose last name segment is one of `methods` (and, if given, whose full name matches). */
export function callsTo(facts: Facts, methods: string[] | Set<string>, fullName?: RegExp): Call[] {
	const set = methods instanceof Set ? methods : new Set(methods);
	return facts.calls.filter((c) => set.has(c.method) && (!fullName || fullName.test(c.name)));
}

export function tokensOf(facts: Facts, range: Range): Token[] {
	tick(Math.max(0, range.end - range.start));
	return facts.ctx.tokens.slice(range.start, range.end);
}

export function textOf(facts: Facts, range: Range): string {
	return tokensOf(facts, range).map((t) => t.text).join(' ');
}

export function isTainted(facts: Facts, range: Range): boolean {
	return isTaintedExpression(facts.ctx, range, facts.tainted);
}

/** True when every token of the range is a string literal or '+'/'%' between literals (no variables). */
export function isConstantExpression(facts: Facts, range: Range): boolean {
	const tokens = tokensOf(facts, range);
	if (tokens.length === 0) return false;
	return tokens.every((t) => (t.kind === 'string' && !(t.prefix ?? '').includes('f')) || t.kind === 'number' || (t.kind === 'punct' && /^[+()\[\],]$/.test(t.text)));
}

/** Identifiers used in the range, excluding attribute names after '.'. */
export function variablesIn(facts: Facts, range: Range): string[] {
	const out = new Set<string>();
	const tokens = facts.ctx.tokens;
	tick(Math.max(0, range.end - range.start));
	for (let k = range.start; k < range.end; k++) {
		if (tokens[k].kind === 'ident' && tokens[k - 1]?.text !== '.' && tokens[k + 1]?.text !== '(') out.add(tokens[k].text);
	}
	return [...out];
}

/** Is there an identifier `name` used in [from, to)? */
export function mentions(facts: Facts, name: string, from: number, to: number): number {
	const tokens = facts.ctx.tokens;
	tick(Math.max(0, Math.min(to, tokens.length) - from));
	for (let k = Math.max(0, from); k < Math.min(to, tokens.length); k++) {
		if (tokens[k].kind === 'ident' && tokens[k].text === name && tokens[k - 1]?.text !== '.' && tokens[k - 1]?.text !== '->') return k;
	}
	return -1;
}

/** Python f-string with an interpolation, or a string with a %-placeholder / {} / + follows. */
export function isFString(token: Token): boolean {
	return token.kind === 'string' && (token.prefix ?? '').includes('f') && /\{[^{}]*\}/.test(token.value ?? '');
}

/**
 * Is the expression a string assembled from variables: literal + x, "…%s…" % x,
 * "…{}…".format(x), f"…{x}…", or "".join(...) / x + y? A bare name is followed through its
 * assignments (any of them, flow-insensitive).
 */
export function isStringBuilt(facts: Facts, range: Range, depth = 0): boolean {
	const tokens = tokensOf(facts, range);
	if (tokens.length === 0 || depth > 3) return false;
	if (tokens.some(isFString)) return true;
	const hasVariable = variablesIn(facts, range).length > 0 || tokens.some((t, i) => t.kind === 'ident' && tokens[i + 1]?.text === '(');
	const hasString = tokens.some((t) => t.kind === 'string');
	const hasOperator = tokens.some((t) => t.kind === 'punct' && (t.text === '+' || t.text === '%'));
	const formats = tokens.some((t, i) => t.text === '.' && (tokens[i + 1]?.text === 'format' || tokens[i + 1]?.text === 'join'));
	if (hasVariable && (formats || (hasString && hasOperator))) return true;
	// A lone variable: look at what was assigned to it.
	if (tokens.length === 1 && tokens[0].kind === 'ident') {
		const name = tokens[0].text;
		return facts.assignments.some(
			(a) => a.target === name && (isStringBuilt(facts, a.value, depth + 1) || (a.op === '+=' && variablesIn(facts, a.value).length > 0))
		);
	}
	return false;
}

/** Python: token ranges of each condition (if / elif / while / assert lines and inline `x if c else y`). */
export function conditionRanges(facts: Facts): Range[] {
	const tokens = facts.ctx.tokens;
	const out: Range[] = [];
	// Python: where an inline condition starting at k ends (the next token that begins a line or is
	// a ':'), found once from the right (scanning forward from each inline `if` was quadratic on
	// a long line of comprehension clauses)
	let stops: Int32Array | null = null;
	const stopFrom = (k: number) => {
		if (!stops) {
			stops = new Int32Array(tokens.length + 1);
			stops[tokens.length] = tokens.length;
			for (let i = tokens.length - 1; i >= 0; i--) stops[i] = tokens[i].bol || tokens[i].text === ':' ? i : stops[i + 1];
		}
		return stops[Math.min(k, tokens.length)];
	};
	for (let k = 0; k < tokens.length; k++) {
		tick();
		const t = tokens[k];
		if (t.kind !== 'ident') continue;
		const c = facts.ctx.language === 'c';
		if (c ? /^(if|while|for)$/.test(t.text) && tokens[k + 1]?.text === '(' : /^(if|elif|while|assert)$/.test(t.text)) {
			if (c) {
				const close = facts.ctx.match[k + 1];
				out.push({ start: k + 2, end: close > k ? close : tokens.length });
				continue;
			}
			let end = t.bol ? k + 1 : stopFrom(k + 1);
			if (t.bol) {
				// statement condition ends at the ':' that closes the header line
				end = k + 1;
				let depth = 0;
				while (end < tokens.length && !tokens[end].bol) {
					const x = tokens[end].text;
					if (x === '(' || x === '[' || x === '{') depth++;
					else if (x === ')' || x === ']' || x === '}') depth--;
					else if (x === ':' && depth === 0) break;
					end++;
				}
			}
			out.push({ start: k + 1, end });
		}
	}
	return out;
}

/**
 * conditionRanges less those that end where a wider one ends: their text is a suffix of its text
 * (inline conditions of one line), so "does some condition's text contain this?" asked of these
 * answers as of all, without building the same text again per clause.
 */
export function widestConditionRanges(facts: Facts): Range[] {
	const widest = new Map<number, Range>();
	for (const r of conditionRanges(facts)) {
		const w = widest.get(r.end);
		if (!w || r.start < w.start) widest.set(r.end, r);
	}
	return [...widest.values()];
}

/** Python that serves web requests: a route decorator, a request object read, a framework's response. */
const WEB_CODE = /@\s*[\w.]+\.(route|get|post|put|patch|delete|websocket|api_view|view_config|expose)\b|\brequest\.(args|form|GET|POST|values|json|data|cookies|files|FILES|headers|params|query|body|get_json|REQUEST|match_info|query_params|get_argument|remote_addr|user|session|method|path)\b|\bdef\s+\w+\s*\(\s*(self\s*,\s*)?(request|req)\b|\b(HttpResponse\w*|make_response|render_template\w*|render_to_response|jsonify|start_response|JsonResponse|TemplateResponse|HTMLResponse|web\.Response|abort|redirect)\s*\(|^\s*(from|import)\s+(flask|django|bottle|tornado|aiohttp|fastapi|starlette|falcon|pyramid|cherrypy|webapp2|web|werkzeug|sanic|quart)\b/m;
const webCache = new WeakMap<Facts, boolean>();

/**
 * Does the program serve web requests? A `return` is a response only in such code: in library
 * code (a standard library, a parser) returning a parameter or a caught exception sends nothing
 * to a client.
 */
export function isWebCode(facts: Facts): boolean {
	let web = webCache.get(facts);
	if (web === undefined) webCache.set(facts, (web = WEB_CODE.test(facts.ctx.code)));
	return web;
}
