// The list of cell kinds. Adding a kind is one module beside this file and one line in CELL_KINDS;
// the parser (which fences are cells), the diagnostics (needsId), the graph (yieldsTable,
// references), the executor (execute), edits (renameInSource, newSource) and the workbench
// (language, description, the "+ kind" buttons) all read this list.
import type { Cell } from '../cell.ts';
import type { NameReference } from '../references.ts';
import type { CellKindModule } from './kind.ts';
import { markdownCell } from './markdown.ts';
import { sqlCell } from './sql.ts';
import { plotCell } from './plot.ts';
import { statsCell } from './stats.ts';
import { runCell } from './run.ts';

const CELL_KINDS: CellKindModule[] = [
	sqlCell as CellKindModule,
	plotCell as CellKindModule,
	statsCell as CellKindModule,
	runCell as CellKindModule,
	markdownCell as CellKindModule
];

/** Every cell kind, in the order the workbench offers them. */
export function cellKinds(): readonly CellKindModule[] {
	return CELL_KINDS;
}

/** The module of a kind, or undefined for a name no kind has. */
export function cellKind(name: string): CellKindModule | undefined {
	return CELL_KINDS.find((k) => k.name === name);
}

/** The module of a fenced kind (```name …), or undefined: another fence (python, text, …) is markdown. */
export function fencedCellKind(name: string): CellKindModule | undefined {
	const kind = cellKind(name);
	return kind?.fenced ? kind : undefined;
}

/** Whether cells of this kind yield a table other cells can read by id. */
export function yieldsTable(name: string): boolean {
	return cellKind(name)?.yieldsTable ?? false;
}

/** Every name a cell reads (see each kind's `references`). */
export function cellReferences(cell: Cell, tableCellIds: Iterable<string>): NameReference[] {
	return cellKind(cell.kind)?.references(cell, tableCellIds) ?? [];
}

/**
 * Adds a kind at run time (a plug-in, or a test); returns a function that removes it again.
 * The built-in kinds are the list above; a name already taken is refused.
 */
export function registerCellKind(kind: CellKindModule): () => void {
	if (cellKind(kind.name)) throw new Error(`cell kind "${kind.name}" already exists`);
	if (!/^[a-z][a-z0-9_-]*$/.test(kind.name)) throw new Error(`cell kind name ${JSON.stringify(kind.name)}: lower-case letters, digits, _ and - only`);
	const markdown = CELL_KINDS.indexOf(markdownCell as CellKindModule);
	CELL_KINDS.splice(markdown < 0 ? CELL_KINDS.length : markdown, 0, kind);
	return () => {
		const at = CELL_KINDS.indexOf(kind);
		if (at >= 0) CELL_KINDS.splice(at, 1);
	};
}
