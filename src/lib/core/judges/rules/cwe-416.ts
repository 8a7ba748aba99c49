// CWE-416 use after free: a pointer is used (read, written, passed, freed again) after
// free() without being reassigned in between.

import { tick } from './deadline.ts';
import { callsTo, finding } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

function useAfterFree(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	// '{' minus '}' before each token, counted once (counting again from the start for each free was quadratic)
	let depthBefore: Int32Array | null = null;
	const depthAt = (at: number) => {
		if (!depthBefore) {
			depthBefore = new Int32Array(tokens.length + 1);
			for (let k = 0; k < tokens.length; k++) depthBefore[k + 1] = depthBefore[k] + (tokens[k].text === '{' ? 1 : tokens[k].text === '}' ? -1 : 0);
		}
		return depthBefore[Math.min(Math.max(at, 0), tokens.length)];
	};
	for (const call of callsTo(facts, ['free'])) {
		const arg = call.args[0];
		if (!arg || arg.end - arg.start !== 1 || tokens[arg.start].kind !== 'ident') continue;
		const name = tokens[arg.start].text;
		// The rest of the enclosing function (or file) after the free() statement.
		const fn = facts.functions.find((f) => call.start >= f.body.start && call.start < f.body.end);
		const end = fn ? fn.body.end : tokens.length;
		let depthAtFree = depthAt(call.start);
		let depth = depthAtFree;
		for (let k = call.close + 1; k < end; k++) {
			tick();
			const t = tokens[k];
			if (t.text === '{') depth++;
			else if (t.text === '}') {
				depth--;
				// An `else` after the block of the free runs instead of it, not after it.
				if (depth < depthAtFree && tokens[k + 1]?.text === 'else') {
					const open = tokens[k + 2]?.text === '{' ? k + 2 : -1;
					if (open > 0 && facts.ctx.match[open] > open) k = facts.ctx.match[open];
					else while (k < end && tokens[k].text !== ';') k++;
					continue;
				}
				depthAtFree = Math.min(depthAtFree, depth);
			}
			// Leaving the block of the free (e.g. an error branch that returned) ends the scan when it returned.
			if (t.kind === 'ident' && (t.text === 'return' || t.text === 'exit' || t.text === 'break' || t.text === 'goto') && depth === depthAtFree) break;
			if (t.kind !== 'ident' || t.text !== name || tokens[k - 1]?.text === '.' || tokens[k - 1]?.text === '->') continue;
			if (tokens[k + 1]?.text === '=') break; // reassigned (p = NULL, p = malloc(...))
			if (tokens[k - 1]?.text === '&') continue;
			if (tokens[k - 1]?.text === 'sizeof' || tokens[k - 2]?.text === 'sizeof') continue;
			out.push(finding('c.cwe-416.use-after-free', t.line, `${name} is used after free() on line ${call.line}`));
			break;
		}
	}
	return out;
}

export const CWE_416: CweRules = {
	cwe: 'CWE-416',
	c: [{ id: 'c.cwe-416.use-after-free', run: useAfterFree }],
	python: []
};
