// Human acceptance of Vul-Evol survivors: each annotator accepts or rejects an evolved scenario
// (with a reason); the majority decides, a tie is reported and decides nothing. Agreement on
// accept/reject: percent agreement, Fleiss' kappa per rater count, Cohen's kappa for a pair.
import { DECISIONS, REJECT_REASONS, type Decision, type Label, type RejectReason } from './label.ts';
import { byRaterCount, cohenBy, fleissOf, percentAgreement, tallyVotes, type CohenResult, type KappaResult, type PercentAgreement, type Tally } from './tally.ts';

export type AcceptanceVotes = Tally<Decision>;

export function acceptVoteOf(label: Pick<Label, 'decision'>): Decision | null {
	return label.decision ?? null;
}

/** Accept/reject votes per survivor (latest labels only), in order of first appearance. */
export function acceptanceVotes(latest: readonly Label[]): AcceptanceVotes[] {
	return tallyVotes(latest, DECISIONS, acceptVoteOf);
}

export interface AcceptanceFleiss extends KappaResult {
	raters: number;
	subjects: number;
	/** Percent agreement among the pairs of this group. */
	agreement: PercentAgreement;
}

export interface AcceptanceAgreement {
	/** Survivors with at least one accept/reject vote. */
	targets: number;
	accepted: number;
	rejected: number;
	/** Ties: no majority, for another annotator to settle. */
	needs_review: AcceptanceVotes[];
	/** Over every survivor with two or more votes. */
	agreement: PercentAgreement;
	fleiss: AcceptanceFleiss[];
	/** Cohen's kappa (accept/reject) for the chosen pair, when one is given. */
	cohen: CohenResult | null;
	/** Rejections (latest label per annotator) by reason. */
	reasons: Record<RejectReason, number>;
}

export function acceptanceAgreement(latest: readonly Label[], pair?: { a: string; b: string }): AcceptanceAgreement {
	const votes = acceptanceVotes(latest);
	const reasons = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
	for (const label of latest) if (label.decision === 'reject' && label.reason) reasons[label.reason]++;
	return {
		targets: votes.length,
		accepted: votes.filter((v) => v.decision === 'accept').length,
		rejected: votes.filter((v) => v.decision === 'reject').length,
		needs_review: votes.filter((v) => v.needs_review),
		agreement: percentAgreement(votes, DECISIONS),
		fleiss: byRaterCount(votes).map(([raters, entries]) => ({
			raters,
			subjects: entries.length,
			agreement: percentAgreement(entries, DECISIONS),
			...fleissOf(entries.map((e) => DECISIONS.map((d) => e.counts[d])))
		})),
		cohen: pair ? cohenBy(latest, pair.a, pair.b, acceptVoteOf) : null,
		reasons
	};
}

/** What the annotators decided on one survivor, as the evolved set's lineage records it. */
export interface HumanAcceptance {
	/** The majority; null on a tie. */
	decision: Decision | null;
	votes: Record<Decision, number>;
	annotators: string[];
	tie: boolean;
}

export function humanAcceptance(votes: AcceptanceVotes): HumanAcceptance {
	return { decision: votes.decision, votes: { ...votes.counts }, annotators: [...votes.annotators], tie: votes.needs_review };
}
