// Where an error sits, said in the cell's own terms: the page shows a cell's source in an editor
// numbered from 1, so "line 25" of the notebook file reads as "line 4 of the cell" there (as SQL
// errors already say). An error on the fence line is the whole cell's (blocked, no id, no table
// for from=): no line. Any other line stays the file's, and says so. The CLI (`covw notebook run`)
// keeps file lines: there the file is what the reader has open.
import type { Cell } from '../notebook/format.ts';

export function cellLineLabel(cell: Pick<Cell, 'line' | 'sourceLine' | 'source' | 'fence'>, fileLine: number): string | null {
	const lines = cell.source === '' ? 1 : cell.source.split('\n').length;
	if (fileLine >= cell.sourceLine && fileLine < cell.sourceLine + lines) return `line ${fileLine - cell.sourceLine + 1} of the cell`;
	if (cell.fence && fileLine === cell.line) return null;
	return `line ${fileLine} of the file`;
}
