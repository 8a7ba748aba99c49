/**
 * Percentile bootstrap confidence intervals with a seeded generator, so a reported interval
 * can be reproduced exactly from (data, statistic, resamples, seed, level).
 */

import { kendallKernel, pearsonKernel } from './correlation-kernels.ts';
import { quantileSorted } from './quantile.ts';
import { createRng } from './random.ts';
import { rankInto } from './ranks.ts';
import { checkFinite, checkNoNaN, checkPaired } from './validate.ts';

export interface Interval {
	/** The statistic on the original sample (indices 0..n-1). */
	estimate: number;
	/** Percentile bounds; NaN when every replicate was NaN. */
	low: number;
	high: number;
	/** Two-sided coverage, e.g. 0.95. */
	level: number;
	/** Resamples drawn (including the dropped ones). */
	resamples: number;
	seed: number;
	/** Replicates whose statistic was NaN (e.g. a constant resample): left out of the quantiles. */
	dropped: number;
	/**
	 * Why the interval is missing or needs care, in words; absent when neither. Set when too many
	 * replicates were dropped (the interval is then withheld: low and high NaN) and when the
	 * estimate lies outside its own percentile interval.
	 */
	note?: string;
}

export interface BootstrapOptions {
	resamples?: number;
	seed?: number;
	level?: number;
	/**
	 * The largest share of dropped (NaN) replicates an interval is reported with; above it the
	 * interval is withheld. Default 0.1. The kept replicates are then the resamples that happened
	 * not to be degenerate — a biased selection (for a correlation: the resamples with variation
	 * in both columns), whose percentiles can even exclude the estimate.
	 */
	maxDropped?: number;
}

interface ResolvedOptions {
	resamples: number;
	seed: number;
	level: number;
	maxDropped: number;
}

/** The default of BootstrapOptions.maxDropped. */
export const MAX_DROPPED_SHARE = 0.1;

export function resolveOptions(fn: string, opts: BootstrapOptions | undefined): ResolvedOptions {
	const resamples = opts?.resamples ?? 2000;
	const seed = opts?.seed ?? 1;
	const level = opts?.level ?? 0.95;
	const maxDropped = opts?.maxDropped ?? MAX_DROPPED_SHARE;
	if (!Number.isInteger(resamples) || resamples < 1) {
		throw new Error(`${fn}: resamples must be a positive integer, got ${String(resamples)}`);
	}
	if (!Number.isSafeInteger(seed)) {
		throw new Error(`${fn}: seed must be a safe integer, got ${String(seed)}`);
	}
	if (!(level > 0 && level < 1)) {
		throw new Error(`${fn}: level must be strictly between 0 and 1, got ${String(level)}`);
	}
	if (!(maxDropped >= 0 && maxDropped <= 1)) {
		throw new Error(`${fn}: maxDropped must be a share from 0 to 1, got ${String(maxDropped)}`);
	}
	return { resamples, seed, level, maxDropped };
}

/**
 * Bootstrap a statistic over n units (items, models, ...): each replicate draws n indices in
 * [0, n) with replacement and calls `statistic` on them.
 *
 * The statistic is first called once on the identity indices (the estimate), then once per
 * resample. The same Int32Array is reused for every resample: read it, never keep it.
 * Replicates that come out NaN are dropped and counted in `dropped`; the interval is the
 * (1-level)/2 and (1+level)/2 type-7 quantiles of the rest.
 */
export function bootstrap(
	n: number,
	statistic: (indices: Int32Array) => number,
	opts?: BootstrapOptions
): Interval {
	if (!Number.isInteger(n) || n < 1) {
		throw new Error(`bootstrap: n must be a positive integer, got ${String(n)}`);
	}
	const resolved = resolveOptions('bootstrap', opts);
	const { resamples, seed } = resolved;

	const indices = new Int32Array(n);
	for (let i = 0; i < n; i++) indices[i] = i;
	const estimate = statistic(indices);

	const rng = createRng(seed);
	const replicates = new Float64Array(resamples);
	let kept = 0;
	for (let r = 0; r < resamples; r++) {
		for (let i = 0; i < n; i++) indices[i] = Math.floor(rng() * n);
		const value = statistic(indices);
		if (!Number.isNaN(value)) replicates[kept++] = value;
	}

	return percentileInterval(estimate, replicates, kept, resolved);
}

/**
 * The interval from the first `kept` replicates (the NaN ones already left out). Withheld (low
 * and high NaN, with a note) when more than `maxDropped` of the resamples were dropped; kept
 * with a note when it excludes the estimate.
 */
export function percentileInterval(
	estimate: number,
	replicates: Float64Array,
	kept: number,
	{ resamples, seed, level, maxDropped }: ResolvedOptions
): Interval {
	const dropped = resamples - kept;
	const base = { estimate, level, resamples, seed, dropped };
	if (kept === 0) return { ...base, low: NaN, high: NaN, note: `no interval: none of the ${resamples} resamples had a value (e.g. a constant column)` };
	if (dropped > maxDropped * resamples) {
		const share = Math.round((100 * dropped) / resamples);
		return {
			...base,
			low: NaN,
			high: NaN,
			note: `interval withheld: ${dropped} of ${resamples} resamples (${share}%) had no value (e.g. a constant column); the percentiles of the rest would be biased (more than ${Math.round(100 * maxDropped)}% dropped)`
		};
	}
	const valid = replicates.subarray(0, kept).sort();
	const tail = (1 - level) / 2;
	const low = quantileSorted(valid, tail);
	const high = quantileSorted(valid, 1 - tail);
	const outside = Number.isFinite(estimate) && (estimate < low || estimate > high);
	return {
		...base,
		low,
		high,
		...(outside ? { note: 'the estimate lies outside its percentile interval: the bootstrap distribution is skewed (read the interval with care)' } : {})
	};
}

export type CorrelationMethod = 'pearson' | 'spearman' | 'kendall';

/**
 * Bootstrap CI of a correlation, resampling pairs. Resamples that come out constant in a
 * column have no correlation; they are dropped and counted (Interval.dropped), which matters
 * for small n with many ties.
 */
export function correlationCI(
	x: readonly number[],
	y: readonly number[],
	method: CorrelationMethod,
	opts?: BootstrapOptions
): Interval & { n: number; method: CorrelationMethod } {
	const fn = 'correlationCI';
	checkPaired(fn, x, y, 2);
	if (method === 'pearson') {
		checkFinite(fn, 'x', x);
		checkFinite(fn, 'y', y);
	} else if (method === 'spearman' || method === 'kendall') {
		checkNoNaN(fn, 'x', x);
		checkNoNaN(fn, 'y', y);
	} else {
		throw new Error(`${fn}: unknown method ${JSON.stringify(method)} (pearson, spearman or kendall)`);
	}
	const n = x.length;
	// Buffers allocated once and refilled for every resample.
	const sampleX = new Float64Array(n);
	const sampleY = new Float64Array(n);
	const ranksX = new Float64Array(n);
	const ranksY = new Float64Array(n);
	const order = new Int32Array(n);

	const statistic = (indices: Int32Array): number => {
		for (let i = 0; i < n; i++) {
			sampleX[i] = x[indices[i]];
			sampleY[i] = y[indices[i]];
		}
		if (method === 'pearson') return pearsonKernel(sampleX, sampleY, n);
		if (method === 'kendall') return kendallKernel(sampleX, sampleY, n);
		rankInto(sampleX, n, ranksX, order);
		rankInto(sampleY, n, ranksY, order);
		return pearsonKernel(ranksX, ranksY, n);
	};

	return { ...bootstrap(n, statistic, opts), n, method };
}
