// The `run` cell kind: a model run (and optionally its judge run) described as JSON. Four shapes,
// told apart by "task":
//
//   generation   { "task": "completion", "model": "local/qwen2.5-7b", "set": ["seed"], "cwe": ["CWE-79"],
//                  "language": ["python"], "limit": 20, "seed": 1, "samples": 1,
//                  "judge": "local/gpt-4o" | "rules", "template": "zeroshot" | "fewshot" | "direct" }
//   self-detection { "task": "self-detection", "from": "gen_gpt4o" }
//   self-repair  { "task": "self-repair", "from": "gen_gpt4o", "judge": "rules", "template": … }
//                  (Table 3: "from" is the id of another run cell of the notebook — a completion run
//                  with a judge; its judge run is the reference. Self-repair's "judge" judges the
//                  repairs, by default the reference's own judge.)
//   evolve       { "task": "evolve", "model": "local/gpt-4o", "set": ["seed"], "strategies": […], "n": 1,
//                  "realise_model": …, "judge_model": …, "secure": "rules" | "llm" | "both" }
//
// Opening a notebook never starts a run (it could spend someone's API budget): the cell shows
// the run's state and a Start button. Run ids derive from these parameters, so the same spec
// names the same run: starting it again resumes it.
import { MAX_LIMIT, MAX_SAMPLES } from '../core/run-bounds.ts';
import { EVOLVE_STRATEGIES, type EvolveStrategy } from '../core/evolve/strategies.ts';
import { isJsonObject, type JsonValue } from '../core/json/parse.ts';
import type { SpecError } from './plot-spec.ts';
import { parseSpecObject } from './spec-object.ts';
import { GENERATION_TASKS, JUDGE_STYLES as JUDGE_TEMPLATES, LANGUAGES } from '../core/vocabulary.ts';

export const SELF_CORRECTION_TASKS = ['self-detection', 'self-repair'] as const;
export const RUN_TASKS = [...GENERATION_TASKS, ...SELF_CORRECTION_TASKS, 'evolve'] as const;
export const SECURE_METHODS = ['rules', 'llm', 'both'] as const;
export { GENERATION_TASKS, JUDGE_TEMPLATES };

/** The cell ids "from" may hold: what a notebook id may be (format.ts). */
const CELL_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Each task's fields ("task" included); a field of another task is an error naming its task. */
const FIELDS: Record<(typeof RUN_TASKS)[number], readonly string[]> = {
	completion: ['task', 'model', 'set', 'cwe', 'language', 'limit', 'seed', 'samples', 'judge', 'template'],
	repair: ['task', 'model', 'set', 'cwe', 'language', 'limit', 'seed', 'samples', 'judge', 'template'],
	detection: ['task', 'model', 'set', 'cwe', 'language', 'limit', 'seed', 'samples', 'judge', 'template'],
	'self-detection': ['task', 'from'],
	'self-repair': ['task', 'from', 'judge', 'template'],
	evolve: ['task', 'model', 'set', 'cwe', 'language', 'limit', 'strategies', 'n', 'realise_model', 'judge_model', 'secure']
};
const KEYS = [...new Set(Object.values(FIELDS).flat())];

export interface GenerationRunSpec {
	task: (typeof GENERATION_TASKS)[number];
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

export interface SelfCorrectionRunSpec {
	task: (typeof SELF_CORRECTION_TASKS)[number];
	/** The id of the run cell whose completion run (and its judge run) this starts from. */
	from: string;
	/** self-repair: who judges the repairs (default: the reference judge). */
	judge?: string;
	template?: (typeof JUDGE_TEMPLATES)[number];
	/**
	 * That cell's spec, filled in by the run cell when it executes (never written by hand: the
	 * editor rejects the key); the host plans and starts from it, so the server needs no notebook.
	 */
	source?: GenerationRunSpec;
	model?: never;
}

export interface EvolveRunSpec {
	task: 'evolve';
	model: string;
	set?: string[];
	cwe?: string[];
	language?: ('c' | 'python')[];
	limit?: number;
	strategies?: EvolveStrategy[];
	/** Scenarios per seed and strategy. */
	n?: number;
	realise_model?: string;
	judge_model?: string;
	secure?: (typeof SECURE_METHODS)[number];
	judge?: never;
}

export type RunSpec = GenerationRunSpec | SelfCorrectionRunSpec | EvolveRunSpec;

export const isGenerationSpec = (spec: RunSpec): spec is GenerationRunSpec => (GENERATION_TASKS as readonly string[]).includes(spec.task);
export const isSelfCorrectionSpec = (spec: RunSpec): spec is SelfCorrectionRunSpec => (SELF_CORRECTION_TASKS as readonly string[]).includes(spec.task);
export const isEvolveSpec = (spec: RunSpec): spec is EvolveRunSpec => spec.task === 'evolve';

type Value = { [key: string]: JsonValue };
type At = (path: string, message: string) => void;

/** Where each task's fields can be explained: "from" applies to self-detection, self-repair. */
function tasksWith(key: string): string {
	return RUN_TASKS.filter((t) => FIELDS[t].includes(key)).join(', ');
}

function checkModel(v: Value, at: At, key = 'model', required = true): void {
	const m = v[key];
	if (m === undefined && !required) return;
	if (typeof m !== 'string' || m === '') at(m === undefined ? '' : key, `"${key}" must name a model, e.g. "endpoint/model"`);
}

function checkSelection(v: Value, at: At): void {
	for (const key of ['set', 'cwe', 'language'] as const) {
		const list = v[key];
		if (list !== undefined && (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s !== ''))) {
			at(key, `"${key}" must be an array of strings`);
		}
	}
	if (Array.isArray(v.language) && !v.language.every((l) => LANGUAGES.includes(l as never))) at('language', '"language" holds c and/or python');
}

// Bounded: opening a notebook plans its runs, and a plan must stay small (MAX_* in core/run-bounds.ts).
function checkIntegers(v: Value, at: At, bounds: readonly (readonly [string, number, number])[]): void {
	for (const [key, min, max] of bounds) {
		const n = v[key];
		if (n === undefined) continue;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < min) at(key, `"${key}" must be an integer ≥ ${min}`);
		else if (n > max) at(key, `"${key}" must be an integer from ${min} to ${max}`);
	}
}

function checkJudge(v: Value, at: At, what: string): void {
	if (v.judge !== undefined && (typeof v.judge !== 'string' || v.judge === '')) at('judge', `"judge" ${what}: "rules" or "endpoint/model"`);
	if (v.template !== undefined) {
		if (!JUDGE_TEMPLATES.includes(v.template as never)) at('template', `"template" must be one of ${JUDGE_TEMPLATES.join(', ')}`);
		else if (v.judge === undefined && v.task !== 'self-repair') at('template', '"template" applies to a judge: add "judge"');
	}
}

function checkGeneration(v: Value, at: At): void {
	checkModel(v, at);
	checkSelection(v, at);
	checkIntegers(v, at, [['limit', 1, MAX_LIMIT], ['seed', 0, Number.MAX_SAFE_INTEGER], ['samples', 1, MAX_SAMPLES]]);
	checkJudge(v, at, 'names a judge');
}

function checkSelfCorrection(v: Value, at: At): void {
	if (v.from === undefined) at('', `"from" is missing: the id of the run cell whose completions ${v.task} starts from, e.g. {"task": "${v.task}", "from": "gen"}`);
	else if (typeof v.from !== 'string' || !CELL_ID.test(v.from)) at('from', '"from" must be the id of another run cell of this notebook (letters, digits, _)');
	if (v.task === 'self-repair') checkJudge(v, at, 'judges the repairs (default: the judge of the "from" cell)');
}

function checkEvolve(v: Value, at: At): void {
	checkModel(v, at);
	checkModel(v, at, 'realise_model', false);
	checkModel(v, at, 'judge_model', false);
	checkSelection(v, at);
	checkIntegers(v, at, [['limit', 1, MAX_LIMIT], ['n', 1, 100]]);
	const s = v.strategies;
	if (s !== undefined) {
		if (!Array.isArray(s) || s.length === 0 || !s.every((x) => EVOLVE_STRATEGIES.includes(x as never))) {
			at('strategies', `"strategies" must be a non-empty array of ${EVOLVE_STRATEGIES.join(', ')}`);
		} else if (new Set(s).size !== s.length) at('strategies', '"strategies" names a strategy twice');
	}
	if (v.secure !== undefined && !SECURE_METHODS.includes(v.secure as never)) at('secure', `"secure" must be one of ${SECURE_METHODS.join(', ')}`);
}

/** Checks an already-parsed spec object (errors through `at`); used for cell bodies and request bodies. */
function checkSpec(v: Value, at: At): void {
	const task = v.task as (typeof RUN_TASKS)[number];
	if (!RUN_TASKS.includes(task)) {
		at(v.task === undefined ? '' : 'task', `"task" must be one of ${RUN_TASKS.join(', ')}`);
		// The other fields as for a model run, the commonest shape: every mistake is named at once.
		checkGeneration(v, at);
		return;
	}
	for (const key of Object.keys(v)) {
		if (KEYS.includes(key) && !FIELDS[task].includes(key)) at(key, `"${key}" does not apply to task "${task}" (it applies to ${tasksWith(key)})`);
	}
	if (isGenerationSpec(v as unknown as RunSpec)) checkGeneration(v, at);
	else if (task === 'evolve') checkEvolve(v, at);
	else checkSelfCorrection(v, at);
}

export function parseRunSpec(source: string): { spec: RunSpec | null; errors: SpecError[] } {
	const { value: v, errors, at } = parseSpecObject(source, 'run', '{"task": "completion", "model": "endpoint/model"}', KEYS);
	if (!v) return { spec: null, errors };
	checkSpec(v, at);
	if (errors.length) return { spec: null, errors };
	return { spec: v as unknown as RunSpec, errors };
}

/**
 * A spec as the run routes receive it: a cell's spec, and for self-detection / self-repair the
 * `source` the run cell resolved "from" to (a generation spec with a judge). Messages name the field.
 */
export function parseResolvedRunSpec(value: JsonValue): { spec: RunSpec | null; errors: string[] } {
	if (!isJsonObject(value)) return { spec: null, errors: ['a run spec is a JSON object'] };
	const { source, ...rest } = value;
	const { spec, errors } = parseRunSpec(JSON.stringify(rest));
	const messages = errors.map((e) => e.message);
	if (!spec) return { spec: null, errors: messages };
	if (!isSelfCorrectionSpec(spec)) {
		if (source !== undefined) return { spec: null, errors: [`"source" applies only to ${SELF_CORRECTION_TASKS.join(', ')}`] };
		return { spec, errors: [] };
	}
	if (source === undefined) return { spec: null, errors: [`"source": the spec of run cell "${spec.from}" is needed (the notebook fills it in)`] };
	const inner = parseRunSpec(JSON.stringify(source));
	if (!inner.spec) return { spec: null, errors: inner.errors.map((e) => `"source": ${e.message}`) };
	const problem = sourceProblem(spec, inner.spec);
	if (problem) return { spec: null, errors: [`"source": ${problem}`] };
	return { spec: { ...spec, source: inner.spec as GenerationRunSpec }, errors: [] };
}

/** Why the run cell a self-correction spec names cannot be its source; null when it can. */
export function sourceProblem(spec: SelfCorrectionRunSpec, source: RunSpec): string | null {
	if (source.task !== 'completion') {
		return `run cell "${spec.from}" is a ${source.task} run: ${spec.task} starts from a model's own completions (task "completion")`;
	}
	if (!source.judge) {
		return `run cell "${spec.from}" has no "judge": its judge run is the reference ${spec.task === 'self-detection' ? 'the model is scored against' : 'that picks the programs to repair'}; add "judge" to it`;
	}
	return null;
}
