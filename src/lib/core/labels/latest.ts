// History is kept; the current label of an annotator on a target is the latest one given.
import type { Label } from './label.ts';

export const labelKey = (label: Pick<Label, 'target_id' | 'annotator'>) =>
	JSON.stringify([label.target_id, label.annotator]);

/**
 * The latest label per (target_id, annotator): the greatest `at`, and among equal times the one
 * given last (later in `labels`). Comparing times, not only file order, makes re-importing an
 * older export harmless: it cannot override labels given since. Result in order of first
 * appearance of each key.
 */
export function latestLabels(labels: readonly Label[]): Label[] {
	const latest = new Map<string, { label: Label; time: number }>();
	for (const label of labels) {
		const key = labelKey(label);
		const time = Date.parse(label.at);
		const current = latest.get(key);
		if (!current || time >= current.time) latest.set(key, { label, time });
	}
	return [...latest.values()].map((entry) => entry.label);
}
