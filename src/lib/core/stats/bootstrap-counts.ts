/**
 * Bootstrap for statistics of category counts (a confusion matrix, say). Resampling n units
 * with replacement from categories with counts c₁…c_k is exactly one multinomial draw
 * Multinomial(n; c₁/n, …, c_k/n), taken here as a chain of binomials — so a replicate costs
 * O(k·√n) instead of O(n), and 100,000 judged pairs bootstrap in milliseconds.
 *
 * Same seed, same interval; the draws differ from `bootstrap`'s index resampling, so the two
 * give slightly different (equally valid) intervals for the same data.
 */
import { binomial } from './binomial.ts';
import { percentileInterval, resolveOptions, type BootstrapOptions, type Interval } from './bootstrap.ts';
import { createRng } from './random.ts';

export function bootstrapCounts(
	counts: readonly number[],
	statistic: (counts: Float64Array) => number,
	opts?: BootstrapOptions
): Interval {
	const resolved = resolveOptions('bootstrapCounts', opts);
	const n = counts.reduce((a, b) => a + b, 0);
	if (!counts.every((c) => Number.isInteger(c) && c >= 0) || n < 1) {
		throw new Error(`bootstrapCounts: counts must be non-negative integers with a positive total, got [${counts.join(', ')}]`);
	}
	const sample = Float64Array.from(counts);
	const estimate = statistic(sample);
	const rng = createRng(resolved.seed);
	const replicates = new Float64Array(resolved.resamples);
	let kept = 0;
	for (let r = 0; r < resolved.resamples; r++) {
		let left = n;
		let mass = n; // the original count still unassigned, as a share of n
		for (let k = 0; k < counts.length - 1; k++) {
			const drawn = left === 0 || mass === 0 ? 0 : binomial(left, Math.min(1, counts[k] / mass), rng);
			sample[k] = drawn;
			left -= drawn;
			mass -= counts[k];
		}
		sample[counts.length - 1] = left;
		const value = statistic(sample);
		if (!Number.isNaN(value)) replicates[kept++] = value;
	}
	return percentileInterval(estimate, replicates, kept, resolved);
}
