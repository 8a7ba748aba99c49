// A plain-object copy of a tree-sitter tree (type, field name, text span, line, children) so
// the rule families walk ordinary JS objects: one pass over the WASM tree, then no more calls
// into it. Lines are 1-based, as every verdict reports them.

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

export function toSyn(tree: Tree): Syn {
	const cursor = tree.walk();
	const make = (parent: Syn | null): Syn => {
		// the cursor's own getters: no Node object per node (that is the costly part)
		const syn: Syn = { type: cursor.nodeType, field: cursor.currentFieldName, start: cursor.startIndex, end: cursor.endIndex, line: cursor.startPosition.row + 1, named: cursor.nodeIsNamed, children: [], parent };
		if (cursor.gotoFirstChild()) {
			do syn.children.push(make(syn));
			while (cursor.gotoNextSibling());
			cursor.gotoParent();
		}
		return syn;
	};
	const root = make(null);
	cursor.delete();
	return root;
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
