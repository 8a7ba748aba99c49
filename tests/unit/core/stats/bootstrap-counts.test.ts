import { describe, expect, it } from 'vitest';
import { binomial, logFactorial } from '../../../../src/lib/core/stats/binomial.ts';
import { bootstrapCounts } from '../../../../src/lib/core/stats/bootstrap-counts.ts';
import { bootstrap } from '../../../../src/lib/core/stats/bootstrap.ts';
import { createRng } from '../../../../src/lib/core/stats/random.ts';

describe('logFactorial', () => {
	it('matches the running sum of logs across the table/Stirling boundary', () => {
		let sum = 0;
		for (let k = 1; k <= 2000; k++) {
			sum += Math.log(k);
			expect(Math.abs(logFactorial(k) - sum)).toBeLessThan(1e-9 * Math.max(1, sum));
		}
	});
});

describe('binomial', () => {
	it('has the right mean and variance for large and small n·p', () => {
		for (const [n, p] of [
			[100_000, 0.3],
			[50, 0.1],
			[1_000, 0.97],
			[7, 0.5]
		]) {
			const rng = createRng(9);
			const draws = Array.from({ length: 20_000 }, () => binomial(n, p, rng));
			const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
			const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
			const sd = Math.sqrt(n * p * (1 - p));
			// 20,000 draws: the mean is within 5 standard errors, the variance within 5%.
			expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws.length));
			expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.95);
			expect(variance / (n * p * (1 - p))).toBeLessThan(1.05);
			expect(draws.every((k) => Number.isInteger(k) && k >= 0 && k <= n)).toBe(true);
		}
	});

	it('matches the exact pmf of Binomial(4, 0.25) in frequency', () => {
		const rng = createRng(3);
		const seen = [0, 0, 0, 0, 0];
		const draws = 200_000;
		for (let i = 0; i < draws; i++) seen[binomial(4, 0.25, rng)]++;
		// pmf by hand: C(4,k) 0.25^k 0.75^(4-k)
		const pmf = [81 / 256, 108 / 256, 54 / 256, 12 / 256, 1 / 256];
		seen.forEach((count, k) => expect(Math.abs(count / draws - pmf[k])).toBeLessThan(0.004));
	});

	it('handles the edges', () => {
		const rng = createRng(1);
		expect(binomial(0, 0.5, rng)).toBe(0);
		expect(binomial(10, 0, rng)).toBe(0);
		expect(binomial(10, 1, rng)).toBe(10);
	});
});

describe('bootstrapCounts', () => {
	const accuracy = (c: Float64Array) => (c[0] + c[2]) / (c[0] + c[1] + c[2] + c[3]);

	it('is reproducible from its seed and brackets the estimate', () => {
		const a = bootstrapCounts([40, 10, 35, 15], accuracy, { seed: 5, resamples: 500 });
		const b = bootstrapCounts([40, 10, 35, 15], accuracy, { seed: 5, resamples: 500 });
		expect(a).toEqual(b);
		expect(a.estimate).toBe(0.75);
		expect(a.low).toBeLessThan(0.75);
		expect(a.high).toBeGreaterThan(0.75);
	});

	it('agrees with index resampling of the same units (same distribution, different draws)', () => {
		const units = [...Array(40).fill(0), ...Array(10).fill(1), ...Array(35).fill(2), ...Array(15).fill(3)];
		const byIndex = bootstrap(units.length, (idx) => {
			let hits = 0;
			for (const i of idx) if (units[i] === 0 || units[i] === 2) hits++;
			return hits / idx.length;
		}, { resamples: 4000, seed: 2 });
		const byCounts = bootstrapCounts([40, 10, 35, 15], accuracy, { resamples: 4000, seed: 2 });
		// For n = 100 and p = 0.75 the 95% bounds sit near 0.66 and 0.83.
		expect(Math.abs(byCounts.low - byIndex.low)).toBeLessThanOrEqual(0.02);
		expect(Math.abs(byCounts.high - byIndex.high)).toBeLessThanOrEqual(0.02);
	});

	it('refuses counts that are not a tally', () => {
		expect(() => bootstrapCounts([1.5, 2], accuracy)).toThrow(/non-negative integers/);
		expect(() => bootstrapCounts([0, 0], accuracy)).toThrow(/positive total/);
	});
});
