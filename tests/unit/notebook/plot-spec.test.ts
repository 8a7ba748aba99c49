import { describe, it, expect } from 'vitest';
import { parsePlotSpec, checkPlotColumns, plotDataNames } from '../../../src/lib/notebook/plot-spec.ts';
import { isColorConstant } from '../../../src/lib/notebook/plot-vocabulary.ts';

const messages = (source: string) => parsePlotSpec(source).errors.map((e) => [e.line, e.message]);

describe('parsePlotSpec', () => {
	it('accepts a full spec and returns it unchanged', () => {
		const source = JSON.stringify({
			marks: [
				{ type: 'dot', x: 'a', y: 'b', fill: 'steelblue', tip: true },
				{ type: 'barY', data: 'other', x: 'm', transform: { name: 'groupX', outputs: { y: 'count' } } },
				{ type: 'areaY', x: 'a', y: 'b', transform: { name: 'stackY', options: { order: 'sum' } } },
				{ type: 'ruleY', y: 0 },
				{ type: 'frame' }
			],
			x: { label: 'A' },
			color: { scheme: 'viridis', legend: true },
			width: 640,
			title: 'T'
		});
		const parsed = parsePlotSpec(source);
		expect(parsed.errors).toEqual([]);
		expect(parsed.spec).toEqual(JSON.parse(source));
		expect(plotDataNames(parsed.spec!, 'main')).toEqual(['main', 'other']);
	});
	it('reports JSON syntax errors with line and column', () => {
		expect(parsePlotSpec('{\n  "marks": [\n    {"type": "dot",}\n  ]\n}').errors).toEqual([
			{ message: 'invalid JSON at line 3, column 20: expected a "quoted" key but found "}"', line: 3, column: 20 }
		]);
		expect(messages('{"marks": [], "marks": []}')[0][1]).toMatch(/duplicate key "marks"/);
	});
	it('rejects unknown marks, transforms, options and reducers, on their lines', () => {
		const source = [
			'{"marks": [',
			'  {"type": "dots", "x": "a"},',
			'  {"type": "dot", "fil": "a"},',
			'  {"type": "barY", "transform": {"name": "eval"}},',
			'  {"type": "barY", "transform": {"name": "groupX", "outputs": {"y": "countt"}}},',
			'  {"type": "areaY", "transform": {"name": "stackY", "outputs": {}}},',
			'  {"type": "dot", "x": [1, 2]}',
			'], "facet": {}, "onload": "x", "width": {"a": 1}}'
		].join('\n');
		const found = messages(source);
		expect(found.map(([line]) => line)).toEqual([8, 8, 8, 2, 3, 4, 5, 6, 7]);
		expect(found[0][1]).toMatch(/unknown top-level option "facet"/);
		expect(found[2][1]).toMatch(/"width" must be a single value/);
		expect(found[3][1]).toMatch(/mark 1: unknown mark type "dots" \(known: area, /);
		expect(found[4][1]).toMatch(/mark 2 \(dot\): unknown option "fil"/);
		expect(found[5][1]).toMatch(/unknown transform "eval"/);
		expect(found[6][1]).toMatch(/unknown reducer "countt"/);
		expect(found[7][1]).toMatch(/stackY takes "options" only/);
		expect(found[8][1]).toMatch(/not an array/);
		expect(parsePlotSpec(source).spec).toBeNull();
	});
	it('needs an object with marks', () => {
		expect(messages('[]')[0][1]).toMatch(/JSON object/);
		expect(messages('{"width": 3}')[0][1]).toMatch(/"marks" must be an array/);
	});
});

describe('checkPlotColumns', () => {
	const columns: Record<string, string[]> = { scores: ['model', 'cc_sr', 'Repair'], other: ['k'] };
	const check = (source: string, from: string | null) => {
		const parsed = parsePlotSpec(source);
		expect(parsed.errors).toEqual([]);
		return checkPlotColumns({ spec: parsed.spec!, positions: parsed.positions }, from, (n) => columns[n]);
	};
	it('passes when every channel names a column or a constant', () => {
		expect(check('{"marks": [{"type": "dot", "x": "cc_sr", "y": "Repair", "fill": "#aab", "stroke": "steelblue", "symbol": "circle", "r": 3, "title": {"value": "model"}}, {"type": "frame"}, {"type": "text", "data": "other", "text": "k"}]}', 'scores')).toEqual([]);
	});
	it('names the missing column, lists the available ones, hints at case', () => {
		const errors = check('{"marks": [\n{"type": "dot", "x": "cc_sr", "y": "repair", "fill": "modle"}]}', 'scores');
		expect(errors.map((e) => [e.line, e.message])).toEqual([
			[2, 'mark 1 (dot): channel "y": no column "repair" in scores (did you mean "Repair"? names are case-sensitive) — columns: model, cc_sr, Repair'],
			[2, 'mark 1 (dot): channel "fill": no column "modle" in scores — columns: model, cc_sr, Repair']
		]);
	});
	it('checks transform option channels too, and data-less marks', () => {
		expect(check('{"marks": [{"type": "barY", "x": "model", "transform": {"name": "groupX", "outputs": {"y": "count"}, "options": {"fill": "nope"}}}]}', 'scores')[0].message).toMatch(/channel "fill": no column "nope"/);
		expect(check('{"marks": [{"type": "dot", "x": "a"}]}', null)[0].message).toMatch(/has no data: set from=/);
		// A constant without data: the field is named, and the way to draw it once is given.
		const [constant] = check('{"marks": [\n{"type": "ruleX",\n "x": 50}]}', null);
		expect(constant.line).toBe(3);
		expect(constant.message).toBe('mark 1 (ruleX) has no data: "x": 50 is a constant, drawn once per row of the data — give the mark "data": [50] to draw it once, or set from= on the cell');
		expect(check('{"marks": [{"type": "dot", "data": "ghost", "x": "a"}]}', null)[0].message).toMatch(/no view or table named "ghost"/);
	});
});

describe('colour constants', () => {
	it('recognises CSS colours and nothing else', () => {
		for (const c of ['steelblue', 'SteelBlue', '#aab', '#aabbcc', '#aabbccdd', 'rgb(1, 2, 3)', 'hsl(10 20% 30%)', 'none', 'currentColor']) expect(isColorConstant(c), c).toBe(true);
		for (const c of ['model', '#ggg', 'steel blue', 'rgb', '']) expect(isColorConstant(c), c).toBe(false);
	});
});

describe('inline mark data', () => {
	it('accepts an array of literals as a reference mark and reads no table for it', () => {
		const parsed = parsePlotSpec('{"marks": [{"type": "ruleX", "data": [0]}, {"type": "dot", "x": "a"}]}');
		expect(parsed.errors).toEqual([]);
		expect(plotDataNames(parsed.spec!, 'scores')).toEqual(['scores']);
		expect(checkPlotColumns({ spec: parsed.spec!, positions: parsed.positions }, 'scores', () => ['a'])).toEqual([]);
	});

	it('refuses inline data holding objects', () => {
		const parsed = parsePlotSpec('{"marks": [{"type": "ruleX", "data": [{"x": 0}]}]}');
		expect(parsed.errors[0].message).toContain('"data" must be the name of a view or table, or an array');
	});
});
