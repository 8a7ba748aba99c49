// From a click on a plot to the result row behind the point: Observable Plot binds each drawn
// element of a mark (a dot's circle, a bar's rect…) to its row index in the mark's data, so a
// click on it names a row of the table that mark reads. Only marks drawn straight from a table
// (no transform: a grouped or binned mark's elements are groups, not rows) whose table carries
// an item, unit or target id.
import type { ResultTable } from '../../notebook/executor.ts';
import type { PlotSpec } from '../../notebook/plot-spec.ts';
import { hasSampleIds, sampleRefAt } from './sample-ref.ts';

/** Plot's aria-label for a mark type: dotX → dot, barY → bar, cell → cell. */
const ariaLabelOf = (type: string) => type.replace(/[XY]$/, '').toLowerCase();

export function plotPointRow(
	target: EventTarget | null,
	spec: PlotSpec,
	tableFor: (name: string | undefined) => ResultTable | undefined
): { table: ResultTable; row: number } | null {
	const element = target instanceof Element ? target : null;
	const index = (element as unknown as { __data__?: unknown } | null)?.__data__;
	if (typeof index !== 'number' || !Number.isInteger(index)) return null;
	const label = element!.closest('g[aria-label]')?.getAttribute('aria-label');
	if (!label) return null;
	// The tables of the marks this element can belong to; only an unambiguous one is used.
	const tables = new Set<ResultTable>();
	for (const mark of spec.marks) {
		if (mark.transform || Array.isArray(mark.data) || ariaLabelOf(mark.type) !== label) continue;
		const table = tableFor(mark.data as string | undefined);
		if (table && hasSampleIds(table)) tables.add(table);
	}
	if (tables.size !== 1) return null;
	const [table] = tables;
	return sampleRefAt(table, index) ? { table, row: index } : null;
}

/** Whether a plot has a mark whose points open samples (for the pointer cursor and the hint). */
export function plotOpensSamples(spec: PlotSpec, tableFor: (name: string | undefined) => ResultTable | undefined): boolean {
	return spec.marks.some((mark) => {
		if (mark.transform || Array.isArray(mark.data)) return false;
		const table = tableFor(mark.data as string | undefined);
		return !!table && hasSampleIds(table);
	});
}
