// The judges, listed once. `covw judge --list`, `--judge`, judge runs and run-spec validation
// look judges up here; nothing else compares judge names. Adding a judge: its folder under
// src/lib/judges/ exporting a JudgeDescriptor (judge.ts), and one line in JUDGES below. Adding
// an analyzer tool: one line in analyzers/tools/index.ts. Pure: the browser imports it too.
import { allAnalyzersJudge, analyzerJudges } from './analyzers/analyzer-judges.ts';
import { ensembleJudge } from './ensemble/ensemble-judge.ts';
import type { JudgeDescriptor } from './judge.ts';
import { llmJudge } from './llm/llm-judge.ts';
import { nearName } from './near-name.ts';
import { parserJudge } from './parser/parser-judge.ts';
import { rulesJudge, tokenRulesJudge } from './rules/rules-judge.ts';

/** In lookup order: the first judge that matches a spec names it. */
const JUDGES: JudgeDescriptor[] = [
	rulesJudge,
	tokenRulesJudge,
	parserJudge,
	...analyzerJudges,
	allAnalyzersJudge,
	ensembleJudge,
];

/** Any spec no judge above claims is a model ("endpoint/model"): the LLM judge comes last —
 * except a name close to a judge's (near-name.ts: `rulez`, `cppchek`), which names no judge. */
const FALLBACK = llmJudge;

/** Every judge, in list order. */
export function listJudges(): readonly JudgeDescriptor[] {
	return [...JUDGES, FALLBACK];
}

/** Adds a judge (before the LLM fallback); returns a function that removes it again (tests). */
export function registerJudge(judge: JudgeDescriptor): () => void {
	if (listJudges().some((j) => j.name === judge.name)) throw new Error(`a judge named "${judge.name}" is already registered`);
	JUDGES.push(judge);
	return () => {
		const at = JUDGES.indexOf(judge);
		if (at >= 0) JUDGES.splice(at, 1);
	};
}

const matches = (judge: JudgeDescriptor, spec: string) => (judge.matches ? judge.matches(spec) : spec === judge.name);

/** The judge a `--judge` value names, or null (an empty or blank name, or a judge's name mistyped). */
export function findJudge(spec: string): JudgeDescriptor | null {
	const judge = JUDGES.find((j) => matches(j, spec));
	if (judge) return judge;
	return matches(FALLBACK, spec) && !typoOf(spec) ? FALLBACK : null;
}

/** The judge name (as --judge writes it) a spec that no judge claims is a typo of, or null. */
export function typoOf(spec: string): string | null {
	const colon = spec.indexOf(':');
	// 'ensembel:any:rules+bandit': a mistyped ensemble prefix.
	if (colon > 0 && nearName(spec.slice(0, colon), ['ensemble'])) return `ensemble${spec.slice(colon)}`;
	// A judge whose bare name names nothing ('ensemble'): its usage.
	const bare = JUDGES.find((j) => j.name === spec && !matches(j, spec));
	if (bare) return bare.usage;
	const name = nearName(spec, JUDGES.map((j) => j.name));
	if (!name) return null;
	const judge = JUDGES.find((j) => j.name === name)!;
	return matches(judge, name) ? name : judge.usage;
}

/** Why a spec names no judge: a typo's suggestion, or where to look. */
export function unknownJudge(spec: string): string {
	const near = typoOf(spec);
	if (near) return `unknown judge "${spec}" — did you mean ${near}? (covw judge --list; a model is named endpoint/model)`;
	return `"${spec}" names no judge (covw judge --list)`;
}

/** The judge a spec names and what is wrong with the spec, if anything. */
export function describeJudge(spec: string): { judge: JudgeDescriptor | null; error: string | null } {
	const judge = findJudge(spec);
	if (!judge) return { judge: null, error: unknownJudge(spec) };
	return { judge, error: judge.check?.(spec, findJudge, unknownJudge) ?? null };
}

/** The ways to name a judge, for messages and run-spec validation: 'rules', …, 'endpoint/model'. */
export function judgeNames(): string[] {
	return listJudges().map((j) => j.usage);
}

/** Does running this spec need an engine config (an LLM judge, or an ensemble with one)? */
export function usesEngine(spec: string): boolean {
	const judge = findJudge(spec);
	if (!judge) return false;
	return judge.execution.via === 'engine' || (judge.members?.(spec) ?? []).some(usesEngine);
}
