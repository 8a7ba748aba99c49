// The annotators' accept/reject votes on Vul-Evol survivors, read from the project's label file.
// One reader for `covw evolve` and the workbench's evolve run cell, so both build the same set.
import { existsSync } from 'node:fs';
import { readRegularText } from '../../engine/atomic-file.ts';
import { join } from 'node:path';
import { acceptanceVotes, type AcceptanceVotes } from '../../core/labels/acceptance.ts';
import { latestLabels } from '../../core/labels/latest.ts';
import { parseLabelLines } from './label-lines.ts';
import { LABELS_FILE } from './label-store.ts';

/** Each candidate's votes (latest label per annotator), or null when nobody has labelled anything yet. */
export function readAcceptanceVotes(dataDir: string, onWarning: (message: string) => void = () => {}): Map<string, AcceptanceVotes> | null {
	const file = join(dataDir, LABELS_FILE);
	if (!existsSync(file)) return null;
	const parsed = parseLabelLines(readRegularText(file), file);
	for (const w of parsed.warnings) onWarning(w);
	return new Map(acceptanceVotes(latestLabels(parsed.labels)).map((v) => [v.target_id, v]));
}
