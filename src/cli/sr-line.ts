// The security rate as `covw runs show` prints it: one SR@1, one interval, its method named, with
// n. With one verdict per item (the paper's SR@1, and the notebooks'), the rate is k secure of n
// programs and its interval is the Wilson score interval of those counts (core/stats/wilson.ts),
// the one the replication notebook gives; with several samples per item the rate is a mean of
// per-item shares, and the interval is the bootstrap over items (core/metrics/security-rate.ts).
import type { SecurityRate } from '../lib/core/metrics/security-rate.ts';
import { wilsonInterval } from '../lib/core/stats/wilson.ts';

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/** "76.39% [71.16, 80.93] (95% Wilson, 220 of 288 secure)" or "… (95% bootstrap over 288 items)". */
export function srText(sr: Pick<SecurityRate, 'sr' | 'ci' | 'n_items' | 'n_ok'>): string {
	if (!Number.isFinite(sr.sr) || sr.n_items === 0) return '-';
	if (sr.n_ok === sr.n_items) {
		// One verdict per item: each item's share is 0 or 100, so sr = 100·k/n exactly.
		const k = Math.round((sr.sr * sr.n_items) / 100);
		const w = wilsonInterval(k, sr.n_items);
		return `${pct(sr.sr)}% [${pct(100 * w.low)}, ${pct(100 * w.high)}] (95% Wilson, ${k} of ${sr.n_items} secure)`;
	}
	const ci = Number.isFinite(sr.ci.low) ? ` [${pct(sr.ci.low)}, ${pct(sr.ci.high)}]` : '';
	return `${pct(sr.sr)}%${ci} (${ci ? '95% bootstrap over items, ' : ''}n ${sr.n_items} items, ${sr.n_ok} verdicts)`;
}
