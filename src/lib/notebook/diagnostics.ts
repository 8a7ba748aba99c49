// Problems found in a notebook file, attached to the cell they concern with its file line.
import { isValidCellId, nameKey } from './sql-ident.ts';
import type { Cell } from './cell.ts';
import { cellKind } from './cells/index.ts';

export interface Diagnostic {
	/** 'error' stops the cell from running; 'warning' is shown but the cell runs. */
	severity: 'error' | 'warning';
	/** 1-based line in the notebook file. */
	line: number;
	/** What the problem is about: 'id', 'from', 'fence', 'attributes', 'front matter', … */
	field?: string;
	message: string;
}

/**
 * Adds id diagnostics (missing, invalid, duplicate) to each cell's `diagnostics`. A kind whose
 * cells other cells or the results refer to by id says so (`needsId` in cells/).
 */
export function cellDiagnostics(cells: Cell[]): void {
	const firstLine = new Map<string, { id: string; line: number }>();
	for (const cell of cells) {
		if (!cell.fence) continue;
		const line = cell.line;
		if (cell.id === null || cell.id === '') {
			if (cellKind(cell.kind)?.needsId) {
				cell.diagnostics.push({ severity: 'error', line, field: 'id', message: `${cell.kind} cell on line ${line} has no id (add id=name to the fence line)` });
			}
			continue;
		}
		if (!isValidCellId(cell.id)) {
			cell.diagnostics.push({
				severity: 'error',
				line,
				field: 'id',
				message: `invalid id ${JSON.stringify(cell.id)} on line ${line}: ids are SQL identifiers (a letter or _, then letters, digits, _)`
			});
			continue;
		}
		// DuckDB folds identifier case, so "Scores" and "scores" would be the same view.
		const first = firstLine.get(nameKey(cell.id));
		if (first) {
			cell.diagnostics.push({
				severity: 'error',
				line,
				field: 'id',
				message: `duplicate id "${cell.id}" on line ${line}: already used by the cell on line ${first.line}` + (first.id !== cell.id ? ` ("${first.id}"; ids ignore case)` : '')
			});
		} else {
			firstLine.set(nameKey(cell.id), { id: cell.id, line });
		}
	}
}

export function hasErrors(cell: Pick<Cell, 'diagnostics'>): boolean {
	return cell.diagnostics.some((d) => d.severity === 'error');
}
