// Helpers for C copy rules: copies whose length cannot be right, unbounded copies of input.

import { callsTo, finding, isTainted, textOf, tokensOf } from './helpers.ts';
import type { Facts, RuleFinding } from './types.ts';

/** Is `name` declared as a pointer (`char *name`, `const char* name`)? */
function isPointer(facts: Facts, name: string): boolean {
	const tokens = facts.ctx.tokens;
	return tokens.some((t, k) => t.kind === 'ident' && t.text === name && tokens[k - 1]?.text === '*' && /^(char|int|void|float|double|long|short|unsigned|const|uint8_t|\w+_t)$/.test(tokens[k - 2]?.text ?? '') && tokens[k + 1]?.text !== '(');
}

/** memcpy/memmove/strncpy whose length is sizeof(a pointer) or the size of the destination while the source is a pointer. */
export function suspiciousCopyLength(facts: Facts, rule: string): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['memcpy', 'memmove', 'strncpy', 'memcmp'])) {
		const [dst, src, len] = call.args;
		if (!dst || !src || !len) continue;
		const lenTokens = tokensOf(facts, len);
		const srcName = textOf(facts, src);
		const dstName = textOf(facts, dst);
		const sizeofArg = lenTokens[0]?.text === 'sizeof' ? textOf(facts, { start: len.start + 1, end: len.end }).replace(/^\( | \)$/g, '') : null;
		if (sizeofArg !== null && /^[A-Za-z_]\w*$/.test(sizeofArg) && isPointer(facts, sizeofArg)) {
			out.push(finding(rule, call.line, `${call.name}() copies sizeof(${sizeofArg}) bytes: the size of a pointer, not of the data`));
		} else if (sizeofArg !== null && sizeofArg === dstName && sizeofArg !== srcName && isPointer(facts, srcName)) {
			out.push(finding(rule, call.line, `${call.name}() copies sizeof(${dstName}) bytes out of ${srcName}, which may be shorter`));
		}
	}
	return out;
}

/** strcpy/strcat/sprintf/gets of outside input into a buffer: no length limit. */
export function unboundedInputCopy(facts: Facts, rule: string): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['strcpy', 'strcat', 'sprintf', 'vsprintf', 'gets'])) {
		if (call.method === 'gets') {
			out.push(finding(rule, call.line, 'gets() reads without any length limit'));
			continue;
		}
		const destination = textOf(facts, call.args[0]);
		// `dst = malloc(strlen(src) + 1)` is sized for the source.
		const sizedForSource = facts.assignments.some((a) => a.base === destination && /malloc|calloc|alloca|strdup/.test(textOf(facts, a.value)) && /strlen/.test(textOf(facts, a.value)));
		if (sizedForSource && call.method === 'strcpy') continue;
		if (call.args.slice(1).some((arg) => isTainted(facts, arg))) {
			out.push(finding(rule, call.line, `${call.name}() copies outside input into ${textOf(facts, call.args[0])} with no length limit`));
		}
	}
	return out;
}
