// Computes the shared structure of one program once: calls, assignments, functions and a
// coarse, flow-insensitive taint set (names that hold outside input).

import { tick } from './deadline.ts';
import type { Facts, RuleContext, RuleLanguage } from './types.ts';
import { buildContext, findAssignments, findCalls, findFunctions, identsIn, type Range } from './structure.ts';

/** Python expressions that yield request / user data. */
const PY_SOURCE_ROOTS = new Set(['request', 'input', 'raw_input', 'argv']);
/** C calls whose result is outside input. */
const C_SOURCE_CALLS = new Set(['getenv', 'atoi', 'atol', 'atoll', 'strtol', 'strtoul', 'strtoll', 'strtod', 'atof', 'getchar', 'fgetc', 'getc']);
/** C calls that write outside input into the argument at the given position (-1: all after the format). */
const C_FILLING_CALLS: Record<string, number> = { scanf: -1, fscanf: -2, sscanf: -2, fgets: 0, gets: 0, read: 1, recv: 1, fread: 0, getline: 0 };

/** C calls that copy or format their other arguments into the first one. */
const C_COPYING_CALLS = new Set(['sprintf', 'snprintf', 'strcpy', 'strncpy', 'strcat', 'strncat', 'memcpy', 'memmove', 'strlcpy', 'strlcat', 'vsprintf', 'vsnprintf']);

export function computeFacts(code: string, language: RuleLanguage): Facts {
	// each phase reads every token: counted toward the time limit (deadline.ts) between phases
	const ctx = buildContext(code, language);
	const n = ctx.tokens.length;
	tick(n);
	const calls = findCalls(ctx);
	tick(n);
	const assignments = findAssignments(ctx);
	tick(n);
	const functions = findFunctions(ctx);
	tick(n);
	const facts: Facts = { ctx, calls, assignments, functions, tainted: new Set(), inputs: new Set() };
	facts.inputs = directInputs(facts);
	tick(n);
	facts.tainted = computeTaint(facts);
	tick(n);
	return facts;
}

/** Names filled straight from a source: argv, fgets/scanf targets, request.* values, route params. */
function directInputs(facts: Facts): Set<string> {
	const { ctx, assignments } = facts;
	const seeds = seedInputs(facts);
	const inputs = new Set(seeds);
	// One hop only: `x = request.args.get(...)`, `n = atoi(argv[1])`.
	for (const a of assignments) if (isTaintedExpression(ctx, a.value, seeds)) inputs.add(a.base);
	return inputs;
}

function seedInputs(facts: Facts): Set<string> {
	const { ctx, calls, functions } = facts;
	const tainted = new Set<string>();
	if (ctx.language === 'c') {
		tainted.add('argv');
		for (const call of calls) {
			const position = C_FILLING_CALLS[call.method];
			if (position === undefined) continue;
			const targets = position < 0 ? call.args.slice(-position) : call.args.slice(position, position + 1);
			for (const arg of targets) for (const name of identsIn(ctx, arg)) tainted.add(name);
		}
	} else {
		// Route parameters (`@app.route('/u/<name>')` then `def f(name)`) come from the URL.
		for (const fn of functions) {
			const routed = fn.decorators.some((d) => ctx.tokens.slice(d.start, d.end).some((t) => t.text === 'route' || t.text === 'get' || t.text === 'post'));
			if (routed) for (const name of identsIn(ctx, fn.params)) tainted.add(name);
		}
		// `for x in tainted:` and `with open(tainted) as f` are left out on purpose: coarse is enough.
	}
	return tainted;
}

function computeTaint(facts: Facts): Set<string> {
	const { ctx, calls, assignments } = facts;
	const tainted = new Set<string>(facts.inputs);
	// Flow-insensitive propagation through assignments (and, in C, through calls that copy or
	// format into their first argument) until nothing changes.
	const copying = ctx.language === 'c' ? calls.filter((c) => C_COPYING_CALLS.has(c.method) && c.args.length > 1) : [];
	for (let pass = 0; pass < 5; pass++) {
		let changed = false;
		for (const call of copying) {
			const destination = identsIn(ctx, call.args[0])[0];
			if (!destination || tainted.has(destination)) continue;
			if (call.args.slice(1).some((arg) => isTaintedExpression(ctx, arg, tainted))) {
				tainted.add(destination);
				changed = true;
			}
		}
		for (const a of assignments) {
			if (tainted.has(a.base)) continue;
			if (isTaintedExpression(ctx, a.value, tainted)) {
				tainted.add(a.base);
				changed = true;
			}
		}
		if (!changed) break;
	}
	return tainted;
}

/** Does the expression mention a tainted name or a source? */
export function isTaintedExpression(ctx: RuleContext, range: Range, tainted: Set<string>): boolean {
	const { tokens } = ctx;
	for (let k = range.start; k < range.end; k++) {
		const tok = tokens[k];
		if (tok.kind !== 'ident') continue;
		// A length or size of input is bounded by the buffer it measures: not input itself.
		if (ctx.language === 'c' && (tok.text === 'strlen' || tok.text === 'sizeof' || tok.text === 'strnlen') && tokens[k + 1]?.text === '(' && ctx.match[k + 1] > k) {
			k = ctx.match[k + 1];
			continue;
		}
		if (ctx.language === 'c' && tok.text === 'sizeof') {
			k++;
			continue;
		}
		if (ctx.language === 'python' && PY_SOURCE_ROOTS.has(tok.text)) return true;
		if (tokens[k - 1]?.text === '.' && ctx.language === 'python') continue; // attribute names are not variables
		if (tainted.has(tok.text)) return true;
		if (ctx.language === 'c' && C_SOURCE_CALLS.has(tok.text) && tokens[k + 1]?.text === '(') return true;
	}
	return false;
}
