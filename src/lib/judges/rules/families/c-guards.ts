// C rule families that look for the guard a fix adds before a memory access, each on the shape
// that recurs across projects (parsers of packets, descriptors, file formats):
// - a record laid over a byte buffer (`h = (struct hdr *)buf`) whose fields are read while no
//   comparison anywhere in the function weighs a length against the record's size (sizeof);
// - a signed count or index (int, long, ssize_t …) that an if tests against its upper bound
//   only, then indexes, copies or allocates: a negative value passes the test;
// - a loop whose bound is a count read from the data (`i < h->count`) indexing an array, with
//   no test of that count against a size and no min() cap.
// Each finding names its rule and the line of the access.

import { calleeOf, lastSegment, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, walk, type Syn } from '../syntax.ts';
import type { TreeFinding } from './types.ts';

const clean = (s: string) => s.replace(/\s+/g, '');
const opOf = (code: string, b: Syn) => textOf(code, b.children.find((c) => !c.named) ?? b);
const COMPARE = /^(<|>|<=|>=)$/;
const BYTE_POINTER = /^(const)?(unsigned)?(char|u8|__u8|uint8_t|u_char|u_int8_t|guchar|guint8|byte|BYTE|ut8|void|int|short|long|u16|u32|uint16_t|uint32_t|__le16|__le32|__be16|__be32)\*+$/;

/** Strips parentheses and casts: the value an expression carries. */
function bare(n: Syn | undefined): Syn | undefined {
	while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.type === 'cast_expression' ? field(n, 'value') : named(n)[0];
	return n;
}

/**
 * A record laid over a byte buffer: `p = (struct T *)buf` (or `buf + off`, `skb->data`) and
 * p->field read after, with no comparison in the function that involves sizeof(*p),
 * sizeof(struct T) or sizeof(T): the buffer may be shorter than the record.
 */
export function cRecordOverBuffer(f: FunctionFacts): TreeFinding[] {
	const types = declaredTypes(f);
	const sizeComparisons = ofType(f.node, 'binary_expression')
		.filter((b) => COMPARE.test(opOf(f.code, b)) && ofType(b, 'sizeof_expression').length > 0)
		.map((b) => clean(textOf(f.code, b)));
	for (const n of walk(f.node)) {
		let target: Syn | undefined;
		let value: Syn | undefined;
		if (n.type === 'init_declarator') (target = ofType(field(n, 'declarator') ?? n, 'identifier')[0]), (value = field(n, 'value'));
		else if (n.type === 'assignment_expression' && opOf(f.code, n) === '=') (target = field(n, 'left')), (value = field(n, 'right'));
		if (!target || target.type !== 'identifier' || !value) continue;
		let v = value;
		while (v.type === 'parenthesized_expression') v = named(v)[0] ?? v;
		if (v.type !== 'cast_expression') continue;
		const type = clean(textOf(f.code, field(v, 'type') ?? v));
		if (!type.endsWith('*') || BYTE_POINTER.test(type)) continue;
		const inner = bare(field(v, 'value'));
		if (!inner || ofType(inner, 'call_expression').length > 0 || inner.type === 'number_literal' || inner.type === 'null') continue;
		// the buffer: an identifier or field, possibly plus an offset
		const base = inner.type === 'binary_expression' ? bare(field(inner, 'left')) : inner;
		if (!base || !/^(identifier|field_expression)$/.test(base.type)) continue;
		// a byte buffer, not a context pointer handed through (void *user_data, priv, arg): a
		// buffer walked with an offset, declared as bytes, or named as packet / buffer data
		const baseText = clean(textOf(f.code, base));
		const bytes = inner.type === 'binary_expression' || /^(const)?(unsigned)?(char|u8|__u8|uint8_t|u_char|guchar|guint8|BYTE|byte)$/.test(types.get(baseText) ?? '') || /(^|[_.>])(buf|buffer|data|payload|pkt|packet|raw|bytes|iov_base|ptr|pos|cur|curr|p)$/i.test(baseText);
		if (!bytes || /(user|private|driver|priv|cb|callback|client|context|ctx)_?data$/i.test(baseText)) continue;
		const name = textOf(f.code, target);
		const struct = /^(?:const)?(?:struct|union)?(\w+)\*/.exec(type)?.[1] ?? '';
		const guarded = sizeComparisons.some((c) => c.includes(`sizeof(*${name})`) || c.includes(`sizeof*${name}`) || (struct && new RegExp(`sizeof\\((struct|union)?${struct}\\)`).test(c)));
		if (guarded) continue;
		const read = ofType(f.node, 'field_expression').find((x) => x.start > n.end && textOf(f.code, x).includes('->') && clean(textOf(f.code, field(x, 'argument') ?? x)) === name);
		if (read)
			return [{ rule: 'c.bounds.record-over-buffer', line: read.line, message: `${name} lays a ${type.replace(/\*+$/, '')} over ${clean(textOf(f.code, base))} (line ${n.line}) and reads ${clean(textOf(f.code, read))} with no length compared against its size` }];
	}
	return [];
}

const SIGNED = /^(const)?(signed)?(int|long|short|longlong|longint|shortint|int8_t|int16_t|int32_t|int64_t|s8|s16|s32|s64|ssize_t|off_t|loff_t|gint|gint32|gssize|jint|Py_ssize_t|zend_long)$/;
const COPY_OR_ALLOC = /^(memcpy|memmove|memset|strncpy|copy_from_user|copy_to_user|malloc|kmalloc|kzalloc|vmalloc|alloca|memcpy_\w+)$/;

/** Declared types of the function's parameters and locals: name → type text without spaces. */
function declaredTypes(f: FunctionFacts): Map<string, string> {
	const out = new Map<string, string>();
	for (const d of ofType(f.node, 'parameter_declaration', 'declaration')) {
		const type = field(d, 'type');
		if (!type) continue;
		const quals = d.children.filter((c) => c.type === 'type_qualifier' || c.type === 'storage_class_specifier').map((c) => textOf(f.code, c)).filter((q) => q === 'const');
		const typeText = clean(quals.join('') + textOf(f.code, type));
		for (const decl of d.children.filter((c) => c.field === 'declarator')) {
			const id = decl.type === 'identifier' ? decl : decl.type === 'init_declarator' && field(decl, 'declarator')?.type === 'identifier' ? field(decl, 'declarator') : undefined;
			if (id) out.set(textOf(f.code, id), typeText);
		}
	}
	return out;
}

/**
 * A signed integer (int, long, ssize_t …) tested in an if against an upper bound only
 * (`if (i >= n) return`), then used as an index, a copy length or an allocation size: a
 * negative value passes the test. A lower-bound test (`i < 0`), an unsigned cast in the
 * test, or a for loop counting it up from a constant is the fixed shape.
 */
export function cSignedUpperOnly(f: FunctionFacts): TreeFinding[] {
	const types = declaredTypes(f);
	const signed = new Set([...types].filter(([, t]) => SIGNED.test(t)).map(([n]) => n));
	if (!signed.size) return [];
	const upperAt = new Map<string, number>();
	const lower = new Set<string>();
	const isZeroish = (n: Syn | undefined) => !!n && /^(0|1|-1|0L|0U)$/.test(clean(textOf(f.code, n)));
	for (const b of ofType(f.node, 'binary_expression')) {
		const op = opOf(f.code, b);
		if (!COMPARE.test(op) && op !== '==' && op !== '!=') continue;
		const [l, r] = [field(b, 'left'), field(b, 'right')];
		for (const [side, other, flipped] of [[l, r, false], [r, l, true]] as const) {
			if (side?.type !== 'identifier') continue;
			const name = textOf(f.code, side);
			if (!signed.has(name)) continue;
			const o = flipped ? ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op : op;
			if (isZeroish(other) && (o === '<' || o === '<=' || o === '>=' || o === '>')) lower.add(name);
			else if ((o === '>' || o === '>=') && !isZeroish(other)) {
				// only a test in an if condition counts as the (incomplete) guard
				let p: Syn | null = b.parent;
				while (p && p.type !== 'if_statement' && p.type !== 'compound_statement') p = p.parent;
				if (p?.type === 'if_statement' && !upperAt.has(name)) upperAt.set(name, b.start);
			}
		}
	}
	// a test through an unsigned cast covers negatives: (unsigned)i >= n
	for (const c of ofType(f.node, 'cast_expression')) if (/unsigned|size_t|u32|u64|uint/.test(textOf(f.code, field(c, 'type') ?? c))) for (const id of ofType(c, 'identifier')) lower.add(textOf(f.code, id));
	// counted up from a constant in a for header
	for (const loop of ofType(f.node, 'for_statement')) for (const id of ofType(field(loop, 'initializer') ?? loop, 'identifier')) if (loop.children.some((c) => c.field === 'initializer')) lower.add(textOf(f.code, id));
	for (const [name, at] of upperAt) {
		if (lower.has(name)) continue;
		for (const n of walk(f.node)) {
			if (n.start <= at) continue;
			let hit: Syn | undefined;
			if (n.type === 'subscript_expression' && bare(field(n, 'index'))?.type === 'identifier' && textOf(f.code, bare(field(n, 'index'))!) === name) hit = n;
			if (n.type === 'call_expression' && COPY_OR_ALLOC.test(lastSegment(calleeOf(f.code, n)))) {
				const a = named(field(n, 'arguments') ?? n);
				const len = bare(a[a.length - 1]);
				if (len?.type === 'identifier' && textOf(f.code, len) === name) hit = n;
			}
			if (hit) return [{ rule: 'c.bounds.signed-upper-only', line: hit.line, message: `${name} is a signed ${types.get(name)} tested against its upper bound only; a negative ${name} reaches ${clean(textOf(f.code, hit)).slice(0, 60)}` }];
		}
	}
	return [];
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
	const conditions = new Set(loops.map((l) => field(l, 'condition')).filter((c): c is Syn => !!c));
	const inLoopHeader = (n: Syn) => [...conditions].some((c) => n.start >= c.start && n.end <= c.end);
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
		// another test of the count (or of its field) outside loop headers: checked
		const mentions = (x: Syn) => {
			const t = clean(textOf(f.code, x));
			return t.includes(origin) || ofType(x, 'identifier').some((d) => textOf(f.code, d) === boundText);
		};
		// only a test BEFORE the loop guards it (a test after the loop comes too late)
		const tested = ofType(f.node, 'binary_expression').some((x) => x.start < loop.start && (COMPARE.test(opOf(f.code, x)) || /^(==|!=)$/.test(opOf(f.code, x))) && !inLoopHeader(x) && mentions(x));
		const capped = ofType(f.node, 'call_expression').some((c) => c.start < loop.start && MIN_CAP.test(calleeOf(f.code, c)) && mentions(c));
		if (tested || capped) continue;
		const counterName = textOf(f.code, counter);
		const body = field(loop, 'body');
		const access = body && ofType(body, 'subscript_expression').find((s) => ofType(field(s, 'index') ?? s, 'identifier').some((d) => textOf(f.code, d) === counterName));
		if (access) return [{ rule: 'c.bounds.loop-count-from-data', line: access.line, message: `the loop runs ${counterName} up to ${boundText}${origin !== boundText ? ` (from ${origin})` : ''}, a count from the data never checked against a size, and indexes ${clean(textOf(f.code, access))}` }];
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
	const assignedAt = (key: string) => nodes.filter((a) => (a.type === 'assignment_expression' || a.type === 'update_expression') && clean(textOf(f.code, field(a, 'left') ?? named(a)[0] ?? a)) === key).map((a) => a.start);
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
			const sets = assignedAt(key);
			const mentions = (x: Syn | undefined) => !!x && (clean(textOf(f.code, x)) === key || walk(x).some((d) => /^(identifier|field_expression)$/.test(d.type) && clean(textOf(f.code, d)) === key));
			for (const n of nodes) {
				if (n.start >= s.start) break;
				let use = false;
				if (n.type === 'subscript_expression') use = mentions(field(n, 'index'));
				else if (n.type === 'call_expression' && COPIES.test(lastSegment(calleeOf(f.code, n)))) {
					const a = named(field(n, 'arguments') ?? n);
					use = a.length >= 2 && mentions(a[a.length - 1]);
				} else if (/^(for_statement|while_statement)$/.test(n.type) && n.end < s.start) {
					const c = bare(field(n, 'condition'));
					use = c?.type === 'binary_expression' && /^(<|<=)$/.test(opOf(f.code, c)) && mentions(field(c, 'right')) && ofType(field(n, 'body') ?? n, 'subscript_expression').length > 0;
				}
				if (!use) continue;
				// reassigned between the use and the test: the test is about a new value
				if (sets.some((at) => at > n.start && at < s.start)) continue;
				// the use sits in the if's own loop body, after an earlier iteration's test: not "before"
				if ((f.guardedAt.get(key) ?? Infinity) < n.start) continue;
				return [{ rule: 'c.bounds.use-before-check', line: n.line, message: `${key} is used here and only tested against ${clean(textOf(f.code, other))} later (line ${b.line})` }];
			}
		}
	}
	return [];
}

/** The pointer a NULL test is about: `p` in `p`, `!p`, `p == NULL`, `p != NULL`, `likely(p)`, `IS_ERR_OR_NULL(p)`; with whether the test says "p is NULL". */
function nullTest(code: string, e: Syn | undefined): { name: string; isNull: boolean } | null {
	e = bare(e);
	if (!e) return null;
	if (/^(identifier|field_expression)$/.test(e.type)) return { name: clean(textOf(code, e)), isNull: false };
	if (e.type === 'unary_expression' && textOf(code, e).startsWith('!')) {
		const t = nullTest(code, named(e)[0]);
		return t && { name: t.name, isNull: !t.isNull };
	}
	if (e.type === 'binary_expression' && /^(==|!=)$/.test(opOf(code, e)) && /^(NULL|0|nullptr)$/.test(clean(textOf(code, field(e, 'right') ?? e)))) {
		const t = nullTest(code, field(e, 'left'));
		return t && { name: t.name, isNull: opOf(code, e) === '==' ? !t.isNull : t.isNull };
	}
	if (e.type === 'call_expression' && /^(likely|unlikely|IS_ERR_OR_NULL)$/.test(calleeOf(code, e))) {
		const t = nullTest(code, named(field(e, 'arguments') ?? e)[0]);
		return t && (calleeOf(code, e) === 'IS_ERR_OR_NULL' ? { name: t.name, isNull: true } : t);
	}
	return null;
}

/** The NULL tests a condition makes when it is true: `a && !b` says a is set and b is NULL. */
function testsWhenTrue(code: string, cond: Syn | undefined): { name: string; isNull: boolean }[] {
	const e = bare(cond);
	if (!e) return [];
	if (e.type === 'binary_expression' && opOf(code, e) === '&&') return [...testsWhenTrue(code, field(e, 'left')), ...testsWhenTrue(code, field(e, 'right'))];
	const t = nullTest(code, e);
	return t ? [t] : [];
}

/** The NULL tests a condition makes when it is false: `!a || !b` false says a and b are set. */
function testsWhenFalse(code: string, cond: Syn | undefined): { name: string; isNull: boolean }[] {
	const e = bare(cond);
	if (!e) return [];
	if (e.type === 'binary_expression' && opOf(code, e) === '||') return [...testsWhenFalse(code, field(e, 'left')), ...testsWhenFalse(code, field(e, 'right'))];
	const t = nullTest(code, e);
	return t ? [{ name: t.name, isNull: !t.isNull }] : [];
}

/**
 * Inconsistent NULL tests: the function tests a pointer for NULL (so it may be NULL) but
 * dereferences it elsewhere where no test covers the dereference — not inside `if (p)`,
 * `p && …`, `p ? … : …`, nor after an `if (!p) return/goto/…` that encloses it. The fix
 * adds the missing test at that dereference.
 */
export function cInconsistentNullTest(f: FunctionFacts, exitsOn: (code: string, s: Syn) => boolean): TreeFinding[] {
	const nodes = walk(f.node);
	const tested = new Set<string>();
	for (const n of nodes) {
		const conds = n.type === 'if_statement' || n.type === 'while_statement' || n.type === 'conditional_expression' ? [field(n, 'condition')] : n.type === 'binary_expression' && /^(&&|\|\|)$/.test(opOf(f.code, n)) ? [field(n, 'left')] : [];
		for (const c of conds) for (const t of [...testsWhenTrue(f.code, c), ...testsWhenFalse(f.code, c)]) tested.add(t.name);
	}
	if (!tested.size) return [];
	const assigned = nodes.filter((a) => a.type === 'assignment_expression' && opOf(f.code, a) === '=').map((a) => ({ at: a.start, name: clean(textOf(f.code, field(a, 'left') ?? a)), fromCall: bare(field(a, 'right'))?.type === 'call_expression' }));
	const covered = (deref: Syn, name: string): boolean => {
		for (let child: Syn = deref, p = deref.parent; p; child = p, p = p.parent) {
			if (p.type === 'if_statement' || p.type === 'conditional_expression' || p.type === 'while_statement' || p.type === 'for_statement') {
				const cond = field(p, 'condition');
				if (cond && child !== cond && child.field === 'consequence' && testsWhenTrue(f.code, cond).some((t) => t.name === name && !t.isNull)) return true;
				if (cond && child.field === 'alternative' && testsWhenFalse(f.code, cond).some((t) => t.name === name && !t.isNull)) return true;
				if (cond && child.field === 'body' && testsWhenTrue(f.code, cond).some((t) => t.name === name && !t.isNull)) return true;
			}
			if (p.type === 'binary_expression' && child.field === 'right') {
				const op = opOf(f.code, p);
				if (op === '&&' && testsWhenTrue(f.code, field(p, 'left')).some((t) => t.name === name && !t.isNull)) return true;
				if (op === '||' && testsWhenFalse(f.code, field(p, 'left')).some((t) => t.name === name && !t.isNull)) return true;
			}
			if (p.type === 'compound_statement' || p.type === 'translation_unit') {
				// an earlier statement of this block: if (!p) return; — or if (!p) p = …;
				for (const s of p.children) {
					if (s.start >= child.start) break;
					if (s.type !== 'if_statement') continue;
					const saysNull = testsWhenTrue(f.code, field(s, 'condition')).some((t) => t.name === name && t.isNull) || testsWhenFalse(f.code, field(s, 'condition')).some((t) => t.name === name && !t.isNull) && false;
					const cond = bare(field(s, 'condition'));
					const orNull = cond?.type === 'binary_expression' && opOf(f.code, cond) === '||' ? testsWhenFalse(f.code, cond).some((t) => t.name === name && !t.isNull) : false;
					if ((saysNull || orNull) && (exitsOn(f.code, s) || assigned.some((a) => a.name === name && a.at > s.start && a.at < s.end))) return true;
				}
			}
		}
		// assigned before the dereference from something that is not a call (&local, another checked pointer)
		return assigned.some((a) => a.name === name && !a.fromCall && a.at < deref.start);
	};
	for (const n of nodes) {
		if (n.type !== 'field_expression' || !textOf(f.code, n).includes('->')) continue;
		const arg = bare(field(n, 'argument'));
		if (!arg || !/^(identifier|field_expression)$/.test(arg.type)) continue;
		const name = clean(textOf(f.code, arg));
		if (!tested.has(name) || n.parent?.type === 'sizeof_expression') continue;
		// the deref inside the test itself (p && p->x is covered; `if (p->x)` alone is a deref)
		if (covered(n, name)) continue;
		return [{ rule: 'c.null.inconsistent-check', line: n.line, message: `${name} is tested for NULL elsewhere in this function but dereferenced here with no test covering it` }];
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
	const checked = (name: string) =>
		safeShapes.some((b) => ofType(b, 'identifier', 'field_expression').some((d) => clean(textOf(f.code, d)) === name)) ||
		ofType(f.node, 'call_expression').some((c) => /overflow|check_add|size_add|safe_add|__builtin_add/i.test(calleeOf(f.code, c))) ||
		compares.some((b) => /_MAX\b/.test(textOf(f.code, b)) && ofType(b, 'identifier', 'field_expression').some((d) => clean(textOf(f.code, d)) === name));
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
	const testedBefore = (name: string, at: number) =>
		ofType(f.node, 'binary_expression').some((b) => b.start < at && (COMPARE.test(opOf(f.code, b)) || /^(==|!=)$/.test(opOf(f.code, b))) && walk(b).some((d) => /^(identifier|field_expression)$/.test(d.type) && clean(textOf(f.code, d)) === name)) ||
		ofType(f.node, 'call_expression').some((c) => c.start < at && MIN_CAP.test(calleeOf(f.code, c)) && walk(c).some((d) => /^(identifier|field_expression)$/.test(d.type) && clean(textOf(f.code, d)) === name));
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
