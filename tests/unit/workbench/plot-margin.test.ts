// A plot with long y labels and no marginLeft of its own gets a left margin as wide as its
// longest label (Observable Plot keeps 40 px and cuts the names at the figure's edge).
import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../../src/lib/notebook/executor.ts';
import type { PlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { autoLeftAxis, autoMarginLeft, MAX_AUTO_MARGIN_LEFT, shortenToFit } from '../../../src/lib/workbench/plot/margin.ts';

function table(columns: Record<string, unknown[]>): ResultTable {
	const names = Object.keys(columns);
	return {
		numRows: columns[names[0]].length,
		schema: { fields: names.map((name) => ({ name, type: null })) },
		getChild: (name) => (columns[name] ? { get: (i: number) => columns[name][i], toArray: () => columns[name] } : null)
	};
}
const models = table({ model: ['gpt-4o', 'Meta-Llama-3.1-8B-Instruct', 'WizardCoder-Python-34B-V1.0-GPTQ-M3-6B'], cc_seed_sr1: [70, 60, 50], n: [1, 2, 3] });
const tableFor = (name: string | undefined) => (name === undefined || name === 'models' ? models : undefined);
/** 6 px a character: what the page measures in its axis font is close to it. */
const measure = (text: string) => text.length * 6;

describe('autoMarginLeft', () => {
	it('a barX of long model names: room for the longest, tick included', () => {
		const spec: PlotSpec = { marks: [{ type: 'barX', x: 'cc_seed_sr1', y: 'model' }] };
		// widened 10% (the font drawn may be wider than the one measured), the tick, the y title beside
		expect(autoMarginLeft(spec, tableFor, measure)).toBe(Math.ceil(38 * 6 * 1.1) + 14 + 18);
		expect(autoMarginLeft({ ...spec, y: { label: null } }, tableFor, measure)).toBe(Math.ceil(38 * 6 * 1.1) + 14);
	});

	it("keeps the spec's own margin, a right-hand or formatted axis, numbers and short labels as Plot draws them", () => {
		expect(autoMarginLeft({ marks: [{ type: 'barX', x: 'n', y: 'model' }], marginLeft: 90 }, tableFor, measure)).toBeUndefined();
		expect(autoMarginLeft({ marks: [{ type: 'barX', x: 'n', y: 'model' }], margin: 10 }, tableFor, measure)).toBeUndefined();
		expect(autoMarginLeft({ marks: [{ type: 'barX', x: 'n', y: 'model' }], y: { axis: 'right' } }, tableFor, measure)).toBeUndefined();
		expect(autoMarginLeft({ marks: [{ type: 'dot', x: 'n', y: 'cc_seed_sr1' }] }, tableFor, measure)).toBeUndefined();
		expect(autoMarginLeft({ marks: [{ type: 'barX', x: 'n', y: 'model' }] }, () => table({ model: ['a', 'bb'] }), measure)).toBeUndefined();
	});

	it('is capped, and reads the table a mark names in "data"', () => {
		const long = table({ name: ['x'.repeat(200)] });
		expect(autoMarginLeft({ marks: [{ type: 'dot', data: 'other', x: 'n', y: 'name' }] }, (n) => (n === 'other' ? long : undefined), measure)).toBe(MAX_AUTO_MARGIN_LEFT);
	});
});

describe('labels wider than the capped margin', () => {
	const long = 'A'.repeat(200);
	const wide = table({ name: [long, 'short', 'B'.repeat(120)] });
	const spec: PlotSpec = { marks: [{ type: 'barX', x: 'n', y: 'name' }] };

	it('are shortened with "…" to fit the margin, short ones kept', () => {
		const left = autoLeftAxis(spec, () => wide, measure);
		expect(left?.marginLeft).toBe(MAX_AUTO_MARGIN_LEFT);
		const shorten = left!.shorten!;
		const room = (MAX_AUTO_MARGIN_LEFT - 18 - 14) / 1.1; // the y title and the tick beside the labels
		const short = shorten(long);
		expect(short.endsWith('…')).toBe(true);
		expect(measure(short)).toBeLessThanOrEqual(room);
		expect(measure(short + 'A')).toBeGreaterThan(room); // as long as fits
		expect(shorten('short')).toBe('short');
		// labels that fit the cap get no shortening at all
		expect(autoLeftAxis(spec, tableFor, measure)?.shorten).toBeUndefined();
	});

	it('never splits a character made of two UTF-16 units', () => {
		expect(shortenToFit('😀😀😀😀', 3 * 6, measure)).toBe('😀…');
		expect(shortenToFit('ab', 100, measure)).toBe('ab');
	});
});
