// Many annotators → one reference label per target, and how far the annotators agree.
// The paper's protocol: three annotators, majority vote, a fourth annotator on ties. Here a
// tie is flagged `needs_review` (and gets no decision) so the fourth annotator knows where to look.
import { cohenKappa, fleissKappa } from '../stats/agreement.ts';
import type { Label } from './label.ts';

/** What an annotator said about a target, as a vote. Skips and note-only rows cast none. */
export type Vote = 'vulnerable' | 'other_cwe' | 'not_vulnerable';
export const VOTES: readonly Vote[] = ['vulnerable', 'other_cwe', 'not_vulnerable'];

export function voteOf(label: Pick<Label, 'vulnerable' | 'other_cwe'>): Vote | null {
	if (label.vulnerable === null) return null;
	if (label.vulnerable === false) return 'not_vulnerable';
	return label.other_cwe ? 'other_cwe' : 'vulnerable';
}

export interface TargetVotes {
	target_id: string;
	counts: Record<Vote, number>;
	/** Annotators who voted, sorted. */
	annotators: string[];
	/** The vote with strictly more votes than any other; null on a tie. */
	decision: Vote | null;
	needs_review: boolean;
}

/**
 * One entry per target with at least one vote, in order of first appearance. Give it latest
 * labels (latestLabels), or an annotator who changed their mind votes twice.
 */
export function majorityVotes(latest: readonly Label[]): TargetVotes[] {
	const byTarget = new Map<string, TargetVotes>();
	for (const label of latest) {
		const vote = voteOf(label);
		if (vote === null) continue;
		let entry = byTarget.get(label.target_id);
		if (!entry) {
			entry = {
				target_id: label.target_id,
				counts: { vulnerable: 0, other_cwe: 0, not_vulnerable: 0 },
				annotators: [],
				decision: null,
				needs_review: false
			};
			byTarget.set(label.target_id, entry);
		}
		entry.counts[vote]++;
		entry.annotators.push(label.annotator);
	}
	for (const entry of byTarget.values()) {
		entry.annotators.sort();
		const top = Math.max(...VOTES.map((v) => entry.counts[v]));
		const leaders = VOTES.filter((v) => entry.counts[v] === top);
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

export interface FleissGroup extends KappaResult {
	/** Fleiss' kappa needs the same number of raters on every subject: one group per count. */
	raters: number;
	subjects: number;
	/** Over the three answers (vulnerable, other CWE, not vulnerable). */
	categories: 'answers';
	/** The same targets, two categories: has the target's CWE (vulnerable) or not. */
	binary: KappaResult;
}

/** Fleiss' kappa per group of targets with the same number of raters (2 or more), fewest raters first. */
export function fleissByRaterCount(votes: readonly TargetVotes[]): FleissGroup[] {
	const groups = new Map<number, TargetVotes[]>();
	for (const entry of votes) {
		const raters = entry.annotators.length;
		if (raters < 2) continue;
		groups.set(raters, [...(groups.get(raters) ?? []), entry]);
	}
	return [...groups.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([raters, entries]) => ({
			raters,
			subjects: entries.length,
			categories: 'answers',
			...fleiss(entries.map((e) => VOTES.map((v) => e.counts[v]))),
			binary: fleiss(entries.map((e) => [e.counts.vulnerable, e.counts.other_cwe + e.counts.not_vulnerable]))
		}));
}

function fleiss(counts: number[][]): KappaResult {
	const kappa = fleissKappa(counts);
	if (Number.isNaN(kappa)) return { kappa: null, reason: 'every rating is the same answer: agreement beyond chance is undefined' };
	return { kappa };
}

export interface CohenResult extends KappaResult {
	a: string;
	b: string;
	/** Targets both annotators answered. */
	subjects: number;
	agreed: number;
}

/** Cohen's kappa between two annotators over the targets both voted on (three answers). */
export function cohenBetween(latest: readonly Label[], a: string, b: string): CohenResult {
	const votesOf = (annotator: string) =>
		new Map(latest.filter((l) => l.annotator === annotator && voteOf(l) !== null).map((l) => [l.target_id, voteOf(l)!]));
	const votesA = votesOf(a);
	const votesB = votesOf(b);
	const ratingsA: Vote[] = [];
	const ratingsB: Vote[] = [];
	for (const [target, vote] of votesA) {
		const other = votesB.get(target);
		if (other === undefined) continue;
		ratingsA.push(vote);
		ratingsB.push(other);
	}
	const agreed = ratingsA.filter((vote, i) => vote === ratingsB[i]).length;
	const base = { a, b, subjects: ratingsA.length, agreed };
	if (ratingsA.length === 0) return { ...base, kappa: null, reason: `${a} and ${b} have answered no target in common` };
	const kappa = cohenKappa(ratingsA, ratingsB);
	if (Number.isNaN(kappa)) return { ...base, kappa: null, reason: 'both gave one and the same answer throughout: agreement beyond chance is undefined' };
	return { ...base, kappa };
}

export interface AnnotatorCounts {
	annotator: string;
	answered: number;
	skipped: number;
}

export interface AgreementSummary {
	annotators: AnnotatorCounts[];
	/** Targets with at least one vote. */
	targets: number;
	decided: number;
	/** Targets whose top answers tie, for another annotator to settle. */
	needs_review: TargetVotes[];
	fleiss: FleissGroup[];
	cohen: CohenResult | null;
}

export function agreementSummary(latest: readonly Label[], pair?: { a: string; b: string }): AgreementSummary {
	const counts = new Map<string, AnnotatorCounts>();
	for (const label of latest) {
		const entry = counts.get(label.annotator) ?? { annotator: label.annotator, answered: 0, skipped: 0 };
		if (voteOf(label) !== null) entry.answered++;
		else if (label.skipped) entry.skipped++;
		counts.set(label.annotator, entry);
	}
	const votes = majorityVotes(latest);
	return {
		annotators: [...counts.values()].sort((x, y) => x.annotator.localeCompare(y.annotator)),
		targets: votes.length,
		decided: votes.filter((v) => v.decision !== null).length,
		needs_review: votes.filter((v) => v.needs_review),
		fleiss: fleissByRaterCount(votes),
		cohen: pair ? cohenBetween(latest, pair.a, pair.b) : null
	};
}
