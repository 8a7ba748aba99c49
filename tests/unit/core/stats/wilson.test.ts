// The Wilson interval against scipy (tests/reference/wilson_interval.py): width on tiny n and at
// 0% / 100%, where a bootstrap of the counts collapses to a point.
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../../src/lib/core/stats/wilson.ts';

describe('wilsonInterval', () => {
	it('matches scipy binomtest(...).proportion_ci(method="wilson")', () => {
		const cases: [number, number, number, number][] = [
			[0, 5, 0, 0.43448246478317476],
			[5, 5, 0.5655175352168251, 1],
			[2, 5, 0.11762077423264794, 0.769275718723987],
			[1, 1, 0.20654931437723745, 1],
			[37, 120, 0.23272736988916295, 0.3958299772380067]
		];
		for (const [k, n, low, high] of cases) {
			const ci = wilsonInterval(k, n);
			expect(ci.low, `${k}/${n} low`).toBeCloseTo(low, 12);
			expect(ci.high, `${k}/${n} high`).toBeCloseTo(high, 12);
			expect(ci.estimate).toBe(k / n);
		}
	});

	it('has no interval without trials and refuses impossible counts', () => {
		expect(Number.isNaN(wilsonInterval(0, 0).low)).toBe(true);
		expect(() => wilsonInterval(6, 5)).toThrow(/k must be an integer from 0 to n/);
		expect(() => wilsonInterval(1, 2.5)).toThrow(/n must be a non-negative integer/);
	});
});
