// Many annotators → one reference label per target, and how far the annotators agree.
// The paper's protocol: three annotators, majority vote, a fourth annotator on ties. Here a
// tie is flagged `needs_review` (and gets no decision) so the fourth annotator knows where to look.
import { acceptanceAgreement, acceptVoteOf, type AcceptanceAgreement } from './acceptance.ts';
import type { Label } from './label.ts';
import { byRaterCount, cohenBy, fleissOf, tallyVotes, type CohenResult, type KappaResult, type Tally } from './tally.ts';

/** What an annotator said about a target, as a vote. Skips and note-only rows cast none. */
export type Vote = 'vulnerable' | 'other_cwe' | 'not_vulnerable';
export const VOTES: readonly Vote[] = ['vulnerable', 'other_cwe', 'not_vulnerable'];

export function voteOf(label: Pick<Label, 'vulnerable' | 'other_cwe'>): Vote | null {
	if (label.vulnerable === null) return null;
	if (label.vulnerable === false) return 'not_vulnerable';
	return label.other_cwe ? 'other_cwe' : 'vulnerable';
}

export type TargetVotes = Tally<Vote>;

/**
 * One entry per target with at least one vote, in order of first appearance. Give it latest
 * labels (latestLabels), or an annotator who changed their mind votes twice.
 */
export function majorityVotes(latest: readonly Label[]): TargetVotes[] {
	return tallyVotes(latest, VOTES, voteOf);
}

export type { CohenResult, KappaResult };

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
	return byRaterCount(votes).map(([raters, entries]) => ({
		raters,
		subjects: entries.length,
		categories: 'answers',
		...fleissOf(entries.map((e) => VOTES.map((v) => e.counts[v]))),
		binary: fleissOf(entries.map((e) => [e.counts.vulnerable, e.counts.other_cwe + e.counts.not_vulnerable]))
	}));
}

/** Cohen's kappa between two annotators over the targets both voted on (three answers). */
export function cohenBetween(latest: readonly Label[], a: string, b: string): CohenResult {
	return cohenBy(latest, a, b, voteOf);
}

export interface AnnotatorCounts {
	annotator: string;
	/** Targets answered vulnerable, not vulnerable or another CWE. */
	answered: number;
	/** Vul-Evol survivors accepted or rejected (counted apart: a decision on a scenario, not an answer on code). */
	decisions: number;
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
	/** Accept / reject votes on Vul-Evol survivors, agreed on apart from the answers above. */
	acceptance: AcceptanceAgreement;
}

export function agreementSummary(latest: readonly Label[], pair?: { a: string; b: string }): AgreementSummary {
	const counts = new Map<string, AnnotatorCounts>();
	for (const label of latest) {
		const entry = counts.get(label.annotator) ?? { annotator: label.annotator, answered: 0, decisions: 0, skipped: 0 };
		if (voteOf(label) !== null) entry.answered++;
		else if (acceptVoteOf(label) !== null) entry.decisions++;
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
		cohen: pair ? cohenBetween(latest, pair.a, pair.b) : null,
		acceptance: acceptanceAgreement(latest, pair)
	};
}
