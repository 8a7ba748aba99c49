// An LLM as a judge: "endpoint/model" (or a model name one endpoint offers) with a prompt style.
// Its requests go through the engine (runs/judge-units.ts builds them): retries, cache, costs.
// Any name no other judge claims is taken to be a model, so this judge is the registry's last.
import { CWE_IDS, JUDGE_STYLES, LANGUAGES, TASKS } from '../../core/vocabulary.ts';
import type { JudgeDescriptor } from '../judge.ts';

export const llmJudge: JudgeDescriptor = {
	name: 'llm',
	usage: 'endpoint/model',
	family: 'llm',
	summary: 'a model asked whether the code has the target CWE (--template zeroshot|fewshot|direct)',
	accepts: { languages: LANGUAGES, cwes: CWE_IDS, tasks: TASKS },
	identity: ['endpoint/model', 'template', 'sampling parameters', 'prompt template hash', 'source'],
	templates: JUDGE_STYLES,
	matches: (spec) => spec.trim() !== '' && !/\s/.test(spec),
	execution: { via: 'engine' }
};
