// New cells start as working examples wired to the table above: each kind's `example`.
import { describe, expect, it } from 'vitest';
import { cellKind } from '../../../src/lib/notebook/cells/index.ts';
import { isNumericType } from '../../../src/lib/notebook/cells/example.ts';
import { parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { parseStatsSpec } from '../../../src/lib/notebook/stats-cell.ts';
import { parseRunSpec } from '../../../src/lib/notebook/run-spec.ts';

const up = {
	id: 'scores',
	columns: [
		{ name: 'model', type: 'Utf8' },
		{ name: 'cc', type: 'Float64' },
		{ name: 'repair', type: 'Int32' },
		{ name: 'f1', type: 'Decimal[5e2]' }
	]
};

describe('cell examples', () => {
	it('knows numbers from labels by Arrow type text', () => {
		expect(['Float64', 'Int32', 'Uint8', 'Decimal[10e2]'].every(isNumericType)).toBe(true);
		expect(['Utf8', 'Bool', 'Date32<DAY>'].some(isNumericType)).toBe(false);
	});

	it('stats reads the numeric columns of the table above through from=', () => {
		const ex = cellKind('stats')!.example!(up);
		expect(ex.from).toBe('scores');
		const { spec, errors } = parseStatsSpec(ex.source);
		expect(errors).toEqual([]);
		expect(spec!.columns).toEqual(['cc', 'repair', 'f1']);
	});

	it('plot draws two numbers against each other, coloured by the first label', () => {
		const ex = cellKind('plot')!.example!(up);
		expect(ex.from).toBe('scores');
		const { spec, errors } = parsePlotSpec(ex.source);
		expect(errors).toEqual([]);
		expect(spec!.marks[0]).toMatchObject({ type: 'dot', x: 'cc', y: 'repair', fill: 'model' });
	});

	it('plot falls back to bars of a number by label, or counts, and parses each time', () => {
		const one = cellKind('plot')!.example!({ id: 't', columns: [{ name: 'm', type: 'Utf8' }, { name: 'v', type: 'Float64' }] });
		expect(parsePlotSpec(one.source).spec!.marks[0]).toMatchObject({ type: 'barY', x: 'm', y: 'v' });
		// a grouped table: bars per model, coloured by the second key, the rest summed (not stacked in one colour)
		const grouped = parsePlotSpec(cellKind('plot')!.example!({ id: 't', columns: [{ name: 'model', type: 'Utf8' }, { name: 'task', type: 'Utf8' }, { name: 'status', type: 'Utf8' }, { name: 'n', type: 'Int64' }] }).source);
		expect(grouped.errors).toEqual([]);
		expect(grouped.spec!.marks[0]).toMatchObject({ type: 'barY', x: 'model', y: 'n', fill: 'task', transform: { name: 'groupX', outputs: { y: 'sum' } } });
		expect(grouped.spec!.color).toEqual({ legend: true });
		const labels = cellKind('plot')!.example!({ id: 't', columns: [{ name: 'm', type: 'Utf8' }] });
		expect(parsePlotSpec(labels.source).spec!.marks[0]).toMatchObject({ type: 'barY', x: 'm', transform: { name: 'groupX' } });
		const none = cellKind('plot')!.example!(null);
		expect(none.from).toBeUndefined();
		expect(parsePlotSpec(none.source).errors).toEqual([]);
	});

	it('sql selects from the table above, or a constant when there is none', () => {
		expect(cellKind('sql')!.example!(up).source).toMatch(/FROM "?scores"?\n/);
		expect(cellKind('sql')!.example!(null).source).toBe('SELECT 1 AS one');
	});

	it('run names the first model the config lists (a placeholder only when it lists none)', () => {
		const run = cellKind('run')!.example!;
		const ex = run(up, { models: ['td/test-model', 'td/model-b'] });
		expect(ex.from).toBeUndefined();
		expect(parseRunSpec(ex.source)).toEqual({ spec: { task: 'completion', model: 'td/test-model', limit: 5 }, errors: [] });
		expect(JSON.parse(run(null, { models: [] }).source).model).toBe('endpoint/model');
	});
});
