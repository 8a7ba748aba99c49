// Ensembles of judges already measured in bench/judges-real.ts: their verdicts on one set are
// combined per program with the ensemble judge's own rule (judges/ensemble/combine.ts), so
// searching costs no tool run. A combination without a verdict is an error row (never scored).

import { combineVotes, type EnsembleRule } from '../../src/lib/judges/ensemble/combine.ts';
import type { LabelledJudgement } from '../../src/lib/judges/rules/measure-sets.ts';
import type { BenchProgram, BenchVerdict } from './real-judges.ts';

/** Every subset of `items` with min..max members, in a fixed order. */
export function subsets<T>(items: readonly T[], min: number, max: number): T[][] {
	const out: T[][] = [];
	const walk = (start: number, chosen: T[]) => {
		if (chosen.length >= min) out.push([...chosen]);
		if (chosen.length === max) return;
		for (let i = start; i < items.length; i++) walk(i + 1, [...chosen, items[i]]);
	};
	walk(0, []);
	return out;
}

export function ensembleVerdicts(
	rule: EnsembleRule,
	members: readonly string[],
	programs: readonly BenchProgram[],
	verdictsOf: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, BenchVerdict>>>,
	set: string
): LabelledJudgement[] {
	return programs.map((p) => {
		// a member measured on this set without this target (not its language or CWE) has no vote,
		// as in runs/ensemble-units.ts; one that judged it without a verdict, or was not measured
		// on the set at all, votes null
		const votes = members
			.filter((judge) => !verdictsOf.get(judge)?.has(set) || verdictsOf.get(judge)!.get(set)!.has(p.id))
			.map((judge) => {
				const v = verdictsOf.get(judge)?.get(set)?.get(p.id);
				return { judge, vulnerable: v && v.status === 'ok' ? v.judged : null };
			});
		const combined = combineVotes(rule, votes);
		return { id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: combined.vulnerable, status: combined.vulnerable === null ? 'error' : 'ok' };
	});
}
