// The Vul-Evol quality filters as pure steps over candidate scenarios. Every candidate keeps a
// row; each filter is a column (pass / fail / skipped / unparsed / error) with its reason, and a
// candidate is accepted only when every filter passed. Filters run in order and a candidate
// that failed one is 'skipped' by the later ones (no request is spent on it).
import { normaliseText, normalisedDistance, nearDuplicates } from './similarity.ts';

export type FilterOutcome = 'pass' | 'fail' | 'skipped' | 'unparsed' | 'error';

export interface FilterCell {
	outcome: FilterOutcome;
	reason: string;
}

/** The filter columns, in the order they run ('parses': rows written before it ran lack it). */
export const FILTER_COLUMNS = ['answer', 'parses', 'differs', 'realisable', 'induces', 'not_secure'] as const;
export type FilterColumn = (typeof FILTER_COLUMNS)[number];

export type FilterCells = Record<FilterColumn, FilterCell>;

export const SKIPPED: FilterCell = { outcome: 'skipped', reason: 'an earlier filter did not pass' };

export function pass(reason: string): FilterCell {
	return { outcome: 'pass', reason };
}
export function fail(reason: string): FilterCell {
	return { outcome: 'fail', reason };
}

/** Has every column before `column` passed? */
export function passedBefore(cells: Partial<FilterCells>, column: FilterColumn): boolean {
	for (const c of FILTER_COLUMNS) {
		if (c === column) return true;
		if (cells[c]?.outcome !== 'pass') return false;
	}
	return true;
}

export function accepted(cells: FilterCells): boolean {
	return FILTER_COLUMNS.every((c) => cells[c].outcome === 'pass');
}

export interface DiffersOptions {
	/** Minimum normalised edit distance to the seed (0–1). */
	minDistance: number;
	/** Shingle Jaccard similarity at or above which a survivor is a near-duplicate. */
	duplicateSimilarity: number;
}

export const DEFAULT_DIFFERS: DiffersOptions = { minDistance: 0.1, duplicateSimilarity: 0.8 };

/**
 * "Differs from its seed": distance above the threshold, then no near-duplicate of an earlier
 * survivor (in the given order). `scenarios[i]` null = no scenario (the answer filter failed).
 */
export function differsFilter(
	candidates: readonly { seed: string; scenario: string | null; label: string }[],
	options: DiffersOptions = DEFAULT_DIFFERS
): { cell: FilterCell; distance: number | null }[] {
	const out: { cell: FilterCell; distance: number | null }[] = candidates.map((c) => {
		if (c.scenario === null) return { cell: SKIPPED, distance: null };
		const distance = normalisedDistance(c.seed, c.scenario);
		const d = distance.toFixed(3);
		if (distance <= options.minDistance) return { cell: fail(`distance to the seed ${d} ≤ ${options.minDistance}`), distance };
		return { cell: pass(`distance to the seed ${d}`), distance };
	});
	const survivors = out.flatMap((o, i) => (o.cell.outcome === 'pass' ? [i] : []));
	const dups = nearDuplicates(survivors.map((i) => candidates[i].scenario!), options.duplicateSimilarity);
	for (const [k, dup] of dups.entries()) {
		if (!dup) continue;
		const i = survivors[k];
		const of = candidates[survivors[dup.of]].label;
		out[i].cell = fail(`near-duplicate of ${of} (shingle similarity ${dup.similarity.toFixed(3)} ≥ ${options.duplicateSimilarity})`);
	}
	return out;
}

const COMMENT = /^(#|\/\/|\/\*|\*)/;

/**
 * "Realisable": a completion of the scenario adds code beyond it — at least one line that is
 * not blank, not a comment and not already a line of the scenario.
 */
export function realisableFilter(scenario: string, completionCode: string | null): FilterCell {
	if (completionCode === null || completionCode.trim() === '') return fail('the completion has no code');
	const known = new Set(normaliseText(scenario).split('\n'));
	const added = normaliseText(completionCode)
		.split('\n')
		.filter((l) => !known.has(l) && !COMMENT.test(l));
	if (added.length === 0) return fail('the completion adds no code beyond the scenario');
	return pass(`the completion adds ${added.length} line(s) of code`);
}
