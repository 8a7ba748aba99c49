/**
 * Quantile of values already sorted ascending, by linear interpolation between order
 * statistics (Hyndman & Fan type 7; numpy.percentile's default). NaN for an empty input.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
	if (!(p >= 0 && p <= 1)) throw new Error(`quantileSorted: p must be in [0, 1], got ${p}`);
	const m = sorted.length;
	if (m === 0) return NaN;
	const h = (m - 1) * p;
	const below = Math.floor(h);
	const above = Math.min(below + 1, m - 1);
	return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}
