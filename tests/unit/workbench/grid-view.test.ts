// The result grid's rows: per-column filters, a stable sort with nulls last, rows as text.
import { tableFromArrays, Table, vectorFromArray, Utf8, Float64, Bool, Int64, TimestampMillisecond, DateDay, Decimal, makeData, makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../../src/lib/notebook/executor.ts';
import { gridOrder, parseFilter, rowAsJSON, rowAsTSV } from '../../../src/lib/workbench/grid-view.ts';
import { cellText, toCSV } from '../../../src/lib/workbench/arrow-values.ts';
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

describe('JSON types and timestamps', () => {
	const at = Date.UTC(2026, 10, 28, 23, 31, 47, 120);
	const typed = new Table({
		rate: vectorFromArray([74.07, null], new Float64()),
		ok: vectorFromArray([true, false], new Bool()),
		count: vectorFromArray([7n, 2n ** 60n], new Int64()),
		name: vectorFromArray(['a', 'b'], new Utf8()),
		finished_at: vectorFromArray([at, null], new TimestampMillisecond()),
		day: vectorFromArray([new Date(Date.UTC(2026, 10, 28)), null], new DateDay())
	}) as unknown as ResultTable;

	it('copies a row as JSON keeping numbers, booleans and null; a bigint a number when exact', () => {
		expect(JSON.parse(rowAsJSON(typed, 0))).toEqual({ rate: 74.07, ok: true, count: 7, name: 'a', finished_at: '2026-11-28T23:31:47.120Z', day: '2026-11-28' });
		expect(JSON.parse(rowAsJSON(typed, 1))).toEqual({ rate: null, ok: false, count: String(2n ** 60n), name: 'b', finished_at: null, day: null });
	});

	it('reads a DECIMAL column (DuckDB\'s type of 74.07) as its exact digits, a number in JSON', () => {
		// Two rows, 128-bit little-endian words: 7407 and -5 at scale 2.
		const words = new Uint32Array([7407, 0, 0, 0, 0xfffffffb, 0xffffffff, 0xffffffff, 0xffffffff]);
		const dec = new Table({ rate: makeVector(makeData({ type: new Decimal(2, 4, 128), length: 2, data: words })) }) as unknown as ResultTable;
		expect(cellText(dec, 'rate', 0)).toBe('74.07');
		expect(cellText(dec, 'rate', 1)).toBe('-0.05');
		expect(JSON.parse(rowAsJSON(dec, 0))).toEqual({ rate: 74.07 });
		expect(JSON.parse(rowAsJSON(dec, 1))).toEqual({ rate: -0.05 });
		// Sorted by value (9.50 before 74.07), not by text.
		const two = new Table({ rate: makeVector(makeData({ type: new Decimal(2, 4, 128), length: 2, data: new Uint32Array([7407, 0, 0, 0, 950, 0, 0, 0]) })) }) as unknown as ResultTable;
		expect(gridOrder(two, {}, { column: 'rate', descending: false })).toEqual([1, 0]);
		expect(gridOrder(two, { rate: '>10' }, null)).toEqual([0]);
	});

	it('shows timestamp and date columns as ISO text, not epoch milliseconds (grid, TSV, CSV, filters)', () => {
		expect(cellText(typed, 'finished_at', 0)).toBe('2026-11-28T23:31:47.120Z');
		expect(cellText(typed, 'day', 0)).toBe('2026-11-28');
		expect(cellText(typed, 'finished_at', 1)).toBe('');
		expect(rowAsTSV(typed, 0)).toContain('\t2026-11-28T23:31:47.120Z\t2026-11-28');
		expect(toCSV(typed).split('\r\n')[1]).toContain(',2026-11-28T23:31:47.120Z,2026-11-28');
		expect(gridOrder(typed, { finished_at: '2026-11' }, null)).toEqual([0]);
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
