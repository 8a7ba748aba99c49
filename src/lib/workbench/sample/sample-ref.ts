// Which sample a result row points at: the id columns the run tables carry (target_id of a
// verdict, unit_id of a generation, item_id of a benchmark item), read from one row of a
// result without turning the table into row objects. Also the step to the previous/next row
// that points at a sample, through the order the grid shows.
import type { ResultTable } from '../../notebook/executor.ts';

export interface SampleRef {
	/** What a judge judged: a generation's unit id, or an item id (verdicts.target_id). */
	target_id: string | null;
	/** A generation's unit id (generations.unit_id), or a judge unit's in the verdicts table. */
	unit_id: string | null;
	item_id: string | null;
}

export const SAMPLE_ID_COLUMNS = ['target_id', 'unit_id', 'item_id'] as const;

/** The id columns a result has (compared without case, as DuckDB resolves names). */
export function sampleIdColumns(table: ResultTable): Partial<Record<(typeof SAMPLE_ID_COLUMNS)[number], string>> {
	const found: Partial<Record<(typeof SAMPLE_ID_COLUMNS)[number], string>> = {};
	for (const field of table.schema.fields) {
		const key = field.name.toLowerCase() as (typeof SAMPLE_ID_COLUMNS)[number];
		if ((SAMPLE_ID_COLUMNS as readonly string[]).includes(key) && !(key in found)) found[key] = field.name;
	}
	return found;
}

export function hasSampleIds(table: ResultTable): boolean {
	return Object.keys(sampleIdColumns(table)).length > 0;
}

const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

/** The ids on row `row`, or null when the row carries none. */
export function sampleRefAt(table: ResultTable, row: number): SampleRef | null {
	if (row < 0 || row >= table.numRows) return null;
	const columns = sampleIdColumns(table);
	const get = (key: (typeof SAMPLE_ID_COLUMNS)[number]) => (columns[key] ? text(table.getChild(columns[key]!)?.get(row)) : null);
	const ref = { target_id: get('target_id'), unit_id: get('unit_id'), item_id: get('item_id') };
	return ref.target_id || ref.unit_id || ref.item_id ? ref : null;
}

/**
 * From position `at` in `order` (the rows as the grid shows them), the next position in
 * direction `delta` (+1 / -1) whose row points at a sample; null at either end.
 */
export function stepPosition(table: ResultTable, order: readonly number[], at: number, delta: 1 | -1): number | null {
	for (let p = at + delta; p >= 0 && p < order.length; p += delta) {
		if (sampleRefAt(table, order[p])) return p;
	}
	return null;
}

export function sameRef(a: SampleRef | null, b: SampleRef | null): boolean {
	return !!a && !!b && a.target_id === b.target_id && a.unit_id === b.unit_id && a.item_id === b.item_id;
}
