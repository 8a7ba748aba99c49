// Votes per target over any set of answers (vulnerability answers, accept/reject), and the
// agreement numbers that work on any of them: majority with ties flagged, Fleiss' kappa per
// group of targets with the same number of raters, Cohen's kappa for a pair, percent agreement.
import { cohenKappa, fleissKappa } from '../stats/agreement.ts';
import type { Label } from './label.ts';

export interface Tally<C extends string> {
	target_id: string;
	counts: Record<C, number>;
	/** Annotators who voted, sorted. */
	annotators: string[];
	/** The answer with strictly more votes than any other; null on a tie. */
	decision: C | null;
	needs_review: boolean;
}

/** One entry per target with at least one vote, in order of first appearance (give it latest labels). */
export function tallyVotes<C extends string>(latest: readonly Label[], categories: readonly C[], vote: (label: Label) => C | null): Tally<C>[] {
	const byTarget = new Map<string, Tally<C>>();
	for (const label of latest) {
		const v = vote(label);
		if (v === null) continue;
		let entry = byTarget.get(label.target_id);
		if (!entry) {
			const counts = Object.fromEntries(categories.map((c) => [c, 0])) as Record<C, number>;
			entry = { target_id: label.target_id, counts, annotators: [], decision: null, needs_review: false };
			byTarget.set(label.target_id, entry);
		}
		entry.counts[v]++;
		entry.annotators.push(label.annotator);
	}
	for (const entry of byTarget.values()) {
		entry.annotators.sort();
		const top = Math.max(...categories.map((c) => entry.counts[c]));
		const leaders = categories.filter((c) => entry.counts[c] === top);
		entry.decision = leaders.length === 1 ? leaders[0] : null;
		entry.needs_review = leaders.length > 1;
	}
	return [...byTarget.values()];
}

export interface KappaResult {
	kappa: number | null;
	/** Why kappa is null (too few subjects, or every rating the same). */
	reason?: string;
}

/** Fleiss' kappa of rows of counts (same number of raters on each), null with a reason when undefined. */
export function fleissOf(counts: number[][]): KappaResult {
	const kappa = fleissKappa(counts);
	if (Number.isNaN(kappa)) return { kappa: null, reason: 'every rating is the same answer: agreement beyond chance is undefined' };
	return { kappa };
}

/** Groups targets by how many annotators voted (2 or more), fewest raters first. */
export function byRaterCount<C extends string>(votes: readonly Tally<C>[]): [number, Tally<C>[]][] {
	const groups = new Map<number, Tally<C>[]>();
	for (const entry of votes) {
		const raters = entry.annotators.length;
		if (raters < 2) continue;
		groups.set(raters, [...(groups.get(raters) ?? []), entry]);
	}
	return [...groups.entries()].sort((a, b) => a[0] - b[0]);
}

export interface PercentAgreement {
	/** Annotator pairs over all targets with two or more votes. */
	pairs: number;
	/** Of those, pairs that gave the same answer. */
	agreeing: number;
	/** agreeing / pairs; null without any pair. */
	percent: number | null;
}

/** Pairwise percent agreement: over every target, every pair of its annotators, the share that agree. */
export function percentAgreement<C extends string>(votes: readonly Tally<C>[], categories: readonly C[]): PercentAgreement {
	let pairs = 0;
	let agreeing = 0;
	for (const entry of votes) {
		const n = entry.annotators.length;
		pairs += (n * (n - 1)) / 2;
		for (const c of categories) agreeing += (entry.counts[c] * (entry.counts[c] - 1)) / 2;
	}
	return { pairs, agreeing, percent: pairs === 0 ? null : (100 * agreeing) / pairs };
}

export interface CohenResult extends KappaResult {
	a: string;
	b: string;
	/** Targets both annotators answered. */
	subjects: number;
	agreed: number;
}

/** Cohen's kappa between two annotators over the targets both voted on. */
export function cohenBy<C extends string>(latest: readonly Label[], a: string, b: string, vote: (label: Label) => C | null): CohenResult {
	const votesOf = (annotator: string) => new Map(latest.filter((l) => l.annotator === annotator && vote(l) !== null).map((l) => [l.target_id, vote(l)!]));
	const votesA = votesOf(a);
	const votesB = votesOf(b);
	const ratingsA: C[] = [];
	const ratingsB: C[] = [];
	for (const [target, v] of votesA) {
		const other = votesB.get(target);
		if (other === undefined) continue;
		ratingsA.push(v);
		ratingsB.push(other);
	}
	const agreed = ratingsA.filter((v, i) => v === ratingsB[i]).length;
	const base = { a, b, subjects: ratingsA.length, agreed };
	if (ratingsA.length === 0) return { ...base, kappa: null, reason: `${a} and ${b} have answered no target in common` };
	const kappa = cohenKappa(ratingsA, ratingsB);
	if (Number.isNaN(kappa)) return { ...base, kappa: null, reason: 'both gave one and the same answer throughout: agreement beyond chance is undefined' };
	return { ...base, kappa };
}
