import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa } from '../../../../src/lib/core/stats/agreement.ts';

describe('cohenKappa', () => {
	it('worked by hand: p_o = 4/5, p_e = (3*2 + 2*3)/25 = 12/25 -> 0.32 / 0.52', () => {
		const a = ['yes', 'yes', 'no', 'no', 'yes'];
		const b = ['yes', 'no', 'no', 'no', 'yes'];
		expect(cohenKappa(a, b)).toBeCloseTo(0.32 / 0.52, 14);
	});

	it('matches the sklearn-style numpy reference (tests/reference/stats_reference.py)', () => {
		const judge = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1].map(Boolean);
		const human = [1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1].map(Boolean);
		expect(cohenKappa(judge, human)).toBeCloseTo(0.5, 14);
		const truth = ['A', 'A', 'A', 'B', 'B', 'C', 'C', 'C', 'C', 'D', 'E', 'E', 'A', 'B', 'C', 'D'];
		const pred = ['A', 'B', 'A', 'B', 'X', 'C', 'A', 'C', 'C', 'D', 'D', 'E', 'A', 'B', 'E', 'E'];
		expect(cohenKappa(truth, pred)).toBeCloseTo(0.5339805825242718, 14);
	});

	it('is 1 for perfect agreement, negative for systematic disagreement, NaN when both use one label', () => {
		expect(cohenKappa([true, false, true], [true, false, true])).toBe(1);
		expect(cohenKappa([true, false], [false, true])).toBe(-1);
		expect(cohenKappa([true, true], [true, true])).toBeNaN();
	});

	it('treats true and the string "true" as different labels', () => {
		expect(cohenKappa([true, false], ['true', 'false'])).toBe(0);
	});

	it('throws on length mismatch and empty input', () => {
		expect(() => cohenKappa(['a'], ['a', 'b'])).toThrow(/differ in length/);
		expect(() => cohenKappa([], [])).toThrow(/at least one/);
	});
});

describe('fleissKappa', () => {
	it('reproduces the worked example of the Wikipedia article (10 subjects, 14 raters): 0.20993', () => {
		const counts = [
			[0, 0, 0, 0, 14],
			[0, 2, 6, 4, 2],
			[0, 0, 3, 5, 6],
			[0, 3, 9, 2, 0],
			[2, 2, 8, 1, 1],
			[7, 7, 0, 0, 0],
			[3, 2, 6, 3, 0],
			[2, 5, 3, 2, 2],
			[6, 5, 2, 1, 0],
			[0, 2, 2, 3, 7]
		];
		// numpy reference in tests/reference/stats_reference.py; the article prints 0.210.
		expect(fleissKappa(counts)).toBeCloseTo(0.20993070442195522, 12);
	});

	it('worked by hand: 2 subjects, 2 raters, 2 categories', () => {
		// Subject 1 both raters say A (P_1 = 1), subject 2 split (P_2 = 0): P-bar = 0.5.
		// p_A = 3/4, p_B = 1/4 -> P_e = 10/16; kappa = (0.5 - 0.625) / 0.375 = -1/3.
		expect(fleissKappa([[2, 0], [1, 1]])).toBeCloseTo(-1 / 3, 14);
		expect(fleissKappa([[3, 0], [0, 3]])).toBe(1);
	});

	it('is NaN when every rating falls in one category', () => {
		expect(fleissKappa([[4, 0], [4, 0]])).toBeNaN();
	});

	it('throws on unequal raters, ragged rows, bad counts and too few raters', () => {
		expect(() => fleissKappa([[2, 1], [1, 1]])).toThrow(/row 1 has 2 ratings, row 0 has 3/);
		expect(() => fleissKappa([[2, 1], [3]])).toThrow(/row 1 has 1 categories/);
		expect(() => fleissKappa([[2, -1]])).toThrow(/counts\[0\]\[1\]/);
		expect(() => fleissKappa([[1, 0]])).toThrow(/at least 2 raters/);
		expect(() => fleissKappa([])).toThrow(/at least one subject/);
	});
});
