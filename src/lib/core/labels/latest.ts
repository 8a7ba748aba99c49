// History is kept; the current label of an annotator on a target is the last one given.
import type { Label } from './label.ts';

export const labelKey = (label: Pick<Label, 'target_id' | 'annotator'>) =>
	JSON.stringify([label.target_id, label.annotator]);

/**
 * The current label per (target_id, annotator): the LAST one in `labels` (the history, in the
 * order written — append order), whatever its `at`. Result in order of first appearance of each key.
 *
 * Why not the greatest `at`: `at` is data a file can carry — a colleague's CSV that uses your
 * annotator name, a hand-edited labels.jsonl, a clock that runs ahead. One label dated 2099 then
 * hid every later answer of that annotator on that target for 70 years: each new answer was
 * saved to the history but never became current. The order of the append-only history is the one
 * thing only the store writes. Re-importing an export stays harmless: its rows are already in the
 * history, so the store does not append them again (LabelStore.addNew); a file's row that is NOT
 * there yet is a label given now, whatever time it names, and becomes current.
 */
export function latestLabels(labels: readonly Label[]): Label[] {
	const latest = new Map<string, Label>();
	for (const label of labels) latest.set(labelKey(label), label);
	return [...latest.values()];
}
