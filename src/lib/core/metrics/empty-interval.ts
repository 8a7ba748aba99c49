import type { BootstrapOptions, Interval } from '../stats/bootstrap.ts';

/**
 * The interval reported when nothing can be resampled (e.g. every row of a group failed):
 * all NaN, zero resamples, so it cannot be mistaken for a real one.
 */
export function emptyInterval(opts: BootstrapOptions | undefined): Interval {
	return {
		estimate: NaN,
		low: NaN,
		high: NaN,
		level: opts?.level ?? 0.95,
		resamples: 0,
		seed: opts?.seed ?? 1,
		dropped: 0
	};
}
