// C rule families on syntax trees: memory lifetime (free/close families, freed aliases of
// fields), NULL results (call results, allocations, late NULL tests, netlink attributes), bounds
// (indexes, copy lengths, buffer+length parameters, stream readers, off-by-one guards, wrapping
// checks, cursors and offsets advanced in loops), arithmetic that sizes memory, file names
// reaching file operations (CWE-22), and the unbounded string copies.
// Library code: a value from a parameter, a struct field or an array counts as outside data.
// Each family looks for the shape a FIX adds: a guard counts only when it comes BEFORE the sink
// (bounds: only in an if / loop condition), so the vulnerable version fires and the fixed one not.

import { calleeOf, lastSegment, type FunctionFacts } from '../dataflow.ts';
import { field, named, ofType, textOf, walk, type Syn } from '../syntax.ts';
import { tick } from '../../../core/judges/rules/deadline.ts';
import type { TreeFinding } from './types.ts';

export const FREE = /^(free|fclose|kfree_skb\w*|dev_kfree_skb\w*|consume_skb|\w+_stop|\w+_close|kfree|kvfree|vfree|kzfree|kfree_sensitive|g_free|xfree|av_free|av_freep|efree|OPENSSL_free|CRYPTO_free|free_\w+|\w+_free|\w+_unref|\w+_release|\w+_destroy|\w+_put|put_\w+|\w+_delete|delete_\w+|release_\w+|destroy_\w+|sk_free|kmem_cache_free|mempool_free)$/;
/** 64-bit (or pointer-sized) types and literal suffixes: arithmetic widened to them does not wrap at 32 bits. */
const WIDE = /^(u64|__u64|s64|__s64|uint64_t|int64_t|unsignedlonglong|longlong|unsignedlong|long|size_t|ssize_t|loff_t|off_t|off64_t|uintptr_t|sector_t|resource_size_t|dma_addr_t|ULL|ull|LL|ll|UL|ul)$/;
/** Library functions that read through their pointer arguments (a NULL argument crashes). */
const DEREFS_ARGS = /^(strcmp|strncmp|strcasecmp|strncasecmp|istreq|streq|strlen|strcpy|strncpy|strcat|strncat|strchr|strrchr|strstr|strdup|strndup|atoi|atol|strtol|strtoul|memcpy|memmove|memcmp|memset|sscanf|fputs|puts)$/;
/** Names the FREE patterns catch that release nothing: skb_put appends data, put_user copies out, d_delete unlinks a dentry that stays referenced. */
export const NOT_A_RELEASE = /^(skb_put|__skb_put|skb_put_\w+|nla_put|put_unaligned\w*|put_user|__put_user|put_cpu\w*|put_bits\w*|put_byte|put_le\d*|put_be\d*|put_u\d+|put_s\d+|put_char|put_line|seq_put\w*|bytestream2_put\w*|d_delete|list_delete|hash_delete|\w+_list_delete)$/;
/** Release methods called through a table of operations (last segment of ops->destroy). */
const OPS_RELEASE = /^(destroy|release|free|free_\w+|dtor|destructor|finalize|finalise|cleanup|dispose)$/;
const NEVER_NULL = /^(sizeof|strlen|strcmp|memcmp|abs|labs|MIN|MAX|min|max|min_t|max_t|clamp|clamp_t|umin|umax|container_of|list_entry|ARRAY_SIZE|htons|ntohs|htonl|ntohl|le16_to_cpu|le32_to_cpu|be16_to_cpu|be32_to_cpu|get_unaligned\w*)$/;
const COPIES = /^(memcpy|memmove|strncpy|strncat|memset|copy_from_user|copy_to_user|__copy_from_user|read|fread|recv|snprintf|vsnprintf|memcpy_\w+|skb_copy_bits|strlcpy|strlcat|bcopy)$/;
/** Which argument of a copy call is its length: the last one, except snprintf(buf, size, fmt, …), recv(fd, buf, len, flags), fread(ptr, size, n, stream). */
const lengthArg = (callee: string, count: number) => (/^v?snprintf$/.test(callee) ? 1 : /^(recv|fread)$/.test(callee) ? 2 : count - 1);
const UNBOUNDED = /^(strcpy|strcat|sprintf|vsprintf|gets|stpcpy|wcscpy|wcscat)$/;
const ALLOC_NAMED = /^(malloc|calloc|realloc|kmalloc|kzalloc|kcalloc|vmalloc|vzalloc|kvmalloc|g_malloc|g_malloc0|xmalloc|av_malloc|alloca|reallocarray|kmalloc_array|\w+_alloc)$/;
/** Any allocator by its name: a callee that says alloc (emalloc, _TIFFmalloc, PyMem_Malloc, ExAllocatePool…), not one that frees. */
const ALLOC = { test: (name: string) => ALLOC_NAMED.test(name) || (/alloc/i.test(name) && !/dealloc|free|release|destroy|put|unref/i.test(name)) };

const clean = (s: string) => s.replace(/\s+/g, '');
/** A condition mentioning the name comes before offset `at` (a guard on the way to the sink, not one after it). */
const checkedBefore = (f: FunctionFacts, name: string, at: number) => (f.testedAt.get(name) ?? Infinity) < at;
/** Stricter: a condition that steers the flow (if / loop) mentions the name before offset `at`. */
const guardedBefore = (f: FunctionFacts, name: string, at: number) => (f.guardedAt.get(name) ?? Infinity) < at;
const isConst = (code: string, n: Syn) => n.type === 'number_literal' || n.type === 'char_literal' || n.type === 'sizeof_expression' || /^[A-Z_][A-Z0-9_]*$/.test(textOf(code, n));

/** True when d sits in a sizeof under `top` (its value is not read). */
function insideSizeof(d: Syn, top: Syn): boolean {
	for (let p: Syn | null = d; p && p !== top.parent; p = p.parent) if (p.type === 'sizeof_expression') return true;
	return false;
}

/** 'p', 's->buf', 'a.b' for the expression a pointer-use is about. */
function pointerName(code: string, n: Syn | undefined): string | null {
	if (!n) return null;
	if (n.type === 'identifier' || n.type === 'field_expression') return clean(textOf(code, n));
	if (n.type === 'parenthesized_expression') return pointerName(code, named(n)[0]);
	return null;
}

/** Per block: the start of its last return/goto/break/continue child (-1: none), built once per block, not once per question. */
const lastExitOf = new WeakMap<Syn, number>();

/** The statement after which control leaves the block holding `n` (return/goto/break/continue at the same level), if any. */
function exitAfter(n: Syn): Syn | null {
	let stmt: Syn = n;
	while (stmt.parent && stmt.parent.type !== 'compound_statement') stmt = stmt.parent;
	const block = stmt.parent;
	if (!block) return null;
	let last = lastExitOf.get(block);
	if (last === undefined) {
		last = -1;
		for (const s of block.children) if (/^(return_statement|goto_statement|break_statement|continue_statement)$/.test(s.type)) last = Math.max(last, s.start);
		lastExitOf.set(block, last);
	}
	return last > stmt.start ? block : null;
}

/** True when a and b sit in different arms of one if/else (no path runs both). */
function otherArm(a: Syn, b: Syn): boolean {
	for (let p = a.parent; p; p = p.parent) {
		if (!(b.start >= p.start && b.end <= p.end)) continue;
		if (p.type !== 'if_statement') return false;
		const cons = field(p, 'consequence');
		const alt = field(p, 'alternative');
		const inA = (x: Syn, arm?: Syn) => !!arm && x.start >= arm.start && x.end <= arm.end;
		return (inA(a, cons) && inA(b, alt)) || (inA(a, alt) && inA(b, cons));
	}
	return false;
}

export function cUseAfterFree(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const calls = ofType(f.node, 'call_expression');
	const nodes = calls.length ? walk(f.node) : [];
	// locals loaded from a structure field: iter = seqf->private
	const aliasOf = new Map<string, { field: string; at: number }>();
	for (const n of nodes) {
		let target: string | null = null;
		let value: Syn | undefined;
		if (n.type === 'assignment_expression') (target = pointerName(f.code, field(n, 'left'))), (value = field(n, 'right'));
		if (n.type === 'init_declarator') (target = pointerName(f.code, ofType(field(n, 'declarator') ?? n, 'identifier')[0])), (value = field(n, 'value'));
		while (value && value.type === 'cast_expression') value = field(value, 'value');
		// (e = e->next steps through a list: no alias of a field that lives on)
		if (target && !target.includes('->') && value?.type === 'field_expression' && textOf(f.code, value).includes('->') && !clean(textOf(f.code, value)).startsWith(`${target}->`)) aliasOf.set(target, { field: clean(textOf(f.code, value)), at: n.start });
	}
	// Indexes over the function's nodes, built once (asking each question of every node, once per
	// free, made this family quadratic in the function's length):
	// per name, the nodes a scan after a free stops at or looks at (an assignment to it, a free of
	// it, a mention of it), in source order; and the last reset of each name (assignment, RCU store).
	const eventsOf = new Map<string, number[]>();
	const lastReset = new Map<string, number>();
	const addEvent = (key: string | null, at: number) => {
		if (key === null) return;
		const list = eventsOf.get(key);
		if (list) list.push(at);
		else eventsOf.set(key, [at]);
	};
	for (const [at, n] of nodes.entries()) {
		tick();
		if (n.type === 'assignment_expression') {
			const name = pointerName(f.code, field(n, 'left'));
			addEvent(name, at);
			if (name !== null) lastReset.set(name, Math.max(lastReset.get(name) ?? -Infinity, n.start));
		} else if (n.type === 'call_expression') {
			const callee = calleeOf(f.code, n);
			const first = () => pointerName(f.code, named(field(n, 'arguments') ?? n)[0]);
			if (FREE.test(lastSegment(callee))) addEvent(first(), at);
			if (/^(RCU_INIT_POINTER|rcu_assign_pointer|WRITE_ONCE|xchg|swap)$/.test(callee)) {
				const name = first();
				if (name !== null) lastReset.set(name, Math.max(lastReset.get(name) ?? -Infinity, n.start));
			}
		} else if ((n.type === 'identifier' || n.type === 'field_expression') && n.field !== 'left') addEvent(clean(textOf(f.code, n)), at);
	}
	const resetsField = (name: string, from: number) => (lastReset.get(name) ?? -Infinity) > from;
	/** The first index in `nodes` (source order: starts never decrease) whose node starts at or after `at`. */
	const firstFrom = (list: number[], at: number) => {
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (nodes[list[mid]].start >= at) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	};
	/** The name, or a dereference through it (name->x, *name, name[i]), under e; sizeof aside. */
	const mentions = (e: Syn, name: string) => walk(e).some((d) => (d.type === 'identifier' || d.type === 'field_expression') && clean(textOf(f.code, d)) === name && !insideSizeof(d, e));
	const releases = calls.filter((c) => {
		const callee = lastSegment(calleeOf(f.code, c));
		return FREE.test(callee) && !NOT_A_RELEASE.test(callee);
	});
	/** free(s->token) then free(s): the structure holding the field goes too, so nothing dangles. */
	const lastReleaseOf = new Map<string, number>();
	for (const c of releases) {
		const name = pointerName(f.code, named(field(c, 'arguments') ?? c)[0]);
		if (name !== null) lastReleaseOf.set(name, Math.max(lastReleaseOf.get(name) ?? -Infinity, c.start));
	}
	const ownerFreedAfter = (target: string, from: number) => (lastReleaseOf.get(target.slice(0, target.lastIndexOf('->'))) ?? -Infinity) >= from;
	/**
	 * The free sits in a loop whose step reads the freed pointer (the update of a for, or the
	 * last statement of a while body), with no new value given to it in between: the next
	 * iteration starts with a read of freed memory.
	 */
	const loopStepReading = (call: Syn, target: string): Syn | null => {
		for (let loop = call.parent; loop && loop !== f.node; loop = loop.parent) {
			if (loop.type === 'while_statement' || loop.type === 'do_statement') return null; // its step is in the body: the walk after the free sees it
			if (loop.type !== 'for_statement') continue;
			const update = field(loop, 'update');
			const body = field(loop, 'body');
			if (!update || !body || !(call.start >= body.start && call.end <= body.end)) return null;
			const reads = walk(update).some((d) => d.type === 'field_expression' && textOf(f.code, d).includes('->') && pointerName(f.code, field(d, 'argument')) === target);
			const reassigned = (eventsOf.get(target) ?? []).some((i) => {
				const d = nodes[i];
				return d.start > call.end && d.start >= body.start && d.end <= body.end && d.type === 'assignment_expression';
			});
			return reads && !reassigned ? update : null;
		}
		return null;
	};
	for (const call of calls) {
		const full = calleeOf(f.code, call);
		const callee = lastSegment(full);
		// a release through an operations table: ops->destroy(dev), obj->release(obj)
		const viaOps = /->|\./.test(full) && OPS_RELEASE.test(callee);
		if ((!FREE.test(callee) || NOT_A_RELEASE.test(callee)) && !viaOps) continue;
		const argList = field(call, 'arguments');
		const target = pointerName(f.code, argList ? named(argList)[0] : undefined);
		if (!target) continue;
		const leaves = exitAfter(call);
		// After the free: the first mention of the name decides: reassigned (fine) or used (not).
		let verdict: 'used' | 'reset' | 'none' = 'none';
		let useLine = call.line;
		// (only the nodes about the target, from the end of the free on: the others change nothing)
		const events = eventsOf.get(target) ?? [];
		for (let e = firstFrom(events, call.end); e < events.length; e++) {
			const n = nodes[events[e]];
			if (verdict !== 'none') break;
			if (leaves && n.start >= leaves.end) break; // control left the block after the free
			if (n.type === 'assignment_expression' && pointerName(f.code, field(n, 'left')) === target) {
				// n = n->next after free(n): the right side reads the freed memory before the reset
				const right = field(n, 'right');
				if (right && mentions(right, target)) (verdict = 'used'), (useLine = n.line);
				else verdict = 'reset';
			}
			else if (n.type === 'call_expression' && FREE.test(lastSegment(calleeOf(f.code, n))) && pointerName(f.code, named(field(n, 'arguments') ?? n)[0]) === target) verdict = 'reset'; // closed, then freed: released, not used
			else if ((n.type === 'identifier' || n.type === 'field_expression') && clean(textOf(f.code, n)) === target && n.field !== 'left') {
				const inSizeofOrTest = n.parent && n.parent.type === 'sizeof_expression';
				if (!inSizeofOrTest && !otherArm(call, n)) (verdict = 'used'), (useLine = n.line);
			}
		}
		// a loop that steps with the freed pointer: for (…; n; n = n->next) free(n);
		if (verdict !== 'used' && !leaves) {
			const step = loopStepReading(call, target);
			if (step) (verdict = 'used'), (useLine = step.line);
		}
		if (verdict === 'used') out.push({ rule: 'c.lifetime.use-after-free', line: useLine, message: `${target} is used after ${callee}(${target}) on line ${call.line}` });
		else if (verdict === 'none' && target.includes('->') && !resetsField(target, call.end) && !ownerFreedAfter(target, call.end)) out.push({ rule: 'c.lifetime.dangling-field', line: call.line, message: `${callee}(${target}) leaves a dangling pointer in the structure (never reset to NULL)` });
		const alias = aliasOf.get(target);
		if (verdict !== 'used' && alias && alias.at < call.start && !resetsField(alias.field, alias.at))
			out.push({ rule: 'c.lifetime.dangling-alias', line: call.line, message: `${callee}(${target}) frees what ${alias.field} points to, and ${alias.field} is never reset` });
	}
	return out;
}

export function cNullDeref(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const fromCall = new Map<string, number>();
	for (const n of walk(f.node)) {
		let target: string | null = null;
		let value: Syn | undefined;
		if (n.type === 'assignment_expression') (target = pointerName(f.code, field(n, 'left'))), (value = field(n, 'right'));
		if (n.type === 'init_declarator') {
			const d = field(n, 'declarator');
			if (d && d.type === 'pointer_declarator') (target = pointerName(f.code, ofType(d, 'identifier')[0])), (value = field(n, 'value'));
		}
		if (!target || !value) continue;
		while (value && value.type === 'cast_expression') value = field(value, 'value');
		if (value && value.type === 'call_expression' && !NEVER_NULL.test(lastSegment(calleeOf(f.code, value)))) fromCall.set(target, n.end);
	}
	// Per name, the nodes that dereference it, in source order: built once (scanning the function
	// again for each name made this family quadratic in the function's length).
	const derefsOf = new Map<string, Syn[]>();
	if (fromCall.size) {
		for (const n of walk(f.node)) {
			tick();
			const names = new Set<string | null>();
			if ((n.type === 'field_expression' && textOf(f.code, n).includes('->')) || (n.type === 'pointer_expression' && textOf(f.code, n).startsWith('*')) || n.type === 'subscript_expression') names.add(pointerName(f.code, field(n, 'argument')));
			// handed to a library function that reads through it: strcmp(name, "x"), strlen(name)
			if (n.type === 'call_expression' && DEREFS_ARGS.test(lastSegment(calleeOf(f.code, n))))
				named(field(n, 'arguments') ?? n).forEach((a, k, all) => {
					if (!(k === all.length - 1 && k >= 2 && /^(mem|strn)/.test(lastSegment(calleeOf(f.code, n))))) names.add(pointerName(f.code, a));
				});
			for (const name of names) if (name !== null && fromCall.has(name)) (derefsOf.get(name) ?? derefsOf.set(name, []).get(name)!).push(n);
		}
	}
	for (const [name, after] of fromCall) {
		// the first dereference from `after` on, unless a test of the name comes before it
		const n = (derefsOf.get(name) ?? []).find((d) => d.start >= after);
		if (n && !checkedBefore(f, name, n.start)) out.push({ rule: 'c.null.unchecked-result', line: n.line, message: `${name} comes from a call that may return NULL and is dereferenced without a check` });
	}
	return out;
}

/** A binary expression reduced by a constant: i & 0x0F, (i + 1) % N. */
const reducedByConstant = (code: string, e: Syn | undefined) => {
	while (e && e.type === 'parenthesized_expression') e = named(e)[0];
	return !!e && e.type === 'binary_expression' && /^(&|%)$/.test(textOf(code, e.children.find((c) => !c.named) ?? e)) && [field(e, 'left'), field(e, 'right')].some((x) => x && isConst(code, x));
};

export function cBounds(f: FunctionFacts, write: boolean): TreeFinding[] {
	const out: TreeFinding[] = [];
	// ring indexes: a name the function itself wraps (r->head = (r->head + 1) % SIZE, i &= MASK) stays in range
	const wrapped = new Set<string>();
	for (const a of ofType(f.node, 'assignment_expression')) {
		const left = field(a, 'left');
		const op = textOf(f.code, a.children.find((c) => !c.named) ?? a);
		if (left && ((op === '=' && reducedByConstant(f.code, field(a, 'right'))) || (/^(%=|&=)$/.test(op) && field(a, 'right') && isConst(f.code, field(a, 'right')!)))) wrapped.add(clean(textOf(f.code, left)));
	}
	const unchecked = (e: Syn | undefined): string | null => {
		if (!e || isConst(f.code, e)) return null;
		while (e.type === 'parenthesized_expression' || e.type === 'cast_expression') e = e.type === 'cast_expression' ? field(e, 'value') ?? e : named(e)[0] ?? e;
		// masked or reduced by a constant (i & 0x0F, i % N): bounded by construction
		if (e.type === 'binary_expression' && /^(&|%)$/.test(textOf(f.code, e.children.find((c) => !c.named) ?? e)) && [field(e, 'left'), field(e, 'right')].some((x) => x && isConst(f.code, x))) return null;
		let found: string | null = null;
		for (const d of walk(e)) {
			// names inside sizeof are not read: sizeof(u->name) - 1 is a constant bound of the destination
			if (insideSizeof(d, e)) continue;
			if ((d.type === 'identifier' || d.type === 'field_expression') && d.parent?.type !== 'field_expression' && d.parent?.type !== 'call_expression') {
				const name = clean(textOf(f.code, d));
				if (/^[A-Z_][A-Z0-9_]*$/.test(name)) continue;
				const checked = guardedBefore(f, name, d.start) || wrapped.has(name);
				if (!checked && (f.tainted.has(name) || name.includes('->') || name.includes('.'))) found ??= name;
			}
		}
		return found;
	};
	for (const s of ofType(f.node, 'subscript_expression')) {
		const isWrite = s.parent?.type === 'assignment_expression' && s.field === 'left';
		if (write !== isWrite && write) continue;
		const name = unchecked(field(s, 'index'));
		if (name) out.push({ rule: write ? 'c.bounds.unchecked-index-write' : 'c.bounds.unchecked-index', line: s.line, message: `index ${name} reaches ${clean(textOf(f.code, field(s, 'argument')!))}[] without a bounds check` });
	}
	for (const call of ofType(f.node, 'call_expression')) {
		const callee = lastSegment(calleeOf(f.code, call));
		const list = field(call, 'arguments');
		const a = list ? named(list) : [];
		if (COPIES.test(callee)) {
			const length = a[lengthArg(callee, a.length)];
			const name = unchecked(length);
			// the destination: the first argument, except read(fd, buf, n) / recv(fd, buf, n, flags) / fread(buf, size, n, stream) / copy_to_user(to, from, n)
			const dest = /^(read|recv)$/.test(callee) ? a[1] : a[0];
			const lengthText = length ? clean(textOf(f.code, length)) : '';
			if (name)
				out.push({
					rule: 'c.bounds.unchecked-length',
					line: call.line,
					message: `${callee}() ${callee === 'memset' ? 'fills' : 'copies'} ${lengthText} ${callee === 'fread' ? 'items' : 'bytes'}${dest ? ` ${callee === 'memset' ? 'of' : 'into'} ${clean(textOf(f.code, dest))}` : ''} with no check of ${name} against the destination's size`
				});
		}
		if (write && UNBOUNDED.test(callee) && a.length >= 2 && a[1].type !== 'string_literal') out.push({ rule: 'c.bounds.unbounded-copy', line: call.line, message: `${callee}() copies without a bound` });
	}
	// pointer arithmetic reads: *(p + n)
	for (const p of ofType(f.node, 'pointer_expression')) {
		const arg = field(p, 'argument');
		if (!textOf(f.code, p).startsWith('*') || !arg || arg.type !== 'parenthesized_expression') continue;
		const name = unchecked(named(arg)[0] && field(named(arg)[0], 'right'));
		if (name) out.push({ rule: 'c.bounds.unchecked-offset', line: p.line, message: `offset ${name} is added to a pointer and dereferenced without a check` });
	}
	return out.slice(0, 3);
}

export function cIntegerOverflow(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	// Overflow guards: a condition or a checking call that divides, names a type limit or says
	// "overflow"; the names it mentions are guarded (a check after the product, on its result, counts).
	const guards: { at: number; names: Set<string>; text: string }[] = [];
	const GUARD = /_MAX\b|\bMAX_\w+|overflow|\//i;
	for (const n of walk(f.node)) {
		const isCond = n.type === 'parenthesized_expression' && /^(if_statement|while_statement|do_statement)$/.test(n.parent?.type ?? '');
		const isCheckCall = n.type === 'call_expression' && /overflow|check_(mul|add)|size_(mul|add)|array_size|struct_size|argcheck/i.test(calleeOf(f.code, n));
		const isTernary = n.type === 'conditional_expression';
		if (!(isCond || isCheckCall || isTernary) || !GUARD.test(textOf(f.code, isTernary ? field(n, 'condition') ?? n : n))) continue;
		const names = new Set<string>();
		for (const d of walk(n)) if (d.type === 'identifier' || d.type === 'field_expression') names.add(clean(textOf(f.code, d)));
		guards.push({ at: n.start, names, text: clean(textOf(f.code, n)) });
	}
	// looked up per product: indexed once by name (a scan of every guard per product was quadratic)
	const guardsOf = new Map<string, typeof guards>();
	for (const g of guards) for (const name of g.names) guardsOf.get(name)?.push(g) ?? guardsOf.set(name, [g]);
	const guarded = (name: string) => guardsOf.has(name);
	// per name: its first guard, whether a guard of it divides; per pair of names: a guard of both
	const firstGuardAt = new Map<string, number>();
	const dividing = new Set<string>();
	for (const g of guards)
		for (const name of g.names) {
			if (!(firstGuardAt.get(name)! <= g.at)) firstGuardAt.set(name, g.at);
			if (g.text.includes('/')) dividing.add(name);
		}
	const guardSets = new Map<string, Set<(typeof guards)[number]>>();
	const guardSet = (name: string) => guardSets.get(name) ?? guardSets.set(name, new Set(guardsOf.get(name))).get(name)!;
	const together = new Map<string, boolean>();
	const guardedTogether = (a: string, b: string) => {
		const key = `${a}\u0000${b}`;
		let both = together.get(key);
		if (both === undefined) {
			const [small, large] = (guardsOf.get(a)?.length ?? 0) <= (guardsOf.get(b)?.length ?? 0) ? [a, b] : [b, a];
			const other = guardSet(large);
			together.set(key, (both = (guardsOf.get(small) ?? []).some((g) => other.has(g))));
		}
		return both;
	};
	const allocs = new Set(ofType(f.node, 'call_expression').filter((c) => ALLOC.test(lastSegment(calleeOf(f.code, c)))));
	const insideAlloc = (b: Syn) => {
		for (let p: Syn | null = b; p; p = p.parent) if (allocs.has(p)) return true;
		return false;
	};
	for (const b of ofType(f.node, 'binary_expression')) {
		const op = b.children.find((c) => !c.named);
		const opText = op ? textOf(f.code, op) : '';
		if (opText !== '*' && opText !== '+' && opText !== '<<') continue;
		const [l, r] = [field(b, 'left'), field(b, 'right')];
		if (!l || !r || (isConst(f.code, l) && isConst(f.code, r))) continue;
		// a product or shift widened first ((u64)a << b, (size_t)n * size, 1ULL << n): the fix for a 32-bit wrap
		if (opText !== '+' && [l, r].some((x) => WIDE.test(x.type === 'cast_expression' ? clean(textOf(f.code, field(x, 'type') ?? x)) : x.type === 'number_literal' ? textOf(f.code, x).replace(/^[\dxa-f]+/i, '') : ''))) continue;
		if (opText === '+' && (isConst(f.code, l) || isConst(f.code, r)) && !/alloc|size|len/i.test(textOf(f.code, b.parent!))) continue;
		const inAlloc = insideAlloc(b);
		const sized = b.parent?.type === 'assignment_expression' || b.parent?.type === 'init_declarator' || inAlloc;
		if (!sized) continue;
		const names = [...walk(b)].filter((d) => d.type === 'identifier' || d.type === 'field_expression').map((d) => clean(textOf(f.code, d)));
		const parent = b.parent;
		const result = parent?.type === 'assignment_expression' ? clean(textOf(f.code, field(parent, 'left')!)) : parent?.type === 'init_declarator' ? clean(textOf(f.code, ofType(field(parent, 'declarator') ?? parent, 'identifier')[0] ?? parent)) : null;
		// the result tested afterwards counts only when the test can see a wrap: a division
		// (r / a != b) or a comparison with an operand (r < a); `if (r > INT_MAX)` after the
		// product comes too late, the product has already wrapped
		const operands = [l, r].map((x) => clean(textOf(f.code, x)));
		if (result && guarded(result) && ((firstGuardAt.get(result) ?? Infinity) < b.start || dividing.has(result) || operands.some((o) => guardedTogether(result, o)))) continue;
		if (result && guarded(result) && opText !== '*') continue;
		if (parent?.type === 'init_declarator' && field(parent, 'declarator')?.type === 'pointer_declarator') continue; // end = buf + len: pointer arithmetic
		if (names.some((n) => f.tainted.has(n) || n.includes('->') || n.includes('.')) && !names.some((n) => guarded(n))) {
			out.push({ rule: inAlloc ? 'c.integer.alloc-size-overflow' : 'c.integer.unchecked-arithmetic', line: b.line, message: `${clean(textOf(f.code, b))} may wrap around: operands from outside, no overflow check` });
		}
	}
	// the same product written as a compound assignment: size *= PAGE_SIZE, n <<= shift
	for (const a of ofType(f.node, 'assignment_expression')) {
		const op = textOf(f.code, a.children.find((c) => !c.named) ?? a);
		if (op !== '*=' && op !== '<<=') continue;
		const [l, r] = [field(a, 'left'), field(a, 'right')];
		if (!l || !r || (r.type === 'number_literal' && /^[01]$/.test(textOf(f.code, r)))) continue;
		const names = [...walk(a)].filter((d) => d.type === 'identifier' || d.type === 'field_expression').map((d) => clean(textOf(f.code, d)));
		if (names.some((n) => f.tainted.has(n) || n.includes('->') || n.includes('.')) && !names.some((n) => guarded(n)))
			out.push({ rule: 'c.integer.unchecked-arithmetic', line: a.line, message: `${clean(textOf(f.code, a))} may wrap around: operands from outside, no overflow check` });
	}
	return out.slice(0, 3);
}

const LENGTH_NAME = /^(\w*_)?(len|length|size|sz|count|cnt|num|nbytes|bytes|avail|remain\w*|left|max\w*|n|buflen|bufsize|datalen|data_len|data_size|buf_len|buf_size|insize|in_len|inlen|outlen|out_len|end)$|len$|size$/i;
const READS = /^(memcpy|memmove|memcmp|strncmp|strncpy|memchr|strnlen|strlen|strcmp|strchr|strstr|sscanf)$/;

/** Parameters of a C function: pointer/array ones and length-like integer ones. */
function cParams(f: FunctionFacts): { buffers: string[]; lengths: string[] } {
	const buffers: string[] = [];
	const lengths: string[] = [];
	const decl = ofType(f.node, 'function_declarator')[0];
	const list = decl && field(decl, 'parameters');
	for (const p of list ? list.children.filter((c) => c.type === 'parameter_declaration') : []) {
		const d = field(p, 'declarator');
		const ids = ofType(p, 'identifier');
		if (!d || !ids.length) continue;
		const name = textOf(f.code, ids[ids.length - 1]);
		if (d.type === 'pointer_declarator' || d.type === 'array_declarator') {
			if (!/\b(struct|union)\b/.test(textOf(f.code, p)) || /\b(char|u8|ut8|uint8_t|byte|guchar|guint8|__u8)\b/.test(textOf(f.code, p))) buffers.push(name);
		} else if (LENGTH_NAME.test(name) && !/\b(struct|union|float|double|bool)\b/.test(textOf(f.code, p))) lengths.push(name);
	}
	return { buffers, lengths };
}

/**
 * A buffer parameter that comes with its length parameter (buf, len) is read — an index, a
 * pointer offset, a copy or compare from it — before any condition tests the length: the
 * read can run past the end of a short input. The fixed shape tests the length first.
 */
export function cLengthParam(f: FunctionFacts): TreeFinding[] {
	const { buffers, lengths } = cParams(f);
	if (!buffers.length || !lengths.length) return [];
	const firstTest = Math.min(...lengths.map((l) => f.testedAt.get(l) ?? Infinity));
	for (const n of walk(f.node)) {
		if (n.start >= firstTest) break;
		let buf: string | null = null;
		if (n.type === 'subscript_expression') {
			buf = pointerName(f.code, field(n, 'argument'));
			const idx = field(n, 'index');
			if (idx && idx.type === 'number_literal' && textOf(f.code, idx) === '0') buf = null;
		} else if (n.type === 'pointer_expression' && textOf(f.code, n).startsWith('*')) {
			const arg = field(n, 'argument');
			const inner = arg?.type === 'parenthesized_expression' ? named(arg)[0] : undefined;
			if (inner?.type === 'binary_expression') buf = pointerName(f.code, field(inner, 'left'));
		} else if (n.type === 'call_expression' && READS.test(lastSegment(calleeOf(f.code, n)))) {
			const args = field(n, 'arguments');
			for (const a of args ? named(args) : []) {
				const base = a.type === 'binary_expression' ? field(a, 'left') : a;
				const name = pointerName(f.code, base);
				if (name && buffers.includes(name)) buf = name;
			}
		}
		if (buf && buffers.includes(buf)) return [{ rule: 'c.bounds.length-unchecked', line: n.line, message: `${buf} is read before its length (${lengths.join(', ')}) is checked` }];
	}
	return [];
}

const STREAM_READ = /^(Stream_(Read|Seek|Peek)\w*|bytestream2_get_\w+|bytestream2_skip\w*|bs_read\w*|buf_read\w*)$/;
const STREAM_LEFT = /^(Stream_GetRemainingLength|Stream_CheckAndLogRequiredLength\w*|Stream_GetRemainingCapacity|bytestream2_get_bytes_left|\w*remaining\w*|\w*bytes_left)$/i;

/**
 * Stream readers with a remaining-length API (FreeRDP's Stream_Read*, FFmpeg's bytestream2):
 * reading before any remaining-length check, or reading a length taken from the data without
 * a check that names that length, runs past the end of a short message.
 */
export function cStreamReads(f: FunctionFacts): TreeFinding[] {
	const calls = ofType(f.node, 'call_expression');
	const checks = calls.filter((c) => STREAM_LEFT.test(lastSegment(calleeOf(f.code, c))));
	const checkConditions = checks.map((c) => {
		let cond: Syn = c;
		while (cond.parent && cond.parent.type !== 'parenthesized_expression' && cond.parent.type !== 'compound_statement' && cond.parent.type !== 'expression_statement') cond = cond.parent;
		return { at: c.start, text: clean(textOf(f.code, cond)) };
	});
	// per length name, the first check condition holding it: computed once per name, not per read
	const firstHolding = new Map<string, number>();
	const firstCheckHolding = (name: string) => {
		let at = firstHolding.get(name);
		if (at === undefined) firstHolding.set(name, (at = checkConditions.reduce((first, c) => (c.at < first && c.text.includes(name) ? c.at : first), Infinity)));
		return at;
	};
	for (const call of calls) {
		const callee = lastSegment(calleeOf(f.code, call));
		if (!STREAM_READ.test(callee)) continue;
		if (!(checks.length && checks[0].start < call.start)) return [{ rule: 'c.bounds.stream-read-unchecked', line: call.line, message: `${callee}() reads from the stream before any check of the remaining length` }];
		const args = named(field(call, 'arguments') ?? call);
		const length = args.length >= 2 ? args[args.length - 1] : undefined;
		if (!length || isConst(f.code, length) || !/^(Stream_(Read|Seek|Peek)|bytestream2_(get_buffer|skip)\w*)$/.test(callee)) continue;
		const name = clean(textOf(f.code, length));
		if (!/^[\w>.-]+$/.test(name) || /^(sizeof|&)/.test(name)) continue;
		if (!(firstCheckHolding(name) < call.start) && !checkedBefore(f, name, call.start))
			return [{ rule: 'c.bounds.stream-length-unchecked', line: call.line, message: `${callee}() reads ${name} bytes with no remaining-length check naming ${name}` }];
	}
	return [];
}

const EXITS = /^(return_statement|goto_statement|break_statement|continue_statement)$/;

/** The if's consequence leaves (return / goto / break / continue, or an error macro ending in a return). */
export function exitsOn(code: string, ifStmt: Syn): boolean {
	const cons = field(ifStmt, 'consequence');
	if (!cons) return false;
	if (EXITS.test(cons.type)) return true;
	return walk(cons).some((n) => EXITS.test(n.type)) || /\b(Throw\w*|\w*_RETURN\w*|\w*_ERR\w*|abort|exit)\s*\(/.test(textOf(code, cons));
}

/**
 * Off by one: a guard rejects only `i > n` (or `n < i`) and then indexes with i, so i == n gets
 * through to a[i]; the fixed guard says `i >= n`. A bound written `n - 1` is the correct form.
 */
export function cOffByOne(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const subscripts = ofType(f.node, 'subscript_expression');
	if (!subscripts.length) return out;
	// the subscripts by index text, in source order, computed once (a scan of all per guard was quadratic)
	const byIndex = new Map<string, Syn[]>();
	for (const x of subscripts) {
		const key = clean(textOf(f.code, field(x, 'index') ?? x));
		const list = byIndex.get(key);
		if (list) list.push(x);
		else byIndex.set(key, [x]);
	}
	/** The first subscript indexed by `name` that starts after `at` (the list is in walk order, so by start). */
	const firstAfter = (name: string, at: number) => {
		const list = byIndex.get(name) ?? [];
		let [lo, hi] = [0, list.length];
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (list[mid].start > at) hi = mid;
			else lo = mid + 1;
		}
		return list[lo];
	};
	for (const s of ofType(f.node, 'if_statement')) {
		if (!exitsOn(f.code, s)) continue;
		const cond = field(s, 'condition');
		if (!cond) continue;
		for (const b of ofType(cond, 'binary_expression')) {
			const op = b.children.find((c) => !c.named);
			const opText = op ? textOf(f.code, op) : '';
			if (opText !== '>' && opText !== '<') continue;
			const [l, r] = [field(b, 'left'), field(b, 'right')];
			if (!l || !r) continue;
			const index = opText === '>' ? l : r;
			const bound = opText === '>' ? r : l;
			if (!/^(identifier|field_expression)$/.test(index.type) || isConst(f.code, index) || /-\s*1\s*\)?$/.test(textOf(f.code, bound)) || !ofType(bound, 'identifier', 'field_identifier').some((d) => !/^[A-Z_][A-Z0-9_]*$/.test(textOf(f.code, d)))) continue; // a size held in data, not a constant limit
			const name = clean(textOf(f.code, index));
			const use = firstAfter(name, s.end);
			if (use) out.push({ rule: 'c.bounds.off-by-one-guard', line: b.line, message: `the guard rejects ${name} ${opText} ${clean(textOf(f.code, bound))} only, so ${name} equal to the bound reaches ${clean(textOf(f.code, use))} (line ${use.line})` });
		}
	}
	return out.slice(0, 2);
}

/** A pointer dereferenced before the NULL test the same function makes of it (the test comes too late). */
export function cDerefBeforeCheck(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	const nullTests = new Map<string, number>();
	for (const n of walk(f.node)) {
		let p: Syn | undefined;
		if (n.type === 'unary_expression' && textOf(f.code, n).startsWith('!')) p = named(n)[0];
		if (n.type === 'binary_expression' && /^(==|!=)$/.test(textOf(f.code, n.children.find((c) => !c.named) ?? n)) && /^(NULL|0|nullptr)$/.test(textOf(f.code, field(n, 'right') ?? n).trim())) p = field(n, 'left');
		if (n.type === 'parenthesized_expression' && n.parent?.type === 'if_statement') p = named(n)[0];
		const name = pointerName(f.code, p);
		if (name && !nullTests.has(name)) nullTests.set(name, n.start);
	}
	if (!nullTests.size) return out;
	const nodes = walk(f.node);
	const assigned = nodes.filter((a) => a.type === 'assignment_expression').map((a) => ({ at: a.start, name: pointerName(f.code, field(a, 'left')) }));
	for (const n of nodes) {
		if (n.type !== 'field_expression' || !textOf(f.code, n).includes('->')) continue;
		const name = pointerName(f.code, field(n, 'argument'));
		const test = name ? nullTests.get(name) : undefined;
		if (!name || test === undefined || n.start >= test) continue;
		// reassigned between the deref and the test: the test is about a new value
		if (assigned.some((a) => a.at > n.start && a.at < test && a.name === name)) continue;
		out.push({ rule: 'c.null.deref-before-check', line: n.line, message: `${name} is dereferenced here and only tested for NULL later` });
		nullTests.delete(name);
	}
	return out.slice(0, 2);
}

/**
 * A bounds check written `p + len > end`: with a large len the sum wraps around and the check
 * passes. The safe form subtracts on the side that cannot wrap: `len > end - p`.
 */
export function cWrappingCheck(f: FunctionFacts): TreeFinding[] {
	const out: TreeFinding[] = [];
	for (const b of ofType(f.node, 'binary_expression')) {
		const op = textOf(f.code, b.children.find((c) => !c.named) ?? b);
		if (!/^(<|>|<=|>=|!=|==)$/.test(op)) continue;
		const sides = [field(b, 'left'), field(b, 'right')];
		for (let i = 0; i < 2; i++) {
			const sum = sides[i];
			const limit = sides[1 - i];
			if (!sum || !limit || sum.type !== 'binary_expression' || textOf(f.code, sum.children.find((c) => !c.named) ?? sum) !== '+') continue;
			if (!/^(identifier|field_expression|pointer_expression)$/.test(limit.type) || !/(^|_|>|\.)(end|limit|last|tail|stop|eob|bufend)\w*$/i.test(clean(textOf(f.code, limit)))) continue;
			const addend = [field(sum, 'left'), field(sum, 'right')].find((x) => x && !isConst(f.code, x));
			if (!addend || [field(sum, 'left'), field(sum, 'right')].every((x) => x && !isConst(f.code, x) && x.type === 'number_literal')) continue;
			out.push({ rule: 'c.bounds.wrapping-check', line: b.line, message: `${clean(textOf(f.code, b))}: the sum can wrap around and pass the check; compare against ${clean(textOf(f.code, limit))} minus the pointer instead` });
			break;
		}
		if (out.length >= 2) break;
	}
	return out;
}

/** Netlink attributes: an optional attribute read (nla_get_*, nla_data) without a test that it is present. */
export function cNetlinkAttr(f: FunctionFacts): TreeFinding[] {
	for (const call of ofType(f.node, 'call_expression')) {
		if (!/^(nla_get_\w+|nla_data|nla_len|nla_memcpy|nla_strlcpy|nla_strscpy)$/.test(calleeOf(f.code, call))) continue;
		const arg = named(field(call, 'arguments') ?? call)[0];
		if (!arg || arg.type !== 'subscript_expression') continue;
		const name = clean(textOf(f.code, arg));
		if (!checkedBefore(f, name, call.start)) return [{ rule: 'c.null.netlink-attr', line: call.line, message: `${name} is read with ${calleeOf(f.code, call)}() without a test that the attribute is present` }];
	}
	return [];
}

const FILE_OPS = /^(open|open64|openat|fopen|fopen64|freopen|unlink|unlinkat|remove|rename|renameat|access|faccessat|stat|lstat|stat64|lstat64|mkdir|mkdirat|rmdir|chmod|chown|lchown|opendir|creat|truncate|symlink|link|execv|execve|execvp|concat_path_file|g_build_filename|g_file_new_for_path|file_write|file_read|\w*_open_file|xopen\w*|safe_open\w*)$/;
/** Calls that hand back a string from the request or the environment. */
const REQUEST_STRING = /(request|req)_\w*(param|arg|query|path|get|header|field|value)\w*|(get|read)_?(param|query|form|cgi)\w*|^getenv$|^secure_getenv$|^g_getenv$|^evhttp_\w*(uri|query)\w*$/i;
const NAME_CHECK = /valid|correct|good|safe|sanit|allowed|legal|is_\w*name|check_\w*(name|path)|reject/i;

/**
 * A file name that arrives as a string parameter reaches a file operation (directly or through
 * a path built from it) with no validation call on it before: "../" walks out of the folder.
 * A validating call (valid/correct/good/safe/sanitize/allowed … with the name as argument)
 * or a realpath + prefix comparison is the fixed shape.
 */
export function cPathParam(f: FunctionFacts): TreeFinding[] {
	const decl = ofType(f.node, 'function_declarator')[0];
	const list = decl && field(decl, 'parameters');
	const names: string[] = [];
	for (const p of list ? list.children.filter((c) => c.type === 'parameter_declaration') : []) {
		const d = field(p, 'declarator');
		const ids = ofType(p, 'identifier');
		if (d?.type === 'pointer_declarator' && /\bchar\b/.test(textOf(f.code, p)) && ids.length) names.push(textOf(f.code, ids[ids.length - 1]));
	}
	// strings taken from a request in the function itself (http_request_param_get(req, "page"), getenv)
	for (const n of ofType(f.node, 'init_declarator', 'assignment_expression')) {
		const target = n.type === 'init_declarator' ? ofType(field(n, 'declarator') ?? n, 'identifier')[0] : field(n, 'left');
		let value = field(n, n.type === 'init_declarator' ? 'value' : 'right');
		while (value && value.type === 'cast_expression') value = field(value, 'value');
		if (target?.type === 'identifier' && value?.type === 'call_expression' && REQUEST_STRING.test(calleeOf(f.code, value))) names.push(textOf(f.code, target));
	}
	if (!names.length) return [];
	if (ofType(f.node, 'call_expression').some((c) => /^(realpath|canonicalize_file_name)$/.test(calleeOf(f.code, c)))) return [];
	// paths built from a name: p = concat(dir, name); snprintf(p, n, "%s/%s", dir, name)
	const carriers = new Map<string, string>(names.map((n) => [n, n]));
	const calls = ofType(f.node, 'call_expression');
	for (const n of walk(f.node)) {
		if (n.type === 'init_declarator' || n.type === 'assignment_expression') {
			const target = n.type === 'init_declarator' ? ofType(field(n, 'declarator') ?? n, 'identifier')[0] : field(n, 'left');
			const value = field(n, n.type === 'init_declarator' ? 'value' : 'right');
			if (!target || !value || target.type !== 'identifier') continue;
			const used = ofType(value, 'identifier').map((d) => textOf(f.code, d)).find((x) => carriers.has(x));
			if (used && value.type !== 'number_literal') carriers.set(textOf(f.code, target), carriers.get(used)!);
		}
		if (n.type === 'call_expression' && /^(snprintf|sprintf|strcpy|strcat|strncat|strlcat|strlcpy|g_snprintf)$/.test(calleeOf(f.code, n))) {
			const a = named(field(n, 'arguments') ?? n);
			const used = a.slice(1).flatMap((x) => ofType(x, 'identifier')).map((d) => textOf(f.code, d)).find((x) => carriers.has(x));
			const dst = a[0] && a[0].type === 'identifier' ? textOf(f.code, a[0]) : null;
			if (used && dst) carriers.set(dst, carriers.get(used)!);
		}
	}
	const checkedAt = new Map<string, number>();
	for (const c of calls) {
		if (!NAME_CHECK.test(calleeOf(f.code, c))) continue;
		for (const a of named(field(c, 'arguments') ?? c)) for (const id of ofType(a, 'identifier')) if (!checkedAt.has(textOf(f.code, id))) checkedAt.set(textOf(f.code, id), c.start);
	}
	for (const c of calls) {
		const callee = calleeOf(f.code, c);
		if (!FILE_OPS.test(callee)) continue;
		for (const a of named(field(c, 'arguments') ?? c)) {
			const id = a.type === 'identifier' ? textOf(f.code, a) : null;
			const origin = id ? carriers.get(id) : undefined;
			if (!origin) continue;
			if ((checkedAt.get(origin) ?? Infinity) < c.start || (checkedAt.get(id!) ?? Infinity) < c.start) continue;
			return [{ rule: 'c.path.unchecked-name', line: c.line, message: `${callee}() gets a path from the parameter ${origin} with no validation of the name before` }];
		}
	}
	return [];
}

const ALLOCATING = /^(malloc|calloc|realloc|strdup|strndup|kmalloc|kzalloc|kcalloc|kmemdup|kstrdup|vmalloc|vzalloc|kvmalloc|kvzalloc|g_malloc0?|xmalloc|av_malloc|av_mallocz|\w+_alloc|alloc_\w+|create_\w*workqueue|\w+_create|\w+_new)$/;

/** An allocation's result stored and never tested for NULL anywhere in the function (nor handed back to the caller). */
export function cUncheckedAlloc(f: FunctionFacts): TreeFinding[] {
	const returned = new Set(ofType(f.node, 'return_statement').flatMap((r) => ofType(r, 'identifier', 'field_expression').map((d) => clean(textOf(f.code, d)))));
	for (const n of walk(f.node)) {
		let target: string | null = null;
		let value: Syn | undefined;
		if (n.type === 'assignment_expression') (target = pointerName(f.code, field(n, 'left'))), (value = field(n, 'right'));
		if (n.type === 'init_declarator') (target = pointerName(f.code, ofType(field(n, 'declarator') ?? n, 'identifier')[0])), (value = field(n, 'value'));
		while (value && value.type === 'cast_expression') value = field(value, 'value');
		if (!target || !value || value.type !== 'call_expression') continue;
		const callee = lastSegment(calleeOf(f.code, value));
		if (!ALLOCATING.test(callee) || f.tested.has(target) || returned.has(target)) continue;
		// checked through IS_ERR / a helper that takes it, or through a test of a copy
		if (ofType(f.node, 'call_expression').some((c) => /IS_ERR|ERR_PTR|unlikely|likely|WARN_ON|BUG_ON|assert/i.test(calleeOf(f.code, c)) && textOf(f.code, c).includes(target!))) continue;
		return [{ rule: 'c.null.unchecked-alloc', line: n.line, message: `the result of ${callee}() in ${target} is never tested for NULL` }];
	}
	return [];
}

const LOOPS = /^(while_statement|for_statement|do_statement)$/;

/**
 * A cursor with an end bound (the function compares it with an end pointer somewhere) is
 * dereferenced and advanced (*p++) inside a loop that never compares it with its end: an
 * inner loop walks past the end the outer loop checked. The fix tests the cursor in that loop.
 */
export function cCursorPastEnd(f: FunctionFacts): TreeFinding[] {
	const bounded = new Set<string>();
	for (const b of ofType(f.node, 'binary_expression')) {
		if (!/^(<|>|<=|>=|!=|==)$/.test(textOf(f.code, b.children.find((c) => !c.named) ?? b))) continue;
		const [l, r] = [field(b, 'left'), field(b, 'right')];
		if (l?.type === 'identifier' && r && /end|limit|last|eob/i.test(textOf(f.code, r))) bounded.add(textOf(f.code, l));
		if (r?.type === 'identifier' && l && /end|limit|last|eob/i.test(textOf(f.code, l))) bounded.add(textOf(f.code, r));
	}
	if (!bounded.size) return [];
	// per loop, computed once (not per read: a long loop body made that quadratic): the names its
	// condition mentions, and each name's first comparison in it (the start of the outermost
	// comparison above an identifier)
	const perLoop = new Map<Syn, { cond: Set<string>; firstCompare: Map<string, number> }>();
	const loopFacts = (loop: Syn) => {
		const known = perLoop.get(loop);
		if (known) return known;
		const cond = field(loop, 'condition');
		const facts = { cond: new Set(cond ? ofType(cond, 'identifier').map((d) => textOf(f.code, d)) : []), firstCompare: new Map<string, number>() };
		const stack: [Syn, number][] = [[loop, Infinity]];
		while (stack.length) {
			const [n, above] = stack.pop()!;
			const from = Math.min(above, n.type === 'binary_expression' && /^(<|>|<=|>=|!=|==)$/.test(textOf(f.code, n.children.find((c) => !c.named) ?? n)) ? n.start : Infinity);
			if (from < Infinity && n.type === 'identifier') {
				const id = textOf(f.code, n);
				if (!(facts.firstCompare.get(id)! <= from)) facts.firstCompare.set(id, from);
			}
			for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], from]);
		}
		perLoop.set(loop, facts);
		return facts;
	};
	for (const p of ofType(f.node, 'pointer_expression')) {
		const arg = field(p, 'argument');
		if (!textOf(f.code, p).startsWith('*') || arg?.type !== 'update_expression') continue;
		const cursor = named(arg)[0];
		const name = cursor?.type === 'identifier' ? textOf(f.code, cursor) : null;
		if (!name || !bounded.has(name)) continue;
		let loop = p.parent;
		while (loop && !LOOPS.test(loop.type)) loop = loop.parent;
		if (!loop) continue;
		const facts = loopFacts(loop);
		if (facts.cond.has(name)) continue;
		// a comparison in the loop before the read mentions the cursor (none can sit inside *p++)
		if ((facts.firstCompare.get(name) ?? Infinity) < p.start) continue;
		return [{ rule: 'c.bounds.cursor-past-end', line: p.line, message: `${name} is read and advanced in a loop that never compares it with its end` }];
	}
	return [];
}

/**
 * An offset advanced in a loop (off += n) and used to read the buffer (buf[off], buf + off,
 * READ(buf, off)) with no comparison of the offset in that loop: a long count walks the
 * offset past the buffer's size. The fix compares off (+ width) with the size in the loop.
 */
export function cOffsetInLoop(f: FunctionFacts): TreeFinding[] {
	const { buffers } = cParams(f);
	if (!buffers.length) return [];
	// per loop, computed once (not per offset: a long loop body made that quadratic): the names
	// its condition mentions, the names under any comparison in it, and each name's first read
	// of a buffer (an index mentioning it, or a call passing a buffer and it) in walk order
	const perLoop = new Map<Syn, { cond: Set<string>; compared: Set<string>; firstUse: Map<string, Syn> }>();
	const loopFacts = (loop: Syn) => {
		const known = perLoop.get(loop);
		if (known) return known;
		const cond = field(loop, 'condition');
		const facts = { cond: new Set(cond ? ofType(cond, 'identifier').map((d) => textOf(f.code, d)) : []), compared: new Set<string>(), firstUse: new Map<string, Syn>() };
		// identifiers with a comparison at or above them (inside the loop): one pass with a flag
		const stack: [Syn, boolean][] = [[loop, false]];
		while (stack.length) {
			const [n, above] = stack.pop()!;
			const inCompare = above || (n.type === 'binary_expression' && /^(<|>|<=|>=)$/.test(textOf(f.code, n.children.find((c) => !c.named) ?? n)));
			if (inCompare && n.type === 'identifier') facts.compared.add(textOf(f.code, n));
			for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], inCompare]);
		}
		for (const n of walk(loop)) {
			let names: string[] = [];
			if (n.type === 'subscript_expression' && buffers.includes(pointerName(f.code, field(n, 'argument')) ?? '')) names = ofType(field(n, 'index') ?? n, 'identifier').map((d) => textOf(f.code, d));
			else if (n.type === 'call_expression') {
				const args = named(field(n, 'arguments') ?? n).filter((x) => x.type === 'identifier').map((x) => textOf(f.code, x));
				if (args.some((x) => buffers.includes(x))) names = args;
			}
			for (const name of names) if (!facts.firstUse.has(name)) facts.firstUse.set(name, n);
		}
		perLoop.set(loop, facts);
		return facts;
	};
	for (const a of ofType(f.node, 'assignment_expression')) {
		const op = textOf(f.code, a.children.find((c) => !c.named) ?? a);
		const left = field(a, 'left');
		if (op !== '+=' || left?.type !== 'identifier') continue;
		const name = textOf(f.code, left);
		let loop = a.parent;
		while (loop && !LOOPS.test(loop.type)) loop = loop.parent;
		if (!loop) continue;
		const facts = loopFacts(loop);
		if (facts.cond.has(name) || facts.compared.has(name)) continue;
		const n = facts.firstUse.get(name);
		if (n) return [{ rule: 'c.bounds.offset-in-loop', line: n.line, message: `${name} advances in a loop and reads the buffer with no comparison of ${name} against its size in that loop` }];
	}
	return [];
}
