// The `run` cell kind: a model run (and optionally its judge run) described as JSON.
//
//   { "task": "completion", "model": "local/qwen2.5-7b", "set": ["seed"], "cwe": ["CWE-79"],
//     "language": ["python"], "limit": 20, "seed": 1, "samples": 1,
//     "judge": "local/gpt-4o" | "rules", "template": "zeroshot" | "fewshot" | "direct" }
//
// Opening a notebook never starts a run (it could spend someone's API budget): the cell shows
// the run's state and a Start button. Run ids derive from these parameters, so the same spec
// names the same run: starting it again resumes it.
import { MAX_LIMIT, MAX_SAMPLES } from '../core/run-bounds.ts';
import type { SpecError } from './plot-spec.ts';
import { parseSpecObject } from './spec-object.ts';
import { GENERATION_TASKS as RUN_TASKS, JUDGE_STYLES as JUDGE_TEMPLATES, LANGUAGES } from '../core/vocabulary.ts';

export { RUN_TASKS, JUDGE_TEMPLATES };
const KEYS = ['task', 'model', 'set', 'cwe', 'language', 'limit', 'seed', 'samples', 'judge', 'template'];

export interface RunSpec {
	task: (typeof RUN_TASKS)[number];
	model: string;
	set?: string[];
	cwe?: string[];
	language?: ('c' | 'python')[];
	limit?: number;
	seed?: number;
	samples?: number;
	judge?: string;
	template?: (typeof JUDGE_TEMPLATES)[number];
}

export function parseRunSpec(source: string): { spec: RunSpec | null; errors: SpecError[] } {
	const { value: v, errors, at } = parseSpecObject(source, 'run', '{"task": "completion", "model": "endpoint/model"}', KEYS);
	if (!v) return { spec: null, errors };
	if (!RUN_TASKS.includes(v.task as never)) at(v.task === undefined ? '' : 'task', `"task" must be one of ${RUN_TASKS.join(', ')}`);
	if (typeof v.model !== 'string' || v.model === '') at(v.model === undefined ? '' : 'model', '"model" must name a model, e.g. "endpoint/model"');
	for (const key of ['set', 'cwe', 'language'] as const) {
		const list = v[key];
		if (list !== undefined && (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s !== ''))) {
			at(key, `"${key}" must be an array of strings`);
		}
	}
	if (Array.isArray(v.language) && !v.language.every((l) => LANGUAGES.includes(l as never))) at('language', '"language" holds c and/or python');
	// Bounded: opening a notebook plans its runs, and a plan must stay small (MAX_* in core/run-bounds.ts).
	for (const [key, min, max] of [['limit', 1, MAX_LIMIT], ['seed', 0, Number.MAX_SAFE_INTEGER], ['samples', 1, MAX_SAMPLES]] as const) {
		const n = v[key];
		if (n === undefined) continue;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < min) at(key, `"${key}" must be an integer ≥ ${min}`);
		else if (n > max) at(key, `"${key}" must be an integer from ${min} to ${max}`);
	}
	if (v.judge !== undefined && (typeof v.judge !== 'string' || v.judge === '')) at('judge', '"judge" names a judge: "rules" or "endpoint/model"');
	if (v.template !== undefined) {
		if (!JUDGE_TEMPLATES.includes(v.template as never)) at('template', `"template" must be one of ${JUDGE_TEMPLATES.join(', ')}`);
		else if (v.judge === undefined) at('template', '"template" applies to a judge: add "judge"');
	}
	if (errors.length) return { spec: null, errors };
	return { spec: v as unknown as RunSpec, errors };
}
