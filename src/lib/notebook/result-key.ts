// Where the page keeps a cell's last result: under its id (case-insensitive, as SQL names are), so
// a result follows its cell when cells above it are added or moved; under its position for a cell
// without an id and for a later duplicate of an id. The first cell with an id owns it (as in
// diagnostics.ts and graph.ts), so two cells never show one result.
import type { Cell } from './cell.ts';
import { nameKey } from './sql-ident.ts';

export function resultKeyAt(cells: readonly Pick<Cell, 'id'>[], index: number): string {
	const id = cells[index]?.id;
	if (!id) return `#${index}`;
	const key = nameKey(id);
	return cells.findIndex((c) => c.id && nameKey(c.id) === key) === index ? key : `#${index}`;
}
