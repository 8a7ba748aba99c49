// `--cell <id>`: a notebook reduced to the chosen cells and everything they read (transitively),
// so a fresh engine can run them without the rest. Markdown is dropped; file order is kept.
import type { NotebookDoc } from '../../notebook/format.ts';
import { buildGraph } from '../../notebook/graph.ts';

export class UnknownCellError extends Error {
	constructor(
		readonly id: string,
		readonly available: string[]
	) {
		super(`no cell with id "${id}"${available.length ? ` (cells: ${available.join(', ')})` : ' (the notebook has no cells with ids)'}`);
		this.name = 'UnknownCellError';
	}
}

export function selectCells(doc: NotebookDoc, ids: readonly string[]): NotebookDoc {
	const graph = buildGraph(doc.cells);
	const keep = new Set<number>();
	const visit = (index: number) => {
		if (keep.has(index)) return;
		keep.add(index);
		for (const up of graph.upstream.get(index) ?? []) visit(up);
	};
	for (const id of ids) {
		const index = graph.indexOf(id);
		if (index === undefined || doc.cells[index].kind === 'markdown') {
			throw new UnknownCellError(id, doc.cells.filter((c) => c.kind !== 'markdown' && c.id).map((c) => c.id!));
		}
		visit(index);
	}
	return { ...doc, cells: doc.cells.filter((_, i) => keep.has(i)) };
}
