// The result grid's rows: per-column filters, a stable sort with nulls last, rows as text.
import { tableFromArrays, Table, vectorFromArray, Utf8, Float64 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../../src/lib/notebook/executor.ts';
import { gridOrder, parseFilter, rowAsJSON, rowAsTSV } from '../../../src/lib/workbench/grid-view.ts';
import { sampleRefAt, stepPosition, hasSampleIds } from '../../../src/lib/workbench/sample/sample-ref.ts';

const table = new Table({
	model: vectorFromArray(['b-model', 'a-model', null, 'c-model'], new Utf8()),
	rate: vectorFromArray([0.5, null, 0.1, 0.9], new Float64()),
	note: vectorFromArray(['has\ttab', 'x', 'y', 'z'], new Utf8())
}) as unknown as ResultTable;

describe('gridOrder', () => {
	it('sorts ascending and descending with nulls last both ways, stably', () => {
		expect(gridOrder(table, {}, { column: 'rate', descending: false })).toEqual([2, 0, 3, 1]);
		expect(gridOrder(table, {}, { column: 'rate', descending: true })).toEqual([3, 0, 2, 1]);
		expect(gridOrder(table, {}, { column: 'model', descending: false })).toEqual([1, 0, 3, 2]);
	});

	it('filters by contains (any case), by comparison, and by emptiness', () => {
		expect(gridOrder(table, { model: 'MODEL' }, null)).toEqual([0, 1, 3]);
		expect(gridOrder(table, { rate: '>0.3' }, null)).toEqual([0, 3]);
		expect(gridOrder(table, { rate: '<=0.5', model: 'b' }, null)).toEqual([0]);
		expect(gridOrder(table, { rate: 'empty' }, null)).toEqual([1]);
		expect(gridOrder(table, { model: '!empty' }, { column: 'rate', descending: true })).toEqual([3, 0, 1]);
		expect(gridOrder(table, { model: '=a-model' }, null)).toEqual([1]);
	});

	it('a blank filter filters nothing', () => {
		expect(parseFilter('  ')).toBeNull();
		expect(gridOrder(table, { model: '' }, null)).toEqual([0, 1, 2, 3]);
	});
});

describe('rows as text', () => {
	it('copies a row as TSV (tabs inside values flattened) and as JSON', () => {
		expect(rowAsTSV(table, 0)).toBe('b-model\t0.5\thas tab');
		expect(JSON.parse(rowAsJSON(table, 1))).toEqual({ model: 'a-model', rate: null, note: 'x' });
	});
});

describe('sample refs', () => {
	const runs = tableFromArrays({ Item_ID: ['i1', 'i2', '', 'i4'], n: Float64Array.from([1, 2, 3, 4]) }) as unknown as ResultTable;
	it('reads id columns without regard to case, and steps over rows without ids', () => {
		expect(hasSampleIds(runs)).toBe(true);
		expect(hasSampleIds(table)).toBe(false);
		expect(sampleRefAt(runs, 1)).toEqual({ target_id: null, unit_id: null, item_id: 'i2' });
		expect(sampleRefAt(runs, 2)).toBeNull();
		expect(stepPosition(runs, [0, 1, 2, 3], 1, 1)).toBe(3);
		expect(stepPosition(runs, [3, 2, 1, 0], 0, 1)).toBe(2);
		expect(stepPosition(runs, [0, 1, 2, 3], 0, -1)).toBeNull();
	});
});
