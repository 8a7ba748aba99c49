// The Wilson score interval of a binomial proportion (k successes in n trials): unlike a
// bootstrap of the same counts, it has width on tiny n and at 0% or 100% (0 of 5 secure gives
// [0, 43.4%], not [0, 0]). Pure; 95% by default (z of the normal's 97.5% quantile).

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface ProportionInterval {
	/** k / n; NaN when n is 0. */
	estimate: number;
	low: number;
	high: number;
	k: number;
	n: number;
}

export function wilsonInterval(k: number, n: number, z = Z95): ProportionInterval {
	if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilsonInterval: n must be a non-negative integer, got ${n}`);
	if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`wilsonInterval: k must be an integer from 0 to n (${n}), got ${k}`);
	if (n === 0) return { estimate: NaN, low: NaN, high: NaN, k, n };
	const p = k / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { estimate: p, low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half), k, n };
}
