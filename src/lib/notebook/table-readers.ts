// Which cells read a given table directly — a table the page loads rather than a cell's, such
// as the run tables (generations, verdicts, runs). When a run lands, these cells (and what reads
// them) are the ones to run again, though no graph edge leads to them from the run cell.
import { cellReferences } from './cells/index.ts';
import type { Cell } from './format.ts';
import { nameKey } from './sql-ident.ts';

export function cellsReadingTables(cells: readonly Cell[], tables: readonly string[]): number[] {
	const wanted = new Set(tables.map(nameKey));
	const found: number[] = [];
	cells.forEach((cell, index) => {
		if (cell.kind === 'markdown') return;
		let refs;
		try {
			refs = cellReferences(cell, tables);
		} catch {
			return; // the graph reports a cell it cannot read; it is not ours to re-run
		}
		if (refs.some((r) => wanted.has(nameKey(r.name)))) found.push(index);
	});
	return found;
}
