// A plain-object copy of a tree-sitter tree (type, field name, text span, line, children) so
// the rule families walk ordinary JS objects: one pass over the WASM tree, then no more calls
// into it. Lines are 1-based, as every verdict reports them.

import { tick } from '../../core/judges/rules/deadline.ts';
import type { Tree } from './parse.ts';

export interface Syn {
	type: string;
	/** Field name in the parent ('function', 'left', 'arguments', ...), or null. */
	field: string | null;
	start: number;
	end: number;
	line: number;
	named: boolean;
	children: Syn[];
	parent: Syn | null;
}

/** Deeper than this, a tree is refused (toSyn throws): the families walk it recursively in places. Real code stays far below (SVEN: 41 levels). */
export const MAX_SYNTAX_DEPTH = 1000;

/** Thrown by toSyn for a tree nested deeper than MAX_SYNTAX_DEPTH. */
export class TooDeepError extends Error {
	constructor(readonly depth: number) {
		super(`nesting deeper than ${MAX_SYNTAX_DEPTH} syntax levels`);
		this.name = 'TooDeepError';
	}
}

export function toSyn(tree: Tree): Syn {
	const cursor = tree.walk();
	try {
		// iterative (no JS stack per level): the cursor's own getters, no Node object per node (that is the costly part)
		const make = (parent: Syn | null): Syn => (tick(), { type: cursor.nodeType, field: cursor.currentFieldName, start: cursor.startIndex, end: cursor.endIndex, line: cursor.startPosition.row + 1, named: cursor.nodeIsNamed, children: [], parent });
		const root = make(null);
		let current = root;
		let depth = 0;
		for (;;) {
			if (cursor.gotoFirstChild()) {
				if (++depth > MAX_SYNTAX_DEPTH) throw new TooDeepError(depth);
				const child = make(current);
				current.children.push(child);
				current = child;
				continue;
			}
			for (;;) {
				if (cursor.gotoNextSibling()) {
					const sibling = make(current.parent);
					current.parent!.children.push(sibling);
					current = sibling;
					break;
				}
				if (!cursor.gotoParent()) return root;
				depth--;
				current = current.parent!;
			}
		}
	} finally {
		cursor.delete();
	}
}

/**
 * The share of the program's tokens (comments aside, by length) that the parser could not place:
 * leaves that are ERROR nodes or sit right under one. Code cut from real files stays low even
 * with macros the parser does not know (SVEN C: at most 3.5%); text in another language (C++
 * handed in as C) or no code at all is high.
 */
export function unparsedShare(root: Syn): number {
	let bad = 0;
	let all = 0;
	const stack: Syn[] = [root];
	while (stack.length) {
		const n = stack.pop()!;
		if (n.children.length) {
			for (const c of n.children) stack.push(c);
			continue;
		}
		if (n.type === 'comment') continue;
		const length = n.end - n.start;
		all += length;
		if (n.type === 'ERROR' || n.parent?.type === 'ERROR') bad += length;
	}
	return all ? bad / all : 0;
}

export const textOf = (code: string, n: Syn): string => code.slice(n.start, n.end);

export function field(n: Syn, name: string): Syn | undefined {
	return n.children.find((c) => c.field === name);
}

export function named(n: Syn): Syn[] {
	return n.children.filter((c) => c.named);
}

/** Every node under (and including) n, depth first, in source order (iterative: no recursion cost per level). */
export function walk(n: Syn): Syn[] {
	const out: Syn[] = [];
	const stack: Syn[] = [n];
	while (stack.length) {
		const top = stack.pop()!;
		tick();
		out.push(top);
		for (let i = top.children.length - 1; i >= 0; i--) stack.push(top.children[i]);
	}
	return out;
}

export function ofType(n: Syn, ...types: string[]): Syn[] {
	const out: Syn[] = [];
	for (const d of walk(n)) if (types.includes(d.type)) out.push(d);
	return out;
}

/** Identifier names used anywhere under n. */
export function identifiersIn(code: string, n: Syn): Set<string> {
	const out = new Set<string>();
	for (const d of walk(n)) if (d.type === 'identifier') out.add(textOf(code, d));
	return out;
}

/** True when `inner` lies inside `outer`. */
export const within = (inner: Syn, outer: Syn) => inner.start >= outer.start && inner.end <= outer.end;
