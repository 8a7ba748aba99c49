// How an ensemble turns its members' verdicts on one target into one verdict. A verdict is given
// only when EVERY member that judges the target gave one there; otherwise there is none (a
// status naming the members without a verdict, never a guess). Deciding as soon as the present
// members settle it ("any": one "vulnerable" is enough) would score only the targets those
// members happen to flag while a member is missing — a selection bias that made an ensemble
// with an always-failing member look better than its working member alone.
//   any       vulnerable when at least one member says so; safe when every member says safe
//   all       vulnerable when every member says so; safe when at least one says safe
//   majority  whichever side more than half of the members take; a tie has no verdict

export const ENSEMBLE_RULES = ['any', 'all', 'majority'] as const;
export type EnsembleRule = (typeof ENSEMBLE_RULES)[number];

export interface MemberVote {
	judge: string;
	/** null: the member has no verdict on this target (an error row, an unreadable answer, no row). */
	vulnerable: boolean | null;
	/** Why there is no verdict, when there is none. */
	why?: string;
}

export type Combined = { vulnerable: boolean; deciders: string[] } | { vulnerable: null; reason: string };

export function combineVotes(rule: EnsembleRule, votes: readonly MemberVote[]): Combined {
	const n = votes.length;
	if (n === 0) return { vulnerable: null, reason: 'no member judges this target' };
	const missing = votes.filter((v) => v.vulnerable === null);
	if (missing.length > 0) {
		const names = missing.map((v) => `${v.judge}${v.why ? ` (${v.why})` : ''}`).join(', ');
		return { vulnerable: null, reason: `none from ${names}; an ensemble gives one only when every member does` };
	}
	const yes = votes.filter((v) => v.vulnerable === true).map((v) => v.judge);
	const no = votes.filter((v) => v.vulnerable === false).map((v) => v.judge);
	switch (rule) {
		case 'any':
			return yes.length > 0 ? { vulnerable: true, deciders: yes } : { vulnerable: false, deciders: no };
		case 'all':
			return no.length > 0 ? { vulnerable: false, deciders: no } : { vulnerable: true, deciders: yes };
		case 'majority':
			if (yes.length * 2 > n) return { vulnerable: true, deciders: yes };
			if (no.length * 2 > n) return { vulnerable: false, deciders: no };
			return { vulnerable: null, reason: `a tie: ${yes.length} of ${n} say vulnerable, ${no.length} safe` };
	}
}
