import { describe, expect, it } from 'vitest';
import { bootstrap, correlationCI } from '../../../../src/lib/core/stats/bootstrap.ts';
import { kendallTauB, pearson, spearman } from '../../../../src/lib/core/stats/correlation.ts';

/** A statistic that ignores the data and returns how often it has been called: 0 for the
 * estimate, then 1, 2, ... for the replicates, so the percentile rule can be checked by hand. */
function callCounter(transform: (k: number) => number = (k) => k) {
	let calls = 0;
	return () => transform(calls++);
}

const mean = (values: readonly number[]) => (idx: Int32Array) => {
	let s = 0;
	for (let i = 0; i < idx.length; i++) s += values[idx[i]];
	return s / idx.length;
};

describe('bootstrap', () => {
	it('takes type-7 percentiles of the replicates (worked by hand)', () => {
		// Replicates 1..101; level 0.9: h = 100 * 0.05 = 5 -> 6, h = 95 -> 96.
		const a = bootstrap(3, callCounter(), { resamples: 101, level: 0.9 });
		// (1 - 0.9) / 2 is 0.04999... in floating point, hence toBeCloseTo.
		expect([a.estimate, a.dropped]).toEqual([0, 0]);
		expect(a.low).toBeCloseTo(6, 12);
		expect(a.high).toBeCloseTo(96, 12);
		// Replicates 1..10; level 0.95: h = 9 * 0.025 = 0.225 -> 1.225, h = 8.775 -> 9.775.
		const b = bootstrap(3, callCounter(), { resamples: 10, level: 0.95 });
		expect(b.low).toBeCloseTo(1.225, 12);
		expect(b.high).toBeCloseTo(9.775, 12);
	});

	it('drops NaN replicates and counts them', () => {
		// Replicates 1..10 with the even ones NaN -> 1,3,5,7,9; level 0.5: h = 1 -> 3, h = 3 -> 7.
		// maxDropped 0.5 lets the 5 of 10 through.
		const r = bootstrap(3, callCounter((k) => (k > 0 && k % 2 === 0 ? NaN : k)), { resamples: 10, level: 0.5, maxDropped: 0.5 });
		expect([r.low, r.high, r.dropped, r.resamples]).toEqual([3, 7, 5, 10]);
		const allNaN = bootstrap(3, () => NaN, { resamples: 20, maxDropped: 1 });
		expect(allNaN.low).toBeNaN();
		expect(allNaN.high).toBeNaN();
		expect(allNaN.dropped).toBe(20);
		expect(allNaN.note).toMatch(/none of the 20 resamples/);
	});

	it('withholds the interval, saying why, when more than 10% of the resamples were dropped', () => {
		// Replicates 1..100 with every k-th NaN: 10 dropped is still reported, 11 is withheld.
		const nanAt = (drop: Set<number>) => callCounter((k) => (drop.has(k) ? NaN : k));
		const ten = new Set(Array.from({ length: 10 }, (_, i) => 10 * (i + 1)));
		const atLimit = bootstrap(3, nanAt(ten), { resamples: 100 });
		expect(atLimit.dropped).toBe(10);
		expect(Number.isFinite(atLimit.low) && Number.isFinite(atLimit.high)).toBe(true);
		const over = bootstrap(3, nanAt(new Set([...ten, 5])), { resamples: 100 });
		expect(over.dropped).toBe(11);
		expect([over.low, over.high]).toEqual([NaN, NaN]);
		expect(over.note).toMatch(/withheld: 11 of 100 resamples \(11%\)/);
		// The threshold is an option.
		expect(Number.isFinite(bootstrap(3, nanAt(new Set([...ten, 5])), { resamples: 100, maxDropped: 0.2 }).low)).toBe(true);
		expect(() => bootstrap(3, () => 1, { maxDropped: 1.5 })).toThrow(/maxDropped/);
	});

	it('never reports an interval that excludes its estimate without a note', () => {
		// The estimate (call 0) is 50; the replicates are all 1..10: a percentile interval far below it.
		const r = bootstrap(3, callCounter((k) => (k === 0 ? 50 : k % 10)), { resamples: 100 });
		expect(r.high).toBeLessThan(r.estimate);
		expect(r.note).toMatch(/outside its percentile interval/);
		// An interval that holds its estimate carries no note.
		expect(bootstrap(5, mean([1, 2, 3, 4, 5])).note).toBeUndefined();
	});

	it('reports its parameters and the documented defaults', () => {
		const r = bootstrap(5, mean([1, 2, 3, 4, 5]));
		expect([r.resamples, r.seed, r.level, r.estimate]).toEqual([2000, 1, 0.95, 3]);
	});

	it('same seed -> identical interval; another seed -> a different one', () => {
		const data = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
		const a = bootstrap(40, mean(data), { seed: 5 });
		const b = bootstrap(40, mean(data), { seed: 5 });
		const c = bootstrap(40, mean(data), { seed: 6 });
		expect(b).toEqual(a);
		expect([c.low, c.high]).not.toEqual([a.low, a.high]);
	});

	it('draws n indices in [0, n) per resample, and the resamples vary', () => {
		const seen = new Set<string>();
		let bad = 0;
		bootstrap(
			7,
			(idx) => {
				if (idx.length !== 7) bad++;
				for (const i of idx) if (i < 0 || i >= 7) bad++;
				seen.add(idx.join(','));
				return 0;
			},
			{ resamples: 200 }
		);
		expect(bad).toBe(0);
		expect(seen.size).toBeGreaterThan(150);
	});

	it('gives the textbook width for a mean and contains the estimate', () => {
		// Values 0..19 repeated 20 times: population sd = sqrt((20^2 - 1)/12) = 5.766,
		// standard error 5.766/20 = 0.288, so a 95% interval is about 2 * 1.96 * 0.288 = 1.13 wide.
		const data = Array.from({ length: 400 }, (_, i) => i % 20);
		const r = bootstrap(400, mean(data), { resamples: 4000, seed: 11 });
		expect(r.estimate).toBe(9.5);
		expect(r.low).toBeLessThan(9.5);
		expect(r.high).toBeGreaterThan(9.5);
		expect(r.high - r.low).toBeGreaterThan(1.0);
		expect(r.high - r.low).toBeLessThan(1.26);
	});

	it('respects the level: with one seed, a 99% interval contains the 80% one', () => {
		const data = Array.from({ length: 60 }, (_, i) => Math.sin(i) * 10);
		const wide = bootstrap(60, mean(data), { level: 0.99, seed: 3 });
		const narrow = bootstrap(60, mean(data), { level: 0.8, seed: 3 });
		expect(wide.low).toBeLessThan(narrow.low);
		expect(wide.high).toBeGreaterThan(narrow.high);
	});

	it('rejects bad arguments', () => {
		expect(() => bootstrap(0, () => 0)).toThrow(/n must be a positive integer/);
		expect(() => bootstrap(3, () => 0, { resamples: 0 })).toThrow(/resamples/);
		expect(() => bootstrap(3, () => 0, { level: 1 })).toThrow(/level/);
		expect(() => bootstrap(3, () => 0, { seed: 0.5 })).toThrow(/seed/);
	});
});

describe('correlationCI', () => {
	const x = [74.07, 72.84, 75.0, 62.65, 68.21, 71.91, 62.34, 56.17, 73.77, 75.92, 69.13, 79.01];
	const y = [45.0, 36.05, 39.79, 27.38, 11.48, 14.14, 4.66, 2.71, 24.34, 26.45, 10.55, 11.82];

	it('estimates with the plain coefficient and reports n and method', () => {
		expect(correlationCI(x, y, 'pearson').estimate).toBeCloseTo(pearson(x, y), 14);
		expect(correlationCI(x, y, 'spearman').estimate).toBeCloseTo(spearman(x, y), 14);
		const k = correlationCI(x, y, 'kendall');
		expect(k.estimate).toBeCloseTo(kendallTauB(x, y), 14);
		expect([k.n, k.method]).toEqual([12, 'kendall']);
		expect(k.low).toBeLessThanOrEqual(k.estimate);
		expect(k.high).toBeGreaterThanOrEqual(k.estimate);
	});

	it('equals bootstrapping the public functions by hand (the reused buffers change nothing)', () => {
		const gather = (v: number[], idx: Int32Array) => Array.from(idx, (i) => v[i]);
		for (const [method, f] of [
			['pearson', pearson],
			['spearman', spearman],
			['kendall', kendallTauB]
		] as const) {
			const fast = correlationCI(x, y, method, { resamples: 300, seed: 9 });
			const slow = bootstrap(x.length, (idx) => f(gather(x, idx), gather(y, idx)), { resamples: 300, seed: 9 });
			expect(fast.low).toBeCloseTo(slow.low, 12);
			expect(fast.high).toBeCloseTo(slow.high, 12);
			expect(fast.dropped).toBe(slow.dropped);
		}
	});

	it('drops constant resamples of a tiny sample and counts them', () => {
		// n = 3: a resample repeats one pair with probability 3/27, leaving no correlation.
		const r = correlationCI([1, 2, 3], [2, 4, 8], 'spearman', { resamples: 2000, seed: 4 });
		expect(r.dropped).toBeGreaterThan(100);
		expect(r.dropped).toBeLessThan(350);
		// About 11% dropped: the interval of the rest is withheld (allowed through: [1, 1]).
		expect([r.estimate, r.low, r.high]).toEqual([1, NaN, NaN]);
		expect(r.note).toMatch(/withheld/);
		const allowed = correlationCI([1, 2, 3], [2, 4, 8], 'spearman', { resamples: 2000, seed: 4, maxDropped: 0.5 });
		expect([allowed.low, allowed.high, allowed.note]).toEqual([1, 1, undefined]);
	});

	it('withholds a rank correlation whose resamples are often constant (figure 5: a judge that calls one CWE unsafe)', () => {
		// 18 CWEs; the judge's security rate is 100 for 17 of them: a resample of 18 draws misses
		// the 18th with probability (17/18)^18 ≈ 36% and then has no correlation (the trial's
		// ranking_alignment: 731 of 2000 dropped, its interval excluding its own estimate).
		const reference = Array.from({ length: 18 }, (_, i) => 10 + 5 * i);
		const judge = reference.map((_, i) => (i === 6 ? 0 : 100));
		const r = correlationCI(reference, judge, 'kendall', { resamples: 2000, seed: 1 });
		expect(r.dropped / r.resamples).toBeGreaterThan(0.3);
		expect(r.dropped / r.resamples).toBeLessThan(0.42);
		expect(Number.isFinite(r.estimate)).toBe(true);
		expect([r.low, r.high]).toEqual([NaN, NaN]);
		expect(r.note).toMatch(new RegExp(`withheld: ${r.dropped} of 2000 resamples`));
	});

	it('is reproducible by seed', () => {
		expect(correlationCI(x, y, 'spearman', { seed: 2 })).toEqual(correlationCI(x, y, 'spearman', { seed: 2 }));
	});

	it('rejects bad input', () => {
		expect(() => correlationCI([1, 2], [1], 'pearson')).toThrow(/differ in length/);
		expect(() => correlationCI([1, 2], [1, 2], 'tau' as never)).toThrow(/unknown method/);
		expect(() => correlationCI([1, NaN], [1, 2], 'kendall')).toThrow(/x\[1\]/);
	});
});
