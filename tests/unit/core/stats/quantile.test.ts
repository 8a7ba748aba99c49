import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../../../src/lib/core/stats/quantile.ts';

describe('quantileSorted (type 7, numpy default)', () => {
	it('interpolates between order statistics (worked by hand)', () => {
		const v = [10, 20, 30, 40, 50];
		expect(quantileSorted(v, 0)).toBe(10);
		expect(quantileSorted(v, 1)).toBe(50);
		expect(quantileSorted(v, 0.5)).toBe(30);
		// h = 4 * 0.1 = 0.4 -> 10 + 0.4 * 10
		expect(quantileSorted(v, 0.1)).toBeCloseTo(14, 12);
		expect(quantileSorted([7], 0.3)).toBe(7);
		expect(quantileSorted([], 0.5)).toBeNaN();
	});

	it('rejects p outside [0, 1]', () => {
		expect(() => quantileSorted([1, 2], 1.5)).toThrow(/p must be/);
	});
});
