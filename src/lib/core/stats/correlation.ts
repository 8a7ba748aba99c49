/**
 * Correlation coefficients for comparing how tasks or evaluators rank models (the paper's
 * Figures 4 and 5). All return NaN when the coefficient is undefined (a constant column) and
 * throw on a length mismatch, fewer than 2 pairs, or NaN input.
 */

import { kendallKernel, pearsonKernel } from './correlation-kernels.ts';
import { averageRanks } from './ranks.ts';
import { checkFinite, checkNoNaN, checkPaired } from './validate.ts';

/** Pearson's product-moment r (scipy.stats.pearsonr's statistic). Values must be finite. */
export function pearson(x: readonly number[], y: readonly number[]): number {
	checkPaired('pearson', x, y, 2);
	checkFinite('pearson', 'x', x);
	checkFinite('pearson', 'y', y);
	return pearsonKernel(x, y, x.length);
}

/** Spearman's rho: Pearson's r on average ranks (scipy.stats.spearmanr, ties included). */
export function spearman(x: readonly number[], y: readonly number[]): number {
	checkPaired('spearman', x, y, 2);
	checkNoNaN('spearman', 'x', x);
	checkNoNaN('spearman', 'y', y);
	return pearsonKernel(averageRanks(x), averageRanks(y), x.length);
}

/** Kendall's tau-b, tie-corrected (scipy.stats.kendalltau's default variant). */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
	checkPaired('kendallTauB', x, y, 2);
	checkNoNaN('kendallTauB', 'x', x);
	checkNoNaN('kendallTauB', 'y', y);
	return kendallKernel(x, y, x.length);
}
