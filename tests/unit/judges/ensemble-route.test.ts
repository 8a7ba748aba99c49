// The routed ensemble ("route by CWE", judges/ensemble/route.ts): per language and CWE the members
// a table names, a fallback for the rest; the table learnt by one fixed rule (learn-routes.ts);
// the spec `ensemble:route:<table>` and the shipped tables.
import { describe, expect, it } from 'vitest';
import { combineRouted, routeFor, tableMembers, type RouteTable } from '../../../src/lib/judges/ensemble/route.ts';
import { candidateRoutes, learnRoutes, scoreRoute, type LabelledProgram } from '../../../src/lib/judges/ensemble/learn-routes.ts';
import { combineForTarget, parseEnsembleSpec } from '../../../src/lib/judges/ensemble/ensemble-judge.ts';
import { ROUTE_TABLES } from '../../../src/lib/judges/ensemble/route-tables.ts';
import { ENSEMBLE_RULES } from '../../../src/lib/judges/ensemble/combine.ts';
import { describeJudge } from '../../../src/lib/judges/registry.ts';
import { routedVerdicts } from '../../../bench/lib/ensemble-search.ts';
import type { BenchVerdict } from '../../../bench/lib/real-judges.ts';

const table: RouteTable = {
	name: 'tiny',
	version: 1,
	learntOn: 'a fixture',
	command: 'none',
	choice: 'by hand (a fixture)',
	fallback: { c: { rule: 'any', members: ['rules'], consistency: 60, programs: 10 } },
	routes: { 'c/CWE-476': { rule: 'all', members: ['rules', 'gcc'], programs: 4, verdicts: 4, consistency: 75, fallbackConsistency: 50 } }
};

describe('routing', () => {
	it('takes a CWE`s own route, else its language`s fallback, else none', () => {
		expect(routeFor(table, 'c', 'CWE-476')).toEqual({ rule: 'all', members: ['rules', 'gcc'] });
		expect(routeFor(table, 'c', 'CWE-787')).toEqual({ rule: 'any', members: ['rules'] });
		expect(routeFor(table, 'python', 'CWE-89')).toBeNull();
		expect(tableMembers(table)).toEqual(['gcc', 'rules']);
	});

	it('reads only the routed members` votes, with combine.ts`s rule', () => {
		const votes = [
			{ judge: 'rules', vulnerable: true },
			{ judge: 'gcc', vulnerable: false },
			{ judge: 'cppcheck', vulnerable: true }
		];
		// CWE-476: all of rules+gcc: gcc says safe
		expect(combineRouted(table, 'c', 'CWE-476', votes)).toMatchObject({ vulnerable: false, deciders: ['gcc'] });
		// CWE-787: the fallback, rules alone (cppcheck's vote is not read)
		expect(combineRouted(table, 'c', 'CWE-787', votes)).toMatchObject({ vulnerable: true, deciders: ['rules'] });
		// a routed member without a verdict: no verdict, whatever the others say
		expect(combineRouted(table, 'c', 'CWE-476', [{ judge: 'rules', vulnerable: false }, { judge: 'gcc', vulnerable: null, why: 'error' }]).vulnerable).toBeNull();
		// a routed member that does not judge the target (no vote) has no say
		expect(combineRouted(table, 'c', 'CWE-476', [{ judge: 'rules', vulnerable: true }])).toMatchObject({ vulnerable: true });
		expect(combineRouted(table, 'python', 'CWE-89', votes).vulnerable).toBeNull();
	});
});

// Members: `a` is right on CWE-1 and wrong on CWE-2; `b` right on CWE-2 and on half of CWE-1;
// `c` is always right but gives a verdict on one pair per CWE only (an error elsewhere).
function fixture(pairsPerCwe: number) {
	const programs: LabelledProgram[] = [];
	const verdicts = new Map<string, Map<string, boolean | null>>([['a', new Map()], ['b', new Map()], ['c', new Map()]]);
	for (const cwe of ['CWE-1', 'CWE-2']) {
		for (let i = 0; i < pairsPerCwe; i++) {
			for (const vulnerable of [true, false]) {
				const id = `${cwe}-${i}-${vulnerable ? 'before' : 'after'}`;
				programs.push({ id, pairId: `${cwe}-${i}`, cwe, language: 'c', vulnerable });
				verdicts.get('a')!.set(id, cwe === 'CWE-1' ? vulnerable : !vulnerable);
				verdicts.get('b')!.set(id, cwe === 'CWE-2' ? vulnerable : i % 2 === 0);
				verdicts.get('c')!.set(id, i === 0 ? vulnerable : null);
			}
		}
	}
	// one Python pair `c` does not judge at all
	programs.push({ id: 'py-before', pairId: 'py', cwe: 'CWE-89', language: 'python', vulnerable: true }, { id: 'py-after', pairId: 'py', cwe: 'CWE-89', language: 'python', vulnerable: false });
	verdicts.get('a')!.set('py-before', true).set('py-after', false);
	const verdictOf = (judge: string, id: string) => (verdicts.get(judge)!.has(id) ? verdicts.get(judge)!.get(id)! : undefined);
	return { programs, verdictOf };
}
const about = { name: 'fixture', version: 1, learntOn: 'fixture', command: 'none' };

describe('learning a routing table', () => {
	it('lists each member alone, any/all of 2-3, majority of 3', () => {
		const c = candidateRoutes(['a', 'b', 'c']);
		expect(c.map((r) => `${r.rule}:${r.members.join('+')}`)).toEqual(['any:a', 'any:b', 'any:c', 'any:a+b', 'all:a+b', 'any:a+c', 'all:a+c', 'any:b+c', 'all:b+c', 'any:a+b+c', 'all:a+b+c', 'majority:a+b+c']);
	});

	it('routes each CWE to the member that is right there, by the fixed rule', () => {
		const { programs, verdictOf } = fixture(10);
		const t = learnRoutes(programs, verdictOf, { members: { c: ['a', 'b', 'c'], python: ['a'] } }, about);
		// over all C programs: a 50% (right on CWE-1 only), b 75% (right on CWE-2, half of CWE-1)
		expect(t.fallback.c).toMatchObject({ rule: 'any', members: ['b'], programs: 40, consistency: 75 });
		expect(t.routes['c/CWE-2']).toBeUndefined(); // the fallback is already best there
		expect(t.routes['c/CWE-1']).toMatchObject({ rule: 'any', members: ['a'], consistency: 100, fallbackConsistency: 50, verdicts: 20 });
		// `c` (100% where it gives a verdict, on 10% of programs): under the coverage bar, never chosen
		for (const r of [...Object.values(t.fallback), ...Object.values(t.routes)]) expect(r.members).not.toContain('c');
		expect(learnRoutes(programs, verdictOf, { members: { c: ['a', 'b', 'c'] }, minCoverage: 0 }, about).fallback.c.members).toEqual(['c']);
		expect(t.fallback.python).toMatchObject({ members: ['a'] });
		expect(t.routes['python/CWE-89']).toBeUndefined(); // 1 pair < minPairs
		expect(scoreRoute({ rule: 'any', members: ['b'] }, programs.filter((p) => p.cwe === 'CWE-1'), verdictOf)).toEqual({ programs: 20, verdicts: 20, correct: 10, consistency: 50 });
	});

	it('gives a CWE with few pairs, or one its best candidate does not beat by the margin, the fallback', () => {
		const { programs, verdictOf } = fixture(4);
		expect(learnRoutes(programs, verdictOf, { members: { c: ['a', 'b'] } }, about).routes).toEqual({}); // 4 pairs < 10
		expect(Object.keys(learnRoutes(programs, verdictOf, { members: { c: ['a', 'b'] }, minPairs: 4 }, about).routes)).toEqual(['c/CWE-1']);
		expect(learnRoutes(programs, verdictOf, { members: { c: ['a', 'b'] }, minPairs: 4, margin: 100 }, about).routes).toEqual({});
	});
});

describe('ensemble:route:<table>', () => {
	it('names a shipped table; its members are the table`s', () => {
		const shipped = ROUTE_TABLES[0];
		const parsed = parseEnsembleSpec(`ensemble:route:${shipped.name}`);
		expect(parsed).toMatchObject({ rule: 'route', canonical: `ensemble:route:${shipped.name}`, members: tableMembers(shipped) });
		expect(parseEnsembleSpec('ensemble:route:no-such-table')).toMatchObject({ error: expect.stringContaining('no routing table named "no-such-table"') });
		expect(describeJudge(`ensemble:route:${shipped.name}`).error).toBeNull();
	});

	it('combines a target by its table when routed, by the rule otherwise', () => {
		const routed = { rule: 'route' as const, members: ['rules', 'gcc'], table, canonical: 'ensemble:route:tiny' };
		const votes = [{ judge: 'rules', vulnerable: true }, { judge: 'gcc', vulnerable: false }];
		expect(combineForTarget(routed, { language: 'c', cwe: 'CWE-476' }, votes).vulnerable).toBe(false);
		expect(combineForTarget(routed, { language: 'c', cwe: 'CWE-125' }, votes).vulnerable).toBe(true);
		expect(combineForTarget({ rule: 'any', members: ['rules', 'gcc'], canonical: 'x' }, { language: 'c', cwe: 'CWE-476' }, votes).vulnerable).toBe(true);
	});

	it('ships only tables that say where they came from and name known judges and rules', () => {
		expect(ROUTE_TABLES.length).toBeGreaterThan(0);
		for (const t of ROUTE_TABLES) {
			expect(t.learntOn).toMatch(/sven.*half A/);
			expect(t.command).toContain('--learn-routes');
			for (const r of [...Object.values(t.fallback), ...Object.values(t.routes)]) {
				expect(ENSEMBLE_RULES).toContain(r.rule);
				for (const m of r.members) expect(describeJudge(m).error).toBeNull();
			}
		}
	});

	it('is scored in the bench from the members` saved verdicts', () => {
		const programs = [
			{ id: 'n1', pairId: 'n', cwe: 'CWE-476', language: 'c' as const, vulnerable: true, code: '' },
			{ id: 'm1', pairId: 'm', cwe: 'CWE-787', language: 'c' as const, vulnerable: true, code: '' }
		];
		const verdicts = new Map<string, Map<string, Map<string, BenchVerdict>>>([
			['rules', new Map([['set', new Map([['n1', { judged: true, status: 'ok' as const }], ['m1', { judged: true, status: 'ok' as const }]])]])],
			['gcc', new Map([['set', new Map([['n1', { judged: null, status: 'error' as const }]])]])]
		]);
		// n1: gcc routed and without a verdict: an error row; m1: fallback rules (gcc does not judge CWE-787 here)
		expect(routedVerdicts(table, programs, verdicts, 'set').map((r) => [r.judged, r.status])).toEqual([
			[null, 'error'],
			[true, 'ok']
		]);
	});
});
