// `--judge ensemble:<rule>:<judge>+<judge>[+…]` combines the verdicts of member judges on each
// target (combine.ts: any, all, majority), e.g. ensemble:any:rules+cppcheck or
// ensemble:majority:rules+bandit+local/qwen2.5-7b. Every member is checked before any work; a
// complete member run is read as it is, a missing or incomplete one runs (or resumes) first as its
// own judge run (runs/ensemble-units.ts); the ensemble's rows name the member runs they were read
// from. A verdict only where every member that judges the target gave one (combine.ts).
// `--judge ensemble:route:<table>` routes each target by its language and CWE to the members a
// shipped routing table names for it (route.ts; the tables: route-tables.ts, e.g. sven-dev-a).
import { CWE_IDS, JUDGE_STYLES, LANGUAGES, TASKS } from '../../core/vocabulary.ts';
import type { JudgeDescriptor } from '../judge.ts';
import { combineVotes, ENSEMBLE_RULES, type Combined, type EnsembleRule, type MemberVote } from './combine.ts';
import { combineRouted, tableMembers, type RouteTable } from './route.ts';
import { ROUTE_TABLES, findRouteTable } from './route-tables.ts';

export const ENSEMBLE_PREFIX = 'ensemble:';

export interface EnsembleSpec {
	/** 'route': members chosen per target by `table`. */
	rule: EnsembleRule | 'route';
	members: string[];
	/** The routing table of an `ensemble:route:<table>` spec. */
	table?: RouteTable;
	/** The spec written one way: 'ensemble:any:rules+cppcheck'. */
	canonical: string;
}

/** Reads an ensemble spec; a message naming what is wrong otherwise. */
export function parseEnsembleSpec(spec: string): EnsembleSpec | { error: string } {
	if (!spec.startsWith(ENSEMBLE_PREFIX)) return { error: `"${spec}" is not an ensemble (ensemble:<rule>:<judge>+<judge>)` };
	const rest = spec.slice(ENSEMBLE_PREFIX.length);
	const colon = rest.indexOf(':');
	if (rest.startsWith('route:') || rest === 'route') {
		const name = rest.slice('route:'.length);
		const table = findRouteTable(name);
		if (!table) return { error: `no routing table named "${name}" (ensemble:route:<table>; shipped: ${ROUTE_TABLES.map((t) => t.name).join(', ') || 'none'})` };
		return { rule: 'route', members: tableMembers(table), table, canonical: `${ENSEMBLE_PREFIX}route:${table.name}` };
	}
	const rule = (colon < 0 ? rest : rest.slice(0, colon)) as EnsembleRule;
	if (!ENSEMBLE_RULES.includes(rule)) return { error: `ensemble rule "${colon < 0 ? rest : rest.slice(0, colon)}" is not one of ${ENSEMBLE_RULES.join(', ')}, route (ensemble:<rule>:<judge>+<judge>, ensemble:route:<table>)` };
	const members = colon < 0 ? [] : rest.slice(colon + 1).split('+').map((m) => m.trim());
	if (members.length < 2 || members.some((m) => m === '')) return { error: `an ensemble needs two or more member judges joined by "+": ensemble:${rule}:<judge>+<judge>` };
	const repeated = members.find((m, i) => members.indexOf(m) !== i);
	if (repeated) return { error: `ensemble member "${repeated}" is named twice` };
	return { rule, members, canonical: `${ENSEMBLE_PREFIX}${rule}:${members.join('+')}` };
}

export const ensembleJudge: JudgeDescriptor = {
	name: 'ensemble',
	usage: 'ensemble:any|all|majority:<judge>+<judge>…',
	family: 'ensemble',
	summary: 'combines member judges per target: any-of, all-of or majority-of their verdicts, or routed by language and CWE through a shipped table (ensemble:route:sven-dev-a, learnt on SVEN dev half A); a verdict only where every member gave one (else a no-verdict row naming them)',
	accepts: { languages: LANGUAGES, cwes: CWE_IDS, tasks: TASKS },
	identity: ['rule', 'member run ids', 'source'],
	templates: JUDGE_STYLES,
	matches: (spec) => spec.startsWith(ENSEMBLE_PREFIX),
	check(spec, find, unknown) {
		const parsed = parseEnsembleSpec(spec);
		if ('error' in parsed) return parsed.error;
		// Every member is checked here, before any member runs.
		for (const member of parsed.members) {
			const judge = find(member);
			if (!judge) return `ensemble member "${member}": ${unknown?.(member) ?? 'not a judge (covw judge --list)'}`;
			const via = judge.execution.via;
			if (via === 'members' || via === 'ensemble') return `ensemble member "${member}" names several judges; list them one by one`;
			if ((judge.rowsPerTarget ?? 1) !== 1) return `ensemble member "${member}" gives ${judge.rowsPerTarget} verdicts per target; an ensemble needs one`;
			const problem = judge.check?.(member, find, unknown);
			if (problem) return `ensemble member "${member}": ${problem}`;
		}
		return null;
	},
	members(spec) {
		const parsed = parseEnsembleSpec(spec);
		return 'error' in parsed ? [] : parsed.members;
	},
	execution: { via: 'ensemble' }
};

/** The combined verdict of one target: by the spec's rule, or by its routing table for the target's language and CWE. */
export function combineForTarget(spec: EnsembleSpec, target: { language: string; cwe: string }, votes: readonly MemberVote[]): Combined {
	return spec.table ? combineRouted(spec.table, target.language, target.cwe, votes) : combineVotes(spec.rule as EnsembleRule, votes);
}
