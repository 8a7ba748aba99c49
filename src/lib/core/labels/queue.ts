// Which targets an annotator works through, and how far they are.
import type { Item } from '../items/item.ts';
import { isAnswered } from './answer.ts';
import type { Label } from './label.ts';

export interface TargetFilter {
	/** An item set ('pearce', 'detection', …); null or '' for all. */
	set?: string | null;
	/** A CWE id ('CWE-79'); null or '' for all. */
	cwe?: string | null;
}

export function filterTargets(items: readonly Item[], filter: TargetFilter): Item[] {
	return items.filter((item) => (!filter.set || item.set === filter.set) && (!filter.cwe || item.cwe === filter.cwe));
}

export interface Progress {
	/** Targets in the filter the annotator has answered (vulnerable or not). */
	answered: number;
	skipped: number;
	total: number;
}

/** The annotator's current label per target id. */
export function labelsOf(latest: readonly Label[], annotator: string): Map<string, Label> {
	return new Map(latest.filter((l) => l.annotator === annotator).map((l) => [l.target_id, l]));
}

/** The first target neither answered nor skipped (a note alone does not count), or null when done. */
export function nextTarget(targets: readonly Item[], mine: ReadonlyMap<string, Label>): Item | null {
	for (const item of targets) {
		const label = mine.get(item.item_id);
		if (!isAnswered(label) && !label?.skipped) return item;
	}
	return null;
}

export function progressOf(targets: readonly Item[], mine: ReadonlyMap<string, Label>): Progress {
	let answered = 0;
	let skipped = 0;
	for (const item of targets) {
		const label = mine.get(item.item_id);
		if (isAnswered(label)) answered++;
		else if (label?.skipped) skipped++;
	}
	return { answered, skipped, total: targets.length };
}

export interface Facet {
	value: string;
	count: number;
}

/** The sets and CWEs present in the items, with counts, for the source filter. */
export function targetFacets(items: readonly Item[]): { sets: Facet[]; cwes: Facet[] } {
	const count = (key: (item: Item) => string) => {
		const counts = new Map<string, number>();
		for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
		return [...counts].map(([value, n]) => ({ value, count: n })).sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
	};
	return { sets: count((i) => i.set), cwes: count((i) => i.cwe) };
}
