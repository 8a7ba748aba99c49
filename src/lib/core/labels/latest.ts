// History is kept; the current label of an annotator on a target is the latest one given.
import type { Label } from './label.ts';

export const labelKey = (label: Pick<Label, 'target_id' | 'annotator'>) =>
	JSON.stringify([label.target_id, label.annotator]);

/** How far ahead of now an `at` may be (clocks differ a little); a later one is refused or ignored. */
export const FUTURE_AT_SLACK_MS = 5 * 60_000;

/** Whether `at` is more than FUTURE_AT_SLACK_MS after `nowMs`. */
export function isFutureAt(at: string, nowMs: number = Date.now()): boolean {
	return Date.parse(at) > nowMs + FUTURE_AT_SLACK_MS;
}

/**
 * The latest label per (target_id, annotator): the greatest `at`, and among equal times the one
 * written last (later in `labels`, the history in append order). Comparing times, not only file
 * order, keeps an older import or a merged export from rolling back a newer answer.
 *
 * A label dated more than 5 minutes after `nowMs` (a hand-edited line, a clock far ahead; the CSV
 * import refuses such rows) is never current: one label dated 2099 would otherwise hide every
 * later answer of that annotator on that target. It stays in the history (readLabelLines warns).
 * Result in order of first appearance of each key.
 */
export function latestLabels(labels: readonly Label[], nowMs: number = Date.now()): Label[] {
	const latest = new Map<string, { label: Label; time: number }>();
	for (const label of labels) {
		const time = Date.parse(label.at);
		if (time > nowMs + FUTURE_AT_SLACK_MS) continue;
		const key = labelKey(label);
		const current = latest.get(key);
		if (!current || time >= current.time) latest.set(key, { label, time });
	}
	return [...latest.values()].map((entry) => entry.label);
}
