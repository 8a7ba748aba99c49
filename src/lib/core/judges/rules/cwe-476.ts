// CWE-476 NULL pointer dereference: the result of malloc/calloc/realloc (or another call
// that may return NULL) is dereferenced before it is tested.

import { finding } from './helpers.ts';
import { isDereference, isTested } from './c-pointers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const MAY_RETURN_NULL = /^(malloc|calloc|realloc|strdup|strndup|fopen|getenv|aligned_alloc)$/;

function uncheckedAllocationDeref(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (const a of facts.assignments) {
		if (a.op !== '=' ) continue;
		const value = tokens.slice(a.value.start, a.value.end);
		const allocator = value.find((t, i) => t.kind === 'ident' && MAY_RETURN_NULL.test(t.text) && value[i + 1]?.text === '(');
		if (!allocator) continue;
		const name = a.target.replace(/^\*+/, '');
		if (!/^[A-Za-z_]\w*$/.test(name)) continue;
		// Scan forward to the first use: a test makes it safe, a dereference before any test does not.
		for (let k = a.value.end; k < tokens.length; k++) {
			const t = tokens[k];
			if (t.kind !== 'ident' || t.text !== name || tokens[k - 1]?.text === '.' || tokens[k - 1]?.text === '->') continue;
			if (tokens[k + 1]?.text === '=' ) break; // reassigned: a new story
			if (isTested(facts, k)) break;
			if (isDereference(facts, k)) {
				out.push(finding('c.cwe-476.unchecked-result-dereferenced', t.line, `${name} comes from ${allocator.text}(), which may return NULL, and is dereferenced without a check`));
				break;
			}
		}
	}
	return out;
}

export const CWE_476: CweRules = {
	cwe: 'CWE-476',
	c: [{ id: 'c.cwe-476.unchecked-result-dereferenced', run: uncheckedAllocationDeref }],
	python: []
};
