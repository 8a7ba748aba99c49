// Which targets an annotator works through, and how far they are. Works on any target with an
// id, a set and a CWE: benchmark items and model generations alike.
import { isAnswered } from './answer.ts';
import type { Label } from './label.ts';

/** What the queue needs of a target. */
export interface QueueTarget {
	target_id: string;
	set: string;
	cwe: string;
}

export interface TargetFilter {
	/** An item set ('pearce', 'detection', …); null or '' for all. */
	set?: string | null;
	/** A CWE id ('CWE-79'); null or '' for all. */
	cwe?: string | null;
	/**
	 * A generation run id: label that run's generations instead of benchmark items
	 * (ALL_GENERATION_RUNS for every run's); null or '' for items.
	 */
	run?: string | null;
	/** A Vul-Evol run id: label that run's survivors (accept / reject); null or '' otherwise. */
	evolve?: string | null;
}

/** The `run` filter value for the generations of every run together. */
export const ALL_GENERATION_RUNS = '*';

export function filterTargets<T extends QueueTarget>(targets: readonly T[], filter: TargetFilter): T[] {
	return targets.filter((t) => (!filter.set || t.set === filter.set) && (!filter.cwe || t.cwe === filter.cwe));
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
export function nextTarget<T extends QueueTarget>(targets: readonly T[], mine: ReadonlyMap<string, Label>): T | null {
	for (const target of targets) {
		const label = mine.get(target.target_id);
		if (!isAnswered(label) && !label?.skipped) return target;
	}
	return null;
}

export function progressOf(targets: readonly QueueTarget[], mine: ReadonlyMap<string, Label>): Progress {
	let answered = 0;
	let skipped = 0;
	for (const target of targets) {
		const label = mine.get(target.target_id);
		if (isAnswered(label)) answered++;
		else if (label?.skipped) skipped++;
	}
	return { answered, skipped, total: targets.length };
}

export interface Facet {
	value: string;
	count: number;
}

/** How many targets have each value of `key`, sorted by value (CWE-9 before CWE-10). */
export function facet<T>(targets: readonly T[], key: (target: T) => string): Facet[] {
	const counts = new Map<string, number>();
	for (const target of targets) counts.set(key(target), (counts.get(key(target)) ?? 0) + 1);
	return [...counts].map(([value, n]) => ({ value, count: n })).sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
}

/** The sets and CWEs present in the targets, with counts, for the source filter. */
export function targetFacets(targets: readonly QueueTarget[]): { sets: Facet[]; cwes: Facet[] } {
	return { sets: facet(targets, (t) => t.set), cwes: facet(targets, (t) => t.cwe) };
}
