// Learns a routing table (route.ts) from member verdicts on labelled programs, by one rule fixed
// here, never by hand per CWE:
//   1. candidates per language: each member alone; any-of and all-of every 2 or 3 members;
//      majority-of every 3;
//   2. the language's fallback: the candidate with the highest consistency over all of that
//      language's programs, among those giving a verdict on >= minCoverage of them;
//   3. per CWE of that language with >= minPairs labelled pairs: the candidate with the highest
//      consistency on that CWE's programs (same coverage bar) becomes its route only when it
//      beats the fallback there by more than `margin` points; otherwise the CWE takes the fallback.
//   Ties: fewer members first, then candidate order (members in the order given, any, all, majority).
// Consistency counts only programs with a verdict; the coverage bar keeps a candidate from
// winning by giving verdicts only where it happens to be right.
// Legitimate only when learnt on development data and reported on data it never saw.

import { combineVotes, type EnsembleRule } from './combine.ts';
import { routeKey, type Route, type RouteTable } from './route.ts';

export interface LabelledProgram {
	id: string;
	pairId: string | null;
	cwe: string;
	language: string;
	vulnerable: boolean;
}

/** A member's verdict on a program: true/false; null: judged without a verdict (error);
 * undefined: the member does not judge it (another language, a CWE it cannot report). */
export type VerdictOf = (judge: string, programId: string) => boolean | null | undefined;

export interface LearnOptions {
	/** Member judges per language, in the order candidates are listed. */
	members: Record<string, readonly string[]>;
	/** A CWE gets a route of its own only with at least this many labelled pairs. Default 10. */
	minPairs?: number;
	/** Share of programs a candidate must give a verdict on. Default 0.7. */
	minCoverage?: number;
	/** Points a CWE's best candidate must beat the fallback by. Default 0. */
	margin?: number;
	/** Largest number of members in one candidate. Default 3. */
	maxMembers?: number;
}

export interface CandidateScore {
	programs: number;
	verdicts: number;
	correct: number;
	consistency: number;
}

/** The candidates of one language's members, in a fixed order. */
export function candidateRoutes(members: readonly string[], maxMembers = 3): Route[] {
	const out: Route[] = members.map((m) => ({ rule: 'any' as EnsembleRule, members: [m] }));
	const groups: string[][] = [];
	const walk = (start: number, chosen: string[]) => {
		if (chosen.length >= 2) groups.push([...chosen]);
		if (chosen.length === maxMembers) return;
		for (let i = start; i < members.length; i++) walk(i + 1, [...chosen, members[i]]);
	};
	walk(0, []);
	for (const size of [2, 3]) {
		for (const g of groups.filter((g) => g.length === size)) {
			out.push({ rule: 'any', members: g }, { rule: 'all', members: g });
			if (size === 3) out.push({ rule: 'majority', members: g });
		}
	}
	return out;
}

/** A route's verdict on one program: members that do not judge it have no vote (as in an ensemble run). */
export function routeVerdict(route: Route, programId: string, verdictOf: VerdictOf): boolean | null {
	const votes = route.members.filter((m) => verdictOf(m, programId) !== undefined).map((m) => ({ judge: m, vulnerable: verdictOf(m, programId) as boolean | null }));
	return combineVotes(route.rule, votes).vulnerable;
}

export function scoreRoute(route: Route, programs: readonly LabelledProgram[], verdictOf: VerdictOf): CandidateScore {
	let verdicts = 0;
	let correct = 0;
	for (const p of programs) {
		const v = routeVerdict(route, p.id, verdictOf);
		if (v === null) continue;
		verdicts++;
		if (v === p.vulnerable) correct++;
	}
	return { programs: programs.length, verdicts, correct, consistency: verdicts ? (100 * correct) / verdicts : NaN };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The best candidate on these programs (coverage bar, then consistency, then fewer members, then order), or null. */
function best(candidates: readonly Route[], programs: readonly LabelledProgram[], verdictOf: VerdictOf, minCoverage: number) {
	let top: { route: Route; score: CandidateScore } | null = null;
	for (const route of candidates) {
		const score = scoreRoute(route, programs, verdictOf);
		if (score.verdicts === 0 || score.verdicts < minCoverage * programs.length) continue;
		if (!top || score.consistency > top.score.consistency || (score.consistency === top.score.consistency && route.members.length < top.route.members.length)) top = { route, score };
	}
	return top;
}

export function learnRoutes(
	programs: readonly LabelledProgram[],
	verdictOf: VerdictOf,
	options: LearnOptions,
	about: Pick<RouteTable, 'name' | 'version' | 'learntOn' | 'command'>
): RouteTable {
	const minPairs = options.minPairs ?? 10;
	const minCoverage = options.minCoverage ?? 0.7;
	const margin = options.margin ?? 0;
	const maxMembers = options.maxMembers ?? 3;
	const table: RouteTable = {
		...about,
		choice: `per language: candidates = each member alone, any/all of 2-${maxMembers} members, majority of 3; fallback = best consistency over the language's programs (verdicts on >= ${Math.round(minCoverage * 100)}%); a CWE with >= ${minPairs} pairs gets its own best candidate only when it beats the fallback there by more than ${margin} points (bench/judges-real.ts --learn-routes, judges/ensemble/learn-routes.ts)`,
		fallback: {},
		routes: {}
	};
	for (const [language, members] of Object.entries(options.members)) {
		const ofLanguage = programs.filter((p) => p.language === language);
		const candidates = candidateRoutes(members, maxMembers);
		const fallback = best(candidates, ofLanguage, verdictOf, minCoverage);
		if (!fallback) continue;
		table.fallback[language] = { ...fallback.route, consistency: round1(fallback.score.consistency), programs: ofLanguage.length };
		const cwes = [...new Set(ofLanguage.map((p) => p.cwe))].sort();
		for (const cwe of cwes) {
			const ofCwe = ofLanguage.filter((p) => p.cwe === cwe);
			const pairs = new Set(ofCwe.filter((p) => p.pairId !== null).map((p) => p.pairId)).size;
			if (pairs < minPairs) continue;
			const own = best(candidates, ofCwe, verdictOf, minCoverage);
			const fallbackHere = scoreRoute(fallback.route, ofCwe, verdictOf);
			const fallbackConsistency = Number.isFinite(fallbackHere.consistency) ? fallbackHere.consistency : -Infinity;
			if (!own || own.score.consistency <= fallbackConsistency + margin) continue;
			table.routes[routeKey(language, cwe)] = {
				...own.route,
				programs: own.score.programs,
				verdicts: own.score.verdicts,
				consistency: round1(own.score.consistency),
				fallbackConsistency: round1(fallbackHere.consistency)
			};
		}
	}
	return table;
}
