/** Ranking with ties, the basis of Spearman's correlation. */

import { checkNoNaN } from './validate.ts';

/**
 * 1-based ranks; tied values share the mean of the ranks they span
 * (scipy.stats.rankdata(method='average')). Infinities rank normally; NaN throws.
 */
export function averageRanks(values: readonly number[]): number[] {
	checkNoNaN('averageRanks', 'values', values);
	const n = values.length;
	const out = new Float64Array(n);
	rankInto(values, n, out, new Int32Array(n));
	return Array.from(out);
}

/**
 * Unchecked kernel: writes the average ranks of values[0..n) into out, using order as
 * scratch. Lets the bootstrap rank thousands of resamples without allocating arrays.
 */
export function rankInto(values: ArrayLike<number>, n: number, out: Float64Array, order: Int32Array): void {
	for (let i = 0; i < n; i++) order[i] = i;
	// Comparisons, not subtraction: Infinity - Infinity would be NaN and break the sort.
	const view = n === order.length ? order : order.subarray(0, n);
	view.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
	let start = 0;
	while (start < n) {
		let end = start + 1;
		while (end < n && values[view[end]] === values[view[start]]) end++;
		// Positions start..end-1 hold equal values; their 1-based ranks average to this.
		const rank = (start + end + 1) / 2;
		for (let k = start; k < end; k++) out[view[k]] = rank;
		start = end;
	}
}
