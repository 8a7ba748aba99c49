// C rule families that look for the guard a fix adds before a memory access or a size
// computation, each on a shape that recurs across projects (parsers of packets, descriptors,
// file formats):
// - a loop whose bound is a count read from the data (`i < h->count`) indexing an array, with
//   no test of that count before the loop and no min() cap;
// - a length used (copy, index, loop bound) before the function's own error test of it;
// - a bound test on a sum of two outside values (`off + len > size`) that can wrap (CWE-190);
// - a cursor advanced by a length the data states (`p += h->len`) with no test of it first;
// - a pointer moved ahead by a value from the data and used with no comparison against the
//   buffer's end pointer;
// - an error branch that releases and falls through to a success return (CWE-416/476);
// - a pointer set to NULL and dereferenced with no test, given a value only in branches or
//   not at all in the function (CWE-476).
// Each finding names its rule and the line of the access.

import { calleeOf, lastSegment, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, walk, type Syn } from '../syntax.ts';
import type { TreeFinding } from './types.ts';

const clean = (s: string) => s.replace(/\s+/g, '');
const opOf = (code: string, b: Syn) => textOf(code, b.children.find((c) => !c.named) ?? b);
const COMPARE = /^(<|>|<=|>=)$/;

/** Strips parentheses and casts: the value an expression carries. */
function bare(n: Syn | undefined): Syn | undefined {
	while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.type === 'cast_expression' ? field(n, 'value') : named(n)[0];
	return n;
}

const MIN_CAP = /^(min|min_t|MIN|umin|clamp|clamp_t|min3)$/;

/**
 * A loop bounded by a count read from the data (`for (i = 0; i < h->count; i++)`, or a local
 * loaded from such a field) indexes an array with its counter, while no other test in the
 * function weighs that count against a size and no min() caps it.
 */
export function cLoopCountFromData(f: FunctionFacts): TreeFinding[] {
	const loaded = new Map<string, string>(); // local → the field it was loaded from
	for (const n of walk(f.node)) {
		let target: Syn | undefined;
		let value: Syn | undefined;
		if (n.type === 'init_declarator') (target = field(n, 'declarator')), (value = field(n, 'value'));
		else if (n.type === 'assignment_expression' && opOf(f.code, n) === '=') (target = field(n, 'left')), (value = field(n, 'right'));
		const v = bare(value);
		if (target?.type === 'identifier' && v?.type === 'field_expression') loaded.set(textOf(f.code, target), clean(textOf(f.code, v)));
		if (target?.type === 'identifier' && v?.type === 'call_expression' && MIN_CAP.test(calleeOf(f.code, v))) loaded.delete(textOf(f.code, target));
	}
	const loops = ofType(f.node, 'for_statement', 'while_statement');
	const conditions = loops.map((l) => field(l, 'condition')).filter((c): c is Syn => !!c);
	// inside a loop header: a loop's condition at or above it (a walk up, not a scan of every loop)
	const conditionNodes = new Set(conditions);
	const inLoopHeader = (n: Syn) => {
		for (let p: Syn | null = n; p; p = p.parent) if (conditionNodes.has(p)) return true;
		return false;
	};
	// the tests and min() caps of the function, with their text and names, computed once (lazily)
	let tests: { at: number; text: string; ids: Set<string> }[] | null = null;
	const testsOf = () =>
		(tests ??= [
			...ofType(f.node, 'binary_expression').filter((x) => (COMPARE.test(opOf(f.code, x)) || /^(==|!=)$/.test(opOf(f.code, x))) && !inLoopHeader(x)),
			...ofType(f.node, 'call_expression').filter((c) => MIN_CAP.test(calleeOf(f.code, c)))
		].map((x) => ({ at: x.start, text: clean(textOf(f.code, x)), ids: new Set(ofType(x, 'identifier').map((d) => textOf(f.code, d))) })));
	// per loop, looked up (not a scan of every test per loop, quadratic in a long function): the
	// first test naming an identifier, and, per field text, the first test whose text holds it
	let firstById: Map<string, number> | null = null;
	const firstTestOf = (name: string) => {
		if (!firstById) {
			firstById = new Map();
			for (const t of testsOf()) for (const id of t.ids) if (!(firstById.get(id)! <= t.at)) firstById.set(id, t.at);
		}
		return firstById.get(name) ?? Infinity;
	};
	const firstHolding = new Map<string, number>();
	const firstTestHolding = (text: string) => {
		let at = firstHolding.get(text);
		if (at === undefined) firstHolding.set(text, (at = testsOf().reduce((first, t) => (t.at < first && t.text.includes(text) ? t.at : first), Infinity)));
		return at;
	};
	for (const loop of loops) {
		const cond = field(loop, 'condition');
		const b = bare(cond);
		if (!b || b.type !== 'binary_expression' || !/^(<|<=)$/.test(opOf(f.code, b))) continue;
		const counter = field(b, 'left');
		const bound = bare(field(b, 'right'));
		if (counter?.type !== 'identifier' || !bound) continue;
		const boundText = clean(textOf(f.code, bound));
		const origin = bound.type === 'field_expression' && boundText.includes('->') ? boundText : bound.type === 'identifier' ? loaded.get(boundText) : undefined;
		if (!origin || !origin.includes('->')) continue;
		const counterName = textOf(f.code, counter);
		const body = field(loop, 'body');
		const access = body && ofType(body, 'subscript_expression').find((s) => ofType(field(s, 'index') ?? s, 'identifier').some((d) => textOf(f.code, d) === counterName));
		if (!access) continue;
		// another test (outside loop headers) or a min() cap of the count, or of its field, BEFORE the loop: checked
		if (firstTestOf(boundText) < loop.start || firstTestHolding(origin) < loop.start) continue;
		return [{ rule: 'c.bounds.loop-count-from-data', line: access.line, message: `the loop runs ${counterName} up to ${boundText}${origin !== boundText ? ` (from ${origin})` : ''}, a count from the data never checked against a size, and indexes ${clean(textOf(f.code, access))}` }];
	}
	return [];
}

const COPIES = /^(memcpy|memmove|memset|memcmp|strncpy|strncmp|strncat|copy_from_user|copy_to_user|__copy_from_user|__copy_to_user|memcpy_\w+|skb_copy_bits|read|fread|recv|strlcpy|bcopy)$/;

/** The key a bound test is about: `len`, `h->len`, or the field inside ntohs(h->len) / le16_to_cpu(h->len). */
function boundKey(code: string, n: Syn | undefined): string | null {
	let e = bare(n);
	if (e?.type === 'call_expression' && /^(ntohs|ntohl|be16_to_cpu|be32_to_cpu|le16_to_cpu|le32_to_cpu|le64_to_cpu|be64_to_cpu|get_unaligned\w*)$/.test(calleeOf(code, e))) e = bare(named(field(e, 'arguments') ?? e)[0]);
	if (!e || !/^(identifier|field_expression)$/.test(e.type)) return null;
	const t = clean(textOf(code, e));
	return /^[A-Z_][A-Z0-9_]*$/.test(t) ? null : t;
}

/**
 * A length or index used (copy length, array index, pointer offset, loop bound) BEFORE the
 * function's own error test of it (`if (len > max) return …` further down): the test that
 * should guard the use comes too late. The fixed shape moves the test before the use.
 */
export function cUseBeforeCheck(f: FunctionFacts, exitsOn: (code: string, s: Syn) => boolean): TreeFinding[] {
	const nodes = walk(f.node);
	// Computed once, looked up per test (a scan of every earlier use and write per test was
	// quadratic in the function's length): each key's writes, and each key's uses, in source order.
	const writesOf = new Map<string, number[]>();
	for (const a of nodes) {
		if (a.type !== 'assignment_expression' && a.type !== 'update_expression') continue;
		const key = clean(textOf(f.code, field(a, 'left') ?? named(a)[0] ?? a));
		writesOf.get(key)?.push(a.start) ?? writesOf.set(key, [a.start]);
	}
	const subscriptStarts = nodes.filter((n) => n.type === 'subscript_expression').map((n) => n.start);
	/** First index of a sorted list whose value is >= x. */
	const lowerBound = (xs: number[], x: number) => {
		let [lo, hi] = [0, xs.length];
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (xs[mid] < x) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
	const hasSubscript = (n: Syn) => {
		const i = lowerBound(subscriptStarts, n.start);
		return i < subscriptStarts.length && subscriptStarts[i] < n.end;
	};
	/** What x mentions: its own text, and every identifier / field under it (cleaned). */
	const mentioned = (x: Syn | undefined, into: Set<string>) => {
		if (!x) return;
		into.add(clean(textOf(f.code, x)));
		for (const d of walk(x)) if (/^(identifier|field_expression)$/.test(d.type)) into.add(clean(textOf(f.code, d)));
	};
	// the uses a test can come too late for, in source order: indexes, copies, loops that index;
	// each under every key it mentions in the place that counts
	const usesOf = new Map<string, { n: Syn[]; starts: number[] }>();
	for (const n of nodes) {
		const keys = new Set<string>();
		if (n.type === 'subscript_expression') mentioned(field(n, 'index'), keys);
		else if (n.type === 'call_expression' && COPIES.test(lastSegment(calleeOf(f.code, n)))) {
			const a = named(field(n, 'arguments') ?? n);
			if (a.length >= 2) mentioned(a[a.length - 1], keys);
		} else if (n.type === 'for_statement' || n.type === 'while_statement') {
			const c = bare(field(n, 'condition'));
			if (c?.type === 'binary_expression' && /^(<|<=)$/.test(opOf(f.code, c)) && hasSubscript(field(n, 'body') ?? n)) mentioned(field(c, 'right'), keys);
		}
		for (const key of keys) {
			const list = usesOf.get(key) ?? usesOf.set(key, { n: [], starts: [] }).get(key)!;
			list.n.push(n);
			list.starts.push(n.start);
		}
	}
	for (const s of ofType(f.node, 'if_statement')) {
		if (!exitsOn(f.code, s)) continue;
		const cond = field(s, 'condition');
		if (!cond) continue;
		for (const b of ofType(cond, 'binary_expression')) {
			const op = opOf(f.code, b);
			if (!COMPARE.test(op)) continue;
			const right = bare(field(b, 'right'));
			// the key on the "large" side: len > max, max < len
			const key = boundKey(f.code, op === '>' || op === '>=' ? field(b, 'left') : field(b, 'right'));
			if (!key || (right && /^(0|1)$/.test(textOf(f.code, right)))) continue;
			const other = op === '>' || op === '>=' ? field(b, 'right') : field(b, 'left');
			if (!other || /^(0|1|-1)$/.test(clean(textOf(f.code, other)))) continue;
			const uses = usesOf.get(key) ?? { n: [], starts: [] };
			// reassigned between the use and the test: the test is about a new value; so only
			// uses at or after the last write before the test count
			const sets = writesOf.get(key) ?? [];
			const before = lowerBound(sets, s.start);
			const lastSet = before > 0 ? sets[before - 1] : -Infinity;
			// the use sits in the if's own loop body, after an earlier iteration's test: not "before"
			const guarded = f.guardedAt.get(key) ?? Infinity;
			for (let i = lowerBound(uses.starts, lastSet); i < uses.n.length; i++) {
				const n = uses.n[i];
				if (n.start >= s.start || guarded < n.start) break;
				if (/^(for_statement|while_statement)$/.test(n.type) && n.end >= s.start) continue; // a loop around the test
				return [{ rule: 'c.bounds.use-before-check', line: n.line, message: `${key} is used here and only tested against ${clean(textOf(f.code, other))} later (line ${b.line})` }];
			}
		}
	}
	return [];
}

const LENGTHY = /(len|length|size|sz|count|cnt|num|nr|offset|off|pos|bytes|idx|index)\w*$/i;

/**
 * A bounds test written with a sum of two values from outside (`off + len > size`): a large
 * len wraps the sum around and the test passes. The fixed shape subtracts on the side that
 * cannot wrap (`len > size - off`), or tests against a type limit (`len > UINT_MAX - off`),
 * or uses an overflow-checking helper; any of those in the function counts as the fix.
 */
export function cSumInBoundTest(f: FunctionFacts): TreeFinding[] {
	const compares = ofType(f.node, 'binary_expression').filter((b) => COMPARE.test(opOf(f.code, b)));
	const isConstant = (n: Syn) => n.type === 'number_literal' || n.type === 'sizeof_expression' || /^[A-Z_][A-Z0-9_]*$/.test(textOf(f.code, n));
	const outside = (n: Syn) => {
		const t = clean(textOf(f.code, n));
		return f.tainted.has(t) || t.includes('->') || t.includes('.') || LENGTHY.test(t);
	};
	const safeShapes = compares.filter((b) => [field(b, 'left'), field(b, 'right')].some((s) => bare(s)?.type === 'binary_expression' && opOf(f.code, bare(s)!) === '-'));
	// what makes a name checked, computed once (not per sum: a rescan per sum was quadratic): the
	// names in a subtracting test, any overflow-checking call, the names in a test against a _MAX
	let safe: { names: Set<string>; overflowCall: boolean } | null = null;
	const checked = (name: string) => {
		if (!safe) {
			const names = new Set<string>();
			for (const b of [...safeShapes, ...compares.filter((b) => /_MAX\b/.test(textOf(f.code, b)))]) for (const d of ofType(b, 'identifier', 'field_expression')) names.add(clean(textOf(f.code, d)));
			safe = { names, overflowCall: ofType(f.node, 'call_expression').some((c) => /overflow|check_add|size_add|safe_add|__builtin_add/i.test(calleeOf(f.code, c))) };
		}
		return safe.names.has(name) || safe.overflowCall;
	};
	for (const b of compares) {
		for (const side of [field(b, 'left'), field(b, 'right')]) {
			const sum = bare(side);
			if (!sum || sum.type !== 'binary_expression' || opOf(f.code, sum) !== '+') continue;
			const [x, y] = [bare(field(sum, 'left')), bare(field(sum, 'right'))];
			if (!x || !y || isConstant(x) || isConstant(y) || !/^(identifier|field_expression)$/.test(x.type) || !/^(identifier|field_expression)$/.test(y.type)) continue;
			if (!outside(x) || !outside(y)) continue;
			const [xn, yn] = [clean(textOf(f.code, x)), clean(textOf(f.code, y))];
			if (checked(xn) || checked(yn)) continue;
			// `x + y < x` is itself the wrap test
			const other = bare(side === field(b, 'left') ? field(b, 'right') : field(b, 'left'));
			if (other && [xn, yn].includes(clean(textOf(f.code, other)))) continue;
			return [{ rule: 'c.integer.sum-in-bound-test', line: b.line, message: `${clean(textOf(f.code, b))}: ${xn} + ${yn} can wrap around and pass the test; subtract on the other side instead` }];
		}
	}
	return [];
}

/**
 * A cursor advanced by a length read from the data it walks (`p += h->len`, `buf = buf + len`
 * with len = h->bLength, `remaining -= rec->size`) with no test of that length before the
 * advance: a record that lies about its length walks the cursor past the buffer. The fixed
 * shape tests the length against what is left first.
 */
export function cAdvanceByDataLength(f: FunctionFacts): TreeFinding[] {
	const loaded = new Map<string, string>();
	for (const n of walk(f.node)) {
		let target: Syn | undefined;
		let value: Syn | undefined;
		if (n.type === 'init_declarator') (target = field(n, 'declarator')), (value = field(n, 'value'));
		else if (n.type === 'assignment_expression' && opOf(f.code, n) === '=') (target = field(n, 'left')), (value = field(n, 'right'));
		const key = boundKey(f.code, value);
		if (target?.type === 'identifier' && key && key.includes('->')) loaded.set(textOf(f.code, target), key);
	}
	// each name's first test (a comparison or a min() cap mentioning it), computed once on first
	// need: a rescan of the function per assignment made long functions quadratic
	let firstTest: Map<string, number> | null = null;
	const firstTests = () => {
		if (firstTest) return firstTest;
		const at = new Map<string, number>();
		const stack: [Syn, number][] = [[f.node, Infinity]];
		while (stack.length) {
			const [n, above] = stack.pop()!;
			const isTest = (n.type === 'binary_expression' && (COMPARE.test(opOf(f.code, n)) || /^(==|!=)$/.test(opOf(f.code, n)))) || (n.type === 'call_expression' && MIN_CAP.test(calleeOf(f.code, n)));
			const from = Math.min(above, isTest ? n.start : Infinity); // the outermost enclosing test starts first
			if (from < Infinity && /^(identifier|field_expression)$/.test(n.type)) {
				const name = clean(textOf(f.code, n));
				if (!(at.get(name)! <= from)) at.set(name, from);
			}
			for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], from]);
		}
		return (firstTest = at);
	};
	const testedBefore = (name: string, at: number) => (firstTests().get(name) ?? Infinity) < at;
	for (const a of ofType(f.node, 'assignment_expression')) {
		const op = opOf(f.code, a);
		const left = field(a, 'left');
		if (left?.type !== 'identifier') continue;
		let step: Syn | undefined;
		if (op === '+=' || op === '-=') step = field(a, 'right');
		else if (op === '=') {
			const r = bare(field(a, 'right'));
			if (r?.type === 'binary_expression' && opOf(f.code, r) === '+' && clean(textOf(f.code, field(r, 'left') ?? r)) === textOf(f.code, left)) step = field(r, 'right');
		}
		const key = boundKey(f.code, step);
		if (!key) continue;
		const origin = key.includes('->') ? key : loaded.get(key);
		if (!origin) continue;
		if (testedBefore(key, a.start) || testedBefore(origin, a.start)) continue;
		return [{ rule: 'c.bounds.advance-by-data-length', line: a.line, message: `${textOf(f.code, left)} moves by ${key}${origin !== key ? ` (from ${origin})` : ''}, a length read from the data, with no test of it against what is left` }];
	}
	return [];
}

/**
 * An error branch that releases something and does not leave: `if (setup(x) != 0) { log();
 * free_things(x); }` followed straight by `return 0`: the caller is told all went well and goes
 * on to use what was just released (or left NULL). The fixed shape returns the error.
 */
export function cErrorPathFallsThrough(f: FunctionFacts, free: RegExp, notFree: RegExp): TreeFinding[] {
	for (const s of ofType(f.node, 'if_statement')) {
		if (field(s, 'alternative')) continue;
		const cons = field(s, 'consequence');
		if (!cons || cons.type !== 'compound_statement') continue;
		if (walk(cons).some((n) => /^(return_statement|goto_statement|break_statement|continue_statement)$/.test(n.type))) continue;
		if (/\b(exit|abort|panic|BUG|longjmp)\s*\(/.test(textOf(f.code, cons))) continue;
		const release = ofType(cons, 'call_expression').find((c) => {
			const callee = lastSegment(calleeOf(f.code, c));
			return (free.test(callee) || /(^|_)(free|release|destroy|cleanup|teardown)(_|$)/.test(callee)) && !notFree.test(callee) && named(field(c, 'arguments') ?? c).length > 0;
		});
		if (!release) continue;
		// the statement right after the if reports success
		const block = s.parent;
		if (!block || block.type !== 'compound_statement') continue;
		const next = block.children.find((c) => c.named && c.start > s.end && c.type !== 'comment');
		if (next?.type !== 'return_statement') continue;
		const value = clean(textOf(f.code, next)).replace(/^return\(?|\)?;$/g, '');
		if (!/^(0|true|TRUE|\w*_OK|\w*SUCCESS\w*|NULL)$/.test(value) || value === 'NULL') continue;
		return [{ rule: 'c.lifetime.error-path-falls-through', line: release.line, message: `the error branch releases with ${calleeOf(f.code, release)}() and does not leave: the function then returns ${value} (line ${next.line}) as if all went well` }];
	}
	return [];
}

const BRANCHING = /^(if_statement|switch_statement|case_statement|for_statement|while_statement|do_statement|conditional_expression)$/;

/**
 * A pointer set to NULL in the function and dereferenced later, when every assignment that
 * gives it a value on the way sits in a branch (an if, a switch case, a loop) the dereference
 * is not in, and no test of the pointer comes between: on the path that skips those branches
 * it is still NULL. The fixed shape tests it before the dereference.
 */
export function cNullOnSomePath(f: FunctionFacts): TreeFinding[] {
	const nodes = walk(f.node);
	const nameOf = (n: Syn | undefined) => (n && /^(identifier|field_expression)$/.test(n.type) ? clean(textOf(f.code, n)) : null);
	const isNull = (n: Syn | undefined) => !!n && /^(NULL|nullptr|0|\(void\*\)0)$/.test(clean(textOf(f.code, n)));
	const sets: { name: string; at: Syn; toNull: boolean }[] = [];
	for (const n of nodes) {
		if (n.type === 'assignment_expression' && opOf(f.code, n) === '=') {
			const name = nameOf(field(n, 'left'));
			if (name) sets.push({ name, at: n, toNull: isNull(field(n, 'right')) });
		}
		if (n.type === 'init_declarator' && field(n, 'declarator')?.type === 'pointer_declarator') {
			const id = ofType(field(n, 'declarator')!, 'identifier')[0];
			// (a declaration of a parameter's name is a misparse of `*out = NULL` in code cut from its file)
			if (id && !f.params.includes(textOf(f.code, id))) sets.push({ name: textOf(f.code, id), at: n, toNull: isNull(field(n, 'value')) });
		}
	}
	const nulled = sets.filter((s) => s.toNull);
	if (!nulled.length) return [];
	const conditions = nodes.filter((n) => n.type === 'if_statement' || n.type === 'while_statement' || n.type === 'for_statement' || n.type === 'conditional_expression' || (n.type === 'binary_expression' && /^(&&|\|\||==|!=)$/.test(opOf(f.code, n))) || (n.type === 'call_expression' && /^(likely|unlikely|WARN_ON\w*|BUG_ON|assert|IS_ERR_OR_NULL)$/.test(calleeOf(f.code, n))));
	const branchesOf = (n: Syn) => {
		const out: Syn[] = [];
		for (let p = n.parent; p && p !== f.node; p = p.parent) if (BRANCHING.test(p.type)) out.push(p);
		return out;
	};
	const within = (inner: Syn, outer: Syn) => inner.start >= outer.start && inner.end <= outer.end;
	// every dereference (p->x, *p) with the name it goes through, once
	const derefs = nodes
		.filter((d) => (d.type === 'field_expression' && textOf(f.code, d).includes('->')) || (d.type === 'pointer_expression' && textOf(f.code, d).startsWith('*')))
		.map((d) => ({ d, name: nameOf(bare(field(d, 'argument'))) }));
	for (const z of nulled) {
		for (const { d, name } of derefs) {
			if (d.start <= z.at.end || name !== z.name) continue;
			// the NULL store and the dereference on different arms / iterations: not one path
			if (branchesOf(z.at).some((b) => !within(d, b))) break;
			const between = (n: Syn) => n.start > z.at.end && n.start < d.start;
			const tested = conditions.some((c) => (between(c) || within(d, c)) && walk(c.type === 'if_statement' || c.type === 'while_statement' || c.type === 'for_statement' ? field(c, 'condition') ?? c : c).some((x) => nameOf(x) === z.name));
			if (tested) break;
			const given = sets.filter((s) => s.name === z.name && !s.toNull && between(s.at));
			// a value given on every path to the dereference (its branches all hold the dereference too)
			if (given.some((s) => branchesOf(s.at).every((b) => within(d, b)))) break;
			if (nodes.some((n) => between(n) && n.type === 'pointer_expression' && textOf(f.code, n).startsWith('&') && nameOf(field(n, 'argument')) === z.name)) break;
			const how = given.length ? `given a value only in branches (line ${given[0].at.line})` : 'given no value in this function';
			return [{ rule: 'c.null.null-on-some-path', line: d.line, message: `${z.name} is set to NULL on line ${z.at.line} and ${how}; dereferenced here with no test` }];
		}
	}
	return [];
}

const END_NAME = /(^|_|>|\.)(end|limit|last|eob|tail|stop|bufend|buf_end|data_end|end_ptr|endp|pend|lim)$/i;

/**
 * A pointer moved ahead by a value from the data (`q = p + h->skip`) and then used (dereferenced,
 * or as the bound of a loop that walks a cursor up to it) in a function that knows where its
 * buffer ends (an `end` / `limit` pointer), with no comparison of the new pointer against that
 * end first: a large step lands past the buffer. The fix tests `q >= end` before the use.
 */
export function cPointerPastEnd(f: FunctionFacts): TreeFinding[] {
	const ends = new Set<string>();
	for (const d of walk(f.node)) if ((d.type === 'identifier' || d.type === 'field_expression') && END_NAME.test(clean(textOf(f.code, d)))) ends.add(clean(textOf(f.code, d)));
	if (!ends.size) return [];
	const compares = ofType(f.node, 'binary_expression').filter((b) => COMPARE.test(opOf(f.code, b)) || /^(==|!=)$/.test(opOf(f.code, b)));
	const nodes = walk(f.node);
	// Looked up per moved pointer, so computed once, on the first one (a rescan of the function
	// per pointer was quadratic in its length): the names compared with an end (with the starts
	// of those comparisons per identifier), the names passed to a call with an end, and each
	// name's uses (a dereference, an index, a loop condition without an end) in source order.
	let facts: { boundedNames: Set<string>; checksOf: Map<string, number[]>; coPassed: Set<string>; usesOf: Map<string, { u: Syn[]; starts: number[] }> } | null = null;
	const factsOf = () => {
		if (facts) return facts;
		const boundedNames = new Set<string>();
		const checksOf = new Map<string, number[]>();
		for (const b of compares) {
			const texts = walk(b).map((d) => ({ d, text: clean(textOf(f.code, d)) }));
			if (!texts.some((x) => ends.has(x.text))) continue;
			for (const x of texts) boundedNames.add(x.text);
			for (const name of new Set(texts.filter((x) => x.d.type === 'identifier').map((x) => textOf(f.code, x.d)))) checksOf.get(name)?.push(b.start) ?? checksOf.set(name, [b.start]);
		}
		const coPassed = new Set<string>();
		for (const c of nodes) {
			if (c.type !== 'call_expression') continue;
			const args = named(field(c, 'arguments') ?? c).map((a) => clean(textOf(f.code, a)));
			if (args.some((a) => ends.has(a))) for (const a of args) coPassed.add(a);
		}
		const usesOf = new Map<string, { u: Syn[]; starts: number[] }>();
		const use = (name: string, u: Syn) => {
			const list = usesOf.get(name) ?? usesOf.set(name, { u: [], starts: [] }).get(name)!;
			list.u.push(u);
			list.starts.push(u.start);
		};
		for (const u of nodes) {
			if ((u.type === 'pointer_expression' && textOf(f.code, u).startsWith('*')) || u.type === 'subscript_expression') use(clean(textOf(f.code, field(u, 'argument') ?? u)), u);
			else if (/^(while_statement|for_statement)$/.test(u.type)) {
				const inCondition = walk(field(u, 'condition') ?? u);
				if (!inCondition.some((d) => ends.has(clean(textOf(f.code, d))))) for (const name of new Set(inCondition.filter((d) => d.type === 'identifier').map((d) => textOf(f.code, d)))) use(name, u);
			}
		}
		return (facts = { boundedNames, checksOf, coPassed, usesOf });
	};
	/** Index of the first value above x in an ascending list. */
	const firstAbove = (xs: number[], x: number) => {
		let [lo, hi] = [0, xs.length];
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (xs[mid] > x) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	};
	for (const n of nodes) {
		let target: Syn | undefined;
		let value: Syn | undefined;
		if (n.type === 'init_declarator' && field(n, 'declarator')?.type === 'pointer_declarator') (target = ofType(field(n, 'declarator')!, 'identifier')[0]), (value = field(n, 'value'));
		else if (n.type === 'assignment_expression' && opOf(f.code, n) === '=') (target = field(n, 'left')), (value = field(n, 'right'));
		const v = bare(value);
		if (target?.type !== 'identifier' || !v || v.type !== 'binary_expression' || opOf(f.code, v) !== '+') continue;
		const [base, step] = [bare(field(v, 'left')), bare(field(v, 'right'))];
		if (!base || !step || base.type !== 'identifier' || step.type === 'number_literal' || step.type === 'sizeof_expression') continue;
		const stepText = clean(textOf(f.code, step));
		if (/^[A-Z_][A-Z0-9_]*$/.test(stepText) || !(stepText.includes('->') || stepText.includes('.') || f.tainted.has(stepText))) continue;
		// the base must be a cursor the function bounds by its end somewhere (or hands to a callee with its end)
		const name = textOf(f.code, target);
		const baseName = textOf(f.code, base);
		const { boundedNames, checksOf, coPassed, usesOf } = factsOf();
		if (!boundedNames.has(baseName) && !coPassed.has(baseName) && !ends.has(baseName)) continue;
		// first use of the new pointer after it is set
		const uses = usesOf.get(name);
		const use = uses?.u[firstAbove(uses.starts, n.end)];
		if (!use) continue;
		const checks = checksOf.get(name) ?? [];
		const next = checks[firstAbove(checks, n.end)];
		if (next !== undefined && next < use.start) continue;
		return [{ rule: 'c.bounds.pointer-past-end', line: use.line, message: `${name} = ${clean(textOf(f.code, v))} (line ${n.line}) is used with no comparison against ${[...ends][0]}: a large ${stepText} lands past the buffer` }];
	}
	return [];
}
