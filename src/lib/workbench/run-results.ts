// The page's cell results (key → result, see notebook/result-key.ts), changed one cell at a time:
// a run writes only what it ran, into the results as they are when it reports (review10 #1); a
// Cancel marks the cells reading a cancelled cell as waiting on it.
import type { Cell } from '../notebook/cell.ts';
import { blockedMessage, type CellResult } from '../notebook/executor.ts';
import { buildGraph } from '../notebook/graph.ts';
import { resultKeyAt } from '../notebook/result-key.ts';

export type Results = Readonly<Record<string, CellResult>>;

/** The results with this one cell's replaced. */
export function withResult(results: Results, key: string, result: CellResult): Record<string, CellResult> {
	return { ...results, [key]: result };
}

/** Only the results under these keys (a whole run's, once it finished). */
export function onlyKeys(results: Results, keys: ReadonlySet<string>): Record<string, CellResult> {
	return Object.fromEntries(Object.entries(results).filter(([key]) => keys.has(key)));
}

/** Every cell reading cell `index` (directly or not) says it did not run because that cell failed. */
export function withBlockedDownstream(results: Results, cells: readonly Cell[], index: number): Record<string, CellResult> {
	const root = cells[index];
	if (!root) return { ...results };
	const waitsFor = { name: root.id ?? root.kind, line: root.line };
	const out: Record<string, CellResult> = { ...results };
	for (const i of buildGraph(cells).downstream(index)) {
		const cell = cells[i];
		out[resultKeyAt(cells, i)] = {
			cellIndex: i,
			cellId: cell.id,
			kind: cell.kind,
			status: 'blocked',
			error: { message: blockedMessage(waitsFor), line: cell.line },
			waitsFor,
			ms: 0
		};
	}
	return out;
}
