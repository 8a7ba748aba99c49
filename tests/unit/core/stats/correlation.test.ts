import { describe, expect, it } from 'vitest';
import { kendallTauB, pearson, spearman } from '../../../../src/lib/core/stats/correlation.ts';
import { readTable1 } from '../metrics/read-table1.ts';

describe('correlations worked by hand', () => {
	it('pearson: [1,2,3] vs [1,2,4] = 3 / sqrt(2 * 42/9) = 9 / sqrt(84)', () => {
		expect(pearson([1, 2, 3], [1, 2, 4])).toBeCloseTo(9 / Math.sqrt(84), 14);
	});

	it('perfect and reversed relations give +1 and -1', () => {
		expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 14);
		expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBe(1);
		expect(kendallTauB([1, 2, 3, 4], [9, 8, 7, 1])).toBe(-1);
	});

	it('kendall tau-b without ties: one discordant pair in six -> (5 - 1) / 6', () => {
		expect(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 14);
	});

	it('kendall tau-b with ties: C=4, D=0, one pair tied in x only, one in y only -> 4 / sqrt(5 * 5)', () => {
		expect(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(0.8, 14);
	});

	it('spearman with ties uses average ranks: x ranks [1,2.5,2.5,4] vs y [1,2,3,4]', () => {
		// Pearson of [1,2.5,2.5,4] and [1,2,3,4]: sxy = 4.5, sxx = 4.5, syy = 5 -> 4.5 / sqrt(22.5).
		expect(spearman([10, 20, 20, 30], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 14);
	});
});

describe('correlations against scipy 1.17 (tests/reference/stats_reference.py)', () => {
	const cases: { name: string; x: number[]; y: number[]; pearson: number; spearman: number; kendall: number }[] = [
		{
			name: 'ties in y',
			x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
			y: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3],
			pearson: 0.33432539901899483,
			spearman: 0.3914537831560393,
			kendall: 0.2760262237369417
		},
		{
			name: 'ties in both',
			x: [1, 2, 2, 3, 3, 3, 4, 5, 5, 6],
			y: [2, 1, 2, 3, 5, 3, 4, 4, 6, 6],
			pearson: 0.8471128072607026,
			spearman: 0.8781421513813898,
			kendall: 0.7654904374034319
		},
		{
			name: 'negative, floats',
			x: [0.5, 1.25, -2.0, 3.5, 0.0, 7.75, 2.5],
			y: [10.0, 9.5, 12.25, 4.0, 11.0, -1.5, 9.5],
			pearson: -0.9582282700061446,
			spearman: -0.9910312089651149,
			kendall: -0.9759000729485332
		}
	];
	for (const c of cases) {
		it(c.name, () => {
			expect(pearson(c.x, c.y)).toBeCloseTo(c.pearson, 12);
			expect(spearman(c.x, c.y)).toBeCloseTo(c.spearman, 12);
			expect(kendallTauB(c.x, c.y)).toBeCloseTo(c.kendall, 12);
		});
	}

	it('the paper Table 1 columns across 20 models (ties: 74.38 and 68.21 appear twice)', () => {
		const rows = readTable1();
		const cc = rows.map((r) => Number(r.cc_total_sr1));
		const repair = rows.map((r) => Number(r.repair_sr1));
		const cls = rows.map((r) => Number(r.classification_f1));
		expect(pearson(cc, repair)).toBeCloseTo(0.25793838330756447, 12);
		expect(spearman(cc, repair)).toBeCloseTo(0.333333427695732, 12);
		expect(kendallTauB(cc, repair)).toBeCloseTo(0.22222533281386467, 12);
		expect(pearson(cc, cls)).toBeCloseTo(0.4156626614386402, 12);
		expect(spearman(cc, cls)).toBeCloseTo(0.4273891352848212, 12);
		expect(kendallTauB(cc, cls)).toBeCloseTo(0.3492112372789303, 12);
	});
});

describe('undefined and invalid cases', () => {
	it('returns NaN for a constant column, including one whose mean is inexact in floating point', () => {
		expect(pearson([0.1, 0.1, 0.1], [1, 2, 3])).toBeNaN();
		expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
		expect(kendallTauB([2, 2, 2], [1, 2, 3])).toBeNaN();
	});

	it('n = 2 is defined', () => {
		expect(pearson([1, 2], [5, 3])).toBe(-1);
		expect(kendallTauB([1, 2], [3, 5])).toBe(1);
	});

	it('throws on length mismatch, n < 2 and NaN', () => {
		expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/differ in length \(3 vs 2\)/);
		expect(() => spearman([1], [1])).toThrow(/at least 2 pairs/);
		expect(() => kendallTauB([1, NaN], [1, 2])).toThrow(/x\[1\]/);
		expect(() => pearson([1, Infinity], [1, 2])).toThrow(/finite/);
	});
});
