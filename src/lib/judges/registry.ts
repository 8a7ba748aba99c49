// The judges, listed once. `covw judge --list`, `--judge`, judge runs and run-spec validation
// look judges up here; nothing else compares judge names. Adding a judge: its folder under
// src/lib/judges/ exporting a JudgeDescriptor (judge.ts), and one line in JUDGES below. Adding
// an analyzer tool: one line in analyzers/tools/index.ts. Pure: the browser imports it too.
import { allAnalyzersJudge, analyzerJudges } from './analyzers/analyzer-judges.ts';
import { ensembleJudge } from './ensemble/ensemble-judge.ts';
import type { JudgeDescriptor } from './judge.ts';
import { llmJudge } from './llm/llm-judge.ts';
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

/** Any spec no judge above claims is a model ("endpoint/model"): the LLM judge comes last. */
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

/** The judge a `--judge` value names, or null (an empty or blank name). */
export function findJudge(spec: string): JudgeDescriptor | null {
	return JUDGES.find((j) => matches(j, spec)) ?? (matches(FALLBACK, spec) ? FALLBACK : null);
}

/** The judge a spec names and what is wrong with the spec, if anything. */
export function describeJudge(spec: string): { judge: JudgeDescriptor | null; error: string | null } {
	const judge = findJudge(spec);
	if (!judge) return { judge: null, error: `"${spec}" names no judge (covw judge --list)` };
	return { judge, error: judge.check?.(spec, findJudge) ?? null };
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
