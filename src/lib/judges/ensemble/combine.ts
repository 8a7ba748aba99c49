// How an ensemble turns its members' verdicts on one target into one verdict. A verdict is given
// only when the members without one could not change it; otherwise there is none (a status,
// never a guess).
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
	const yes = votes.filter((v) => v.vulnerable === true).map((v) => v.judge);
	const no = votes.filter((v) => v.vulnerable === false).map((v) => v.judge);
	const missing = votes.filter((v) => v.vulnerable === null);
	const n = votes.length;
	const without = () => missing.map((v) => `${v.judge}${v.why ? ` (${v.why})` : ''}`).join(', ');
	if (n === 0) return { vulnerable: null, reason: 'no member judges this target' };
	switch (rule) {
		case 'any':
			if (yes.length > 0) return { vulnerable: true, deciders: yes };
			if (missing.length === 0) return { vulnerable: false, deciders: no };
			return { vulnerable: null, reason: `no member says vulnerable, and ${without()} could: no verdict from ${missing.length === 1 ? 'it' : 'them'}` };
		case 'all':
			if (no.length > 0) return { vulnerable: false, deciders: no };
			if (missing.length === 0) return { vulnerable: true, deciders: yes };
			return { vulnerable: null, reason: `no member says safe, and ${without()} could: no verdict from ${missing.length === 1 ? 'it' : 'them'}` };
		case 'majority':
			if (yes.length * 2 > n) return { vulnerable: true, deciders: yes };
			if (no.length * 2 > n) return { vulnerable: false, deciders: no };
			if (missing.length === 0) return { vulnerable: null, reason: `a tie: ${yes.length} of ${n} say vulnerable, ${no.length} safe` };
			return { vulnerable: null, reason: `no majority of ${n}: ${yes.length} vulnerable, ${no.length} safe, no verdict from ${without()}` };
	}
}
