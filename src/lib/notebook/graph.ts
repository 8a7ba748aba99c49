// The notebook's dependency graph: which cell reads which, the order to run them in, what a change
// invalidates, and the errors a graph can show (cycles, names that resolve to nothing).
// What a kind reads and whether it yields a table come from its module (cells/index.ts).
import type { Cell } from './cell.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { NameReference } from './references.ts';
import { cellReferences, yieldsTable } from './cells/index.ts';
import { isValidCellId, nameKey } from './sql-ident.ts';

export interface NotebookGraph {
	/** Indices of all non-markdown cells, upstream before downstream; file order among independent cells. */
	order: number[];
	/** Cell index → indices of the cells it reads (deduplicated, file order). */
	upstream: Map<number, number[]>;
	/** Cell index → graph errors (cycles, missing names) on that cell. */
	errors: Map<number, Diagnostic[]>;
	/** Index of the cell with this id (first one if duplicated), case-insensitive. */
	indexOf(id: string): number | undefined;
	/** Every cell that reads `index` directly or transitively, in run order (not `index` itself). */
	downstream(index: number): number[];
}

export function buildGraph(cells: readonly Cell[], knownTables: Iterable<string> = []): NotebookGraph {
	const tables = new Set([...knownTables].map(nameKey));
	const byId = new Map<string, number>();
	cells.forEach((cell, index) => {
		if (cell.kind === 'markdown' || !cell.id || !isValidCellId(cell.id)) return;
		if (!byId.has(nameKey(cell.id))) byId.set(nameKey(cell.id), index);
	});
	const tableIds = [...byId.entries()].filter(([, i]) => yieldsTable(cells[i].kind)).map(([, i]) => cells[i].id!);

	const nodes = cells.map((c, i) => i).filter((i) => cells[i].kind !== 'markdown');
	const upstream = new Map<number, number[]>();
	const errors = new Map<number, Diagnostic[]>();
	const addError = (index: number, d: Diagnostic) => errors.set(index, [...(errors.get(index) ?? []), d]);

	for (const index of nodes) {
		const cell = cells[index];
		const deps = new Set<number>();
		let refs: NameReference[];
		try {
			refs = cellReferences(cell, tableIds);
		} catch (e) {
			// A kind's reader must not take the whole notebook down: the failure stays on its cell.
			addError(index, { severity: 'error', line: cell.line, message: `cannot read what this ${cell.kind} cell refers to: ${e instanceof Error ? e.message : String(e)}` });
			refs = [];
		}
		for (const ref of refs) {
			const key = nameKey(ref.name);
			const target = byId.get(key);
			const line = ref.via === 'from' ? cell.line : cell.sourceLine + ref.line - 1;
			const where = ref.via === 'from' ? 'from=' : ref.via === 'data' ? 'mark data' : ref.via === 'spec' ? '"from"' : 'SQL';
			if (target !== undefined && target !== index && yieldsTable(cells[target].kind)) {
				deps.add(target);
			} else if (target === index && ref.via !== 'sql') {
				addError(index, { severity: 'error', line, field: ref.via, message: `${where} "${ref.name}" names this cell itself` });
			} else if (target !== undefined && target !== index) {
				addError(index, {
					severity: 'error',
					line,
					field: ref.via,
					message: `${where} "${ref.name}" is a ${cells[target].kind} cell (line ${cells[target].line}); it has no table to read`
				});
			} else if (!tables.has(key) && ref.via !== 'sql') {
				addError(index, { severity: 'error', line, field: ref.via, message: `${where} "${ref.name}": no cell or table has that name` });
			}
		}
		upstream.set(index, [...deps].sort((a, b) => a - b));
	}

	const downstreamEdges = new Map<number, number[]>(nodes.map((i) => [i, []]));
	for (const [to, froms] of upstream) for (const from of froms) downstreamEdges.get(from)!.push(to);

	const components = stronglyConnected(nodes, upstream);
	for (const component of components) {
		if (component.length < 2) continue;
		const members = new Set(component);
		for (const index of component) {
			const path = shortestCycle(index, upstream, members).map((i) => cells[i].id ?? `line ${cells[i].line}`);
			addError(index, { severity: 'error', line: cells[index].line, field: 'cycle', message: `cycle: ${path.join(' → ')}` });
		}
	}

	const order = condensedOrder(components, upstream);
	const position = new Map(order.map((index, k) => [index, k]));

	return {
		order,
		upstream,
		errors,
		indexOf: (id) => byId.get(nameKey(id)),
		downstream(index) {
			const seen = new Set<number>();
			const stack = [index];
			while (stack.length) {
				for (const next of downstreamEdges.get(stack.pop()!) ?? []) {
					if (next !== index && !seen.has(next)) {
						seen.add(next);
						stack.push(next);
					}
				}
			}
			return [...seen].sort((a, b) => position.get(a)! - position.get(b)!);
		}
	};
}

/** Tarjan's algorithm; each component's members in file order. */
function stronglyConnected(nodes: number[], edges: Map<number, number[]>): number[][] {
	let counter = 0;
	const index = new Map<number, number>();
	const low = new Map<number, number>();
	const onStack = new Set<number>();
	const stack: number[] = [];
	const out: number[][] = [];
	const visit = (v: number) => {
		index.set(v, counter);
		low.set(v, counter++);
		stack.push(v);
		onStack.add(v);
		for (const w of edges.get(v) ?? []) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) {
				low.set(v, Math.min(low.get(v)!, index.get(w)!));
			}
		}
		if (low.get(v) === index.get(v)) {
			const component: number[] = [];
			let w: number;
			do {
				w = stack.pop()!;
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			out.push(component.sort((a, b) => a - b));
		}
	};
	for (const v of nodes) if (!index.has(v)) visit(v);
	return out;
}

/** The shortest path start → … → start along "reads" edges inside one component (breadth first). */
function shortestCycle(start: number, edges: Map<number, number[]>, members: Set<number>): number[] {
	const parent = new Map<number, number>();
	const queue = [start];
	while (queue.length) {
		const v = queue.shift()!;
		for (const w of edges.get(v) ?? []) {
			if (!members.has(w)) continue;
			if (w === start) {
				const path = [start];
				for (let u = v; u !== start; u = parent.get(u)!) path.push(u);
				return [start, ...path.slice(1).reverse(), start];
			}
			if (!parent.has(w)) {
				parent.set(w, v);
				queue.push(w);
			}
		}
	}
	return [start, start];
}

/**
 * Topological order of the components (a DAG), always taking the ready component that starts
 * earliest in the file, so independent cells keep file order; a cycle's members run together.
 */
function condensedOrder(components: number[][], upstream: Map<number, number[]>): number[] {
	const componentOf = new Map<number, number>();
	components.forEach((members, c) => members.forEach((m) => componentOf.set(m, c)));
	const waitingOn = components.map(() => new Set<number>());
	const feeds = components.map(() => new Set<number>());
	for (const [to, froms] of upstream) {
		for (const from of froms) {
			const a = componentOf.get(from)!;
			const b = componentOf.get(to)!;
			if (a !== b) {
				waitingOn[b].add(a);
				feeds[a].add(b);
			}
		}
	}
	const ready = components.map((_, c) => c).filter((c) => waitingOn[c].size === 0);
	const order: number[] = [];
	while (ready.length) {
		ready.sort((a, b) => components[a][0] - components[b][0]);
		const c = ready.shift()!;
		order.push(...components[c]);
		for (const d of feeds[c]) {
			waitingOn[d].delete(c);
			if (waitingOn[d].size === 0) ready.push(d);
		}
	}
	return order;
}
