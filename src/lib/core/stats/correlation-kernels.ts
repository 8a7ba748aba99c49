/**
 * Unchecked correlation kernels over the first n entries of array-likes. The public,
 * validated functions live in correlation.ts; the bootstrap calls these directly on reused
 * buffers so that 2,000 resamples cost no allocations.
 */

function isConstant(values: ArrayLike<number>, n: number): boolean {
	const first = values[0];
	for (let i = 1; i < n; i++) if (values[i] !== first) return false;
	return true;
}

/** Pearson's r; NaN when either column is constant (the correlation is undefined). */
export function pearsonKernel(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
	// An exact test: a constant column's mean need not equal its value in floating point,
	// which would leave a tiny non-zero variance and a meaningless r.
	if (isConstant(x, n) || isConstant(y, n)) return NaN;
	let sumX = 0;
	let sumY = 0;
	for (let i = 0; i < n; i++) {
		sumX += x[i];
		sumY += y[i];
	}
	const meanX = sumX / n;
	const meanY = sumY / n;
	let sxx = 0;
	let syy = 0;
	let sxy = 0;
	for (let i = 0; i < n; i++) {
		const dx = x[i] - meanX;
		const dy = y[i] - meanY;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	const r = sxy / Math.sqrt(sxx * syy);
	// Rounding can push |r| a hair past 1.
	return Math.max(-1, Math.min(1, r));
}

/**
 * Kendall's tau-b: (C - D) / sqrt((n0 - n1)(n0 - n2)), where n1 and n2 count the pairs tied
 * in x and in y (pairs tied in both count in both). O(n^2): fine for tables of models and for
 * a few thousand items; NaN when either column is constant.
 */
export function kendallKernel(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
	let concordant = 0;
	let discordant = 0;
	let tiedXOnly = 0;
	let tiedYOnly = 0;
	for (let i = 0; i < n - 1; i++) {
		const xi = x[i];
		const yi = y[i];
		for (let j = i + 1; j < n; j++) {
			const dx = xi < x[j] ? -1 : xi > x[j] ? 1 : 0;
			const dy = yi < y[j] ? -1 : yi > y[j] ? 1 : 0;
			if (dx === 0) {
				if (dy !== 0) tiedXOnly++;
			} else if (dy === 0) {
				tiedYOnly++;
			} else if (dx === dy) {
				concordant++;
			} else {
				discordant++;
			}
		}
	}
	// n0 - n1 = pairs not tied in x = C + D + (tied in y only); likewise for y.
	const untiedX = concordant + discordant + tiedYOnly;
	const untiedY = concordant + discordant + tiedXOnly;
	if (untiedX === 0 || untiedY === 0) return NaN;
	const tau = (concordant - discordant) / Math.sqrt(untiedX * untiedY);
	return Math.max(-1, Math.min(1, tau));
}
