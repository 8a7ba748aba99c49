// The benchmark's closed vocabularies, defined once: tasks, item sets, languages, LLM judge
// styles and the CWE ids. Everything else (items, runs, run-spec validation, the CLI, the judges)
// imports them from here. Pure: the browser uses the same lists.
import { CWE_IDS, type CweId } from './cwe.ts';

/** Every task an item can have ('reference' = the Pearce et al. programs, judged but never generated). */
export const TASKS = ['completion', 'repair', 'detection', 'reference'] as const;
export type Task = (typeof TASKS)[number];

/** The tasks a generation run asks a model to do. */
export const GENERATION_TASKS = ['completion', 'repair', 'detection'] as const satisfies readonly Task[];
export type GenerationTask = (typeof GENERATION_TASKS)[number];

/** The item sets of the benchmark. */
export const ITEM_SETS = ['seed', 'vul-evol', 'repair', 'detection', 'pearce'] as const;
export type ItemSet = (typeof ITEM_SETS)[number];

/** The languages the benchmark's programs are in. */
export const LANGUAGES = ['c', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The prompt styles of an LLM judge (`--template`). */
export const JUDGE_STYLES = ['zeroshot', 'fewshot', 'direct'] as const;
export type JudgeStyle = (typeof JUDGE_STYLES)[number];

/** The 18 CWE ids of CoV-Eval (the catalogue with names and languages is core/cwe.ts). */
export { CWE_IDS, type CweId };

export function isTask(value: unknown): value is Task {
	return (TASKS as readonly unknown[]).includes(value);
}
export function isLanguage(value: unknown): value is Language {
	return (LANGUAGES as readonly unknown[]).includes(value);
}
export function isJudgeStyle(value: unknown): value is JudgeStyle {
	return (JUDGE_STYLES as readonly unknown[]).includes(value);
}
