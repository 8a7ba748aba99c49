// Helpers for C pointer rules: where a name is dereferenced, and where it is tested.

import type { Facts, Token } from './types.ts';

/** Calls whose first argument is written through (so a NULL first argument crashes). */
export const WRITES_THROUGH_FIRST = new Set(['strcpy', 'strncpy', 'strcat', 'strncat', 'memcpy', 'memmove', 'memset', 'sprintf', 'snprintf', 'fgets', 'gets', 'strlen', 'strcmp', 'strncmp', 'printf_s', 'bzero', 'read']);

/** Is token k (the name) used as a dereference: `*p`, `p->`, `p[`, or passed where it is written? */
export function isDereference(facts: Facts, k: number): boolean {
	const tokens = facts.ctx.tokens;
	const prev = tokens[k - 1]?.text;
	const next = tokens[k + 1]?.text;
	if (next === '->' || next === '[') return true;
	if (prev === '*' && isUnaryPosition(tokens, k - 1)) return true;
	// Argument of a call that dereferences it.
	if ((prev === '(' || prev === ',') && (next === ',' || next === ')')) {
		const call = facts.calls.find((c) => c.open < k && k < c.close && c.args.some((a) => a.start === k && a.end === k + 1));
		if (call && WRITES_THROUGH_FIRST.has(call.method) && call.args[0]?.start === k) return true;
		if (call && /^(strcpy|strcat|memcpy|memmove|sprintf|strncpy|strncat|strlen|printf|puts|fputs|scanf)$/.test(call.method) && call.args.some((a) => a.start === k)) return true;
	}
	return false;
}

function isUnaryPosition(tokens: Token[], starIndex: number): boolean {
	const before = tokens[starIndex - 1];
	if (!before) return true;
	return before.kind === 'punct' && !/^[)\]]$/.test(before.text);
}

/** Is token k inside a condition (`if (...)`, `while (...)`, `assert(...)`, `?:`, `&&`/`||` operand)? */
export function isTested(facts: Facts, k: number): boolean {
	const tokens = facts.ctx.tokens;
	// Walk out through enclosing parentheses looking for if/while/assert.
	let depth = 0;
	for (let j = k - 1; j >= 0; j--) {
		const t = tokens[j].text;
		if (t === ';' || t === '{' || t === '}') break;
		if (t === ')') depth++;
		else if (t === '(') {
			if (depth === 0) {
				const head = tokens[j - 1]?.text;
				if (head === 'if' || head === 'while' || head === 'assert' || head === 'for') return true;
			} else depth--;
		} else if ((t === '&&' || t === '||' || t === '?' || t === '!') && depth === 0) return true;
	}
	const next = tokens[k + 1]?.text;
	return next === '==' || next === '!=' || next === '?' || next === '&&' || next === '||';
}
