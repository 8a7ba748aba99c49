// CWE-416 use after free: a pointer is used (read, written, passed, freed again) after
// free() without being reassigned in between.

import { callsTo, finding } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

function useAfterFree(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (const call of callsTo(facts, ['free'])) {
		const arg = call.args[0];
		if (!arg || arg.end - arg.start !== 1 || tokens[arg.start].kind !== 'ident') continue;
		const name = tokens[arg.start].text;
		// The rest of the enclosing function (or file) after the free() statement.
		const fn = facts.functions.find((f) => call.start >= f.body.start && call.start < f.body.end);
		const end = fn ? fn.body.end : tokens.length;
		let depthAtFree = 0;
		for (let k = 0; k < call.start; k++) if (tokens[k].text === '{') depthAtFree++; else if (tokens[k].text === '}') depthAtFree--;
		let depth = depthAtFree;
		for (let k = call.close + 1; k < end; k++) {
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
