// A routed ensemble ("route by CWE"): per language and target CWE, one member judge or an
// any/all/majority of a few members, read from a routing table learnt on labelled data
// (learn-routes.ts) and shipped as data (route-tables.ts, which says where each table came
// from). A target whose language/CWE has no route of its own takes its language's fallback
// (the best combination over all of that language's programs). The routed members are combined
// by combine.ts, with its rule: a verdict only when every routed member gave one there.

import { combineVotes, type Combined, type EnsembleRule, type MemberVote } from './combine.ts';

/** One way to judge: `members` combined by `rule` (a single member: 'any' of one). */
export interface Route {
	rule: EnsembleRule;
	members: string[];
}

/** What the learner saw of a route on the data it chose it on. */
export interface RouteEvidence {
	/** Programs of that language/CWE on the learning data, and how many got a verdict. */
	programs: number;
	verdicts: number;
	/** Consistency (% of verdicts equal to the label) there. */
	consistency: number;
	/** The fallback's consistency on the same programs (what the route had to beat). */
	fallbackConsistency: number;
}

export interface RouteTable {
	/** The name `ensemble:route:<name>` uses. */
	name: string;
	/** Bumped whenever the routes change: part of an ensemble run's identity. */
	version: number;
	/** Where it came from: data set, split, command, date. */
	learntOn: string;
	command: string;
	/** The choosing rule, in words (learn-routes.ts does exactly this). */
	choice: string;
	/** Per language: the route of a CWE without one of its own. */
	fallback: Record<string, Route & { consistency: number; programs: number }>;
	/** Key `<language>/<CWE-n>` (e.g. 'c/CWE-476'). */
	routes: Record<string, Route & RouteEvidence>;
}

export const routeKey = (language: string, cwe: string) => `${language}/${cwe}`;

/** The route a target takes, or null when the table has none for its language. */
export function routeFor(table: RouteTable, language: string, cwe: string): Route | null {
	const own = table.routes[routeKey(language, cwe)];
	if (own) return { rule: own.rule, members: own.members };
	const fallback = table.fallback[language];
	return fallback ? { rule: fallback.rule, members: fallback.members } : null;
}

/** Every member judge a table names (each run once for an ensemble run), in a fixed order. */
export function tableMembers(table: RouteTable): string[] {
	const all = new Set<string>();
	for (const r of [...Object.values(table.fallback), ...Object.values(table.routes)]) for (const m of r.members) all.add(m);
	return [...all].sort();
}

/**
 * Combines the votes of the members routed for this target; the other members' votes are not
 * read. `votes` holds one vote per member that judges the target (as an ensemble run passes
 * them: a member that does not judge its language or CWE has none, and so no say, as in any
 * ensemble); a routed member without a verdict there is a vote of null, so no verdict.
 */
export function combineRouted(table: RouteTable, language: string, cwe: string, votes: readonly MemberVote[]): Combined {
	const route = routeFor(table, language, cwe);
	if (!route) return { vulnerable: null, reason: `routing table ${table.name} has no route for ${language}` };
	const routed = votes.filter((v) => route.members.includes(v.judge));
	return combineVotes(route.rule, routed);
}
