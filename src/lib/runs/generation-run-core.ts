// A generation run: a task × a model × an item selection (× samples), prompts from a template
// folder. The run id derives from everything that shapes the answers, so running the same
// command again resumes the run. Detection runs are also scored right away by the answer
// parsers (both modes), written as a judge run of their own.
// This module names the judge-run module only through the loader its caller gives
// (runGenerationWith): generation-run.ts gives a literal import() (what the web server's
// bundler follows); the CLI one Deno does not read ahead (src/cli/lazy-module.ts), so the
// judges' ~100 modules are loaded while the first requests are out, not before they are sent.
import type { Item } from '../core/items/item.ts';
import { buildTaskPrompt, type TemplateSet } from '../core/prompts/build.ts';
import type { TemplateName } from '../core/prompts/template-names.ts';
import { MAX_SAMPLES } from '../core/run-bounds.ts';
import { canonicalJson, sha256Hex } from '../engine/canonical-json.ts';
import { resolveModel, type EngineConfig } from '../engine/config.ts';
import type { ResponseCache } from '../engine/response-cache.ts';
import type { Progress } from '../engine/run-units.ts';
import { IdleQueue } from '../engine/idle-queue.ts';
import { markPhase } from '../engine/phase-marks.ts';
import { batchParams, type BatchMode, type ModeResult, runUnitsInMode } from '../engine/batch/run-mode.ts';
import { itemsHash } from './dataset-hash.ts';
import { parseGeneration } from './generation-parse.ts';
import { generationUnits, modelName, samplingParams, type GenerationTask } from './generation-units.ts';
import type { JudgeRunResult } from './judge-run.ts';
import type { VerdictsAhead } from './verdicts-ahead.ts';
import type { ResultRow, WorkUnit } from '../engine/types.ts';
import type { UnitSource } from '../engine/unit-source.ts';
import { derivedRunId } from './run-ids.ts';
import { selectItems, SelectionError, type ItemSelection } from './select-items.ts';

/** What a detection run needs of ./judge-run.ts, loaded once its first requests are out. */
export type JudgeRunModule = Pick<typeof import('./judge-run.ts'), 'PARSER_JUDGE' | 'runJudge' | 'verdictsAhead'>;

const TEMPLATE_OF: Record<GenerationTask, TemplateName> = {
	completion: 'code_completion',
	repair: 'vulnerability_repair',
	detection: 'detection_classification'
};

export interface GenerationRunOptions {
	runsDir: string;
	config: EngineConfig;
	/** Every item available (the selection picks from them). */
	items: readonly Item[];
	task: GenerationTask;
	/** "endpoint/model", or a model name one endpoint offers. */
	model: string;
	selection?: Omit<ItemSelection, 'task'>;
	/** Samples per item; defaults to the config's. */
	samples?: number;
	templates: TemplateSet;
	runId?: string;
	cache?: ResponseCache | null;
	signal?: AbortSignal;
	onProgress?: (p: Progress) => void;
	onWarning?: (message: string) => void;
	/** Send through the OpenAI Batch API, or export for vLLM's run_batch (engine/batch/run-mode.ts). */
	batch?: BatchMode | null;
	/**
	 * Write the compacted generations.arrow when the run ends (default). false: leave it to the
	 * first reader — the server's run tables compact a finished run once (run-source.ts) — so a
	 * command-line run exits right after its last answer.
	 */
	compact?: boolean;
}

export interface GenerationRunResult {
	runId: string;
	selected: number;
	result: ModeResult;
	/** Detection runs: the parser verdict run. */
	parsed?: JudgeRunResult;
}

/**
 * What a generation run is — its id, items, params and the NUMBER of units — without building
 * the units: planning is what opening a notebook does, so it stays cheap whatever the spec says.
 */
export function generationRunPlan(options: GenerationRunOptions) {
	const selection = { task: options.task, ...(options.selection ?? {}) } as ItemSelection;
	const items = selectItems(options.items, selection);
	if (items.length === 0) throw new SelectionError(`no ${options.task} items match the selection ${canonicalJson(options.selection ?? {})}`);
	const resolved = resolveModel(options.config, options.model);
	const samples = options.samples ?? options.config.defaults.samples;
	if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES) {
		throw new SelectionError(`samples must be an integer from 1 to ${MAX_SAMPLES}, got ${samples}`);
	}
	const template = options.templates[TEMPLATE_OF[options.task]];
	const params = {
		kind: 'generation',
		task: options.task,
		model: modelName(resolved),
		selection: options.selection ?? {},
		samples,
		request: samplingParams(options.config, resolved),
		// The template's content, not its path: a moved checkout must still resume the same run.
		prompt_template: { name: TEMPLATE_OF[options.task], hash: sha256Hex(canonicalJson(template.parts)).slice(0, 16) },
		...batchParams(options.batch)
	};
	const runId = options.runId ?? derivedRunId('gen', [options.task, modelName(resolved)], params);
	return { runId, items, unitCount: items.length * samples, params, datasetHash: itemsHash(items) };
}

/** A generation run; `loadJudgeRun` loads ./judge-run.ts (detection runs only). */
export async function runGenerationWith(options: GenerationRunOptions, loadJudgeRun: () => Promise<JudgeRunModule>): Promise<GenerationRunResult> {
	const plan = generationRunPlan(options);
	const units = generationUnitSource({
		items: plan.items,
		config: options.config,
		resolved: resolveModel(options.config, options.model),
		templates: options.templates,
		samples: plan.params.samples
	});
	markPhase('units');
	// Detection runs: the parsers' verdicts are computed as the answers come in (once their
	// module is loaded; rows before that wait for it), so judging after the run only writes —
	// in the gaps between answers (engine/idle-queue.ts), not between one answer and the next.
	let ahead: VerdictsAhead | null = null;
	const early: ResultRow[] = [];
	const later = new IdleQueue<ResultRow>((row) => (ahead ? ahead.add(row) : early.push(row)));
	// Not loaded with this module: the judge registry (analyzers, tree-sitter) is only needed
	// once the answers are in, so a run starts sending sooner and lighter. A detection run loads
	// it once its first requests are out (or its first row is in, for a run the cache answers),
	// so it loads while they are answered — not while the run opens, which it slowed (module
	// compiling was ~40% of the CPU between the units being planned and the first request).
	let judging: Promise<JudgeRunModule> | null = null;
	const startJudging = (): Promise<JudgeRunModule> | null => {
		if (options.task !== 'detection' || judging) return judging;
		judging = loadJudgeRun();
		judging.then(
			(m) => {
				try {
					ahead = m.verdictsAhead(m.PARSER_JUDGE, plan.runId);
					for (const row of early.splice(0)) ahead?.add(row);
				} catch {
					ahead = null; // runJudge then computes every verdict itself (and reports what is wrong)
				}
			},
			() => {} // awaited below; a run that throws first must not leave it unhandled
		);
		return judging;
	};
	const onRow =
		options.task === 'detection'
			? (row: ResultRow) => {
					if (!judging) startJudging();
					later.push(row);
				}
			: undefined;
	const running = runUnitsInMode({
		runId: plan.runId,
		runsDir: options.runsDir,
		config: options.config,
		units,
		kind: 'generation',
		params: plan.params,
		datasetHash: plan.datasetHash,
		cache: options.cache ?? null,
		signal: options.signal,
		parse: parseGeneration,
		onProgress: options.onProgress,
		onWarning: options.onWarning,
		onRow,
		onRequestsOut: startJudging,
		compactTo: options.compact === false ? null : 'generations.arrow'
	}, options.batch);
	let result: ModeResult | undefined;
	try {
		result = await running;
	} finally {
		if (result?.state !== 'completed') later.dispose(); // not judged: nothing to compute ahead
	}
	const out: GenerationRunResult = { runId: plan.runId, selected: plan.items.length, result };
	if (options.task === 'detection' && result.state === 'completed') {
		let judgeRun: JudgeRunModule;
		try {
			judgeRun = await startJudging()!;
		} finally {
			later.flush(); // ahead is set (or failed to be) once the module has loaded
		}
		const { PARSER_JUDGE, runJudge } = judgeRun;
		markPhase('judge-loaded');
		// The answers from the rows the run just logged (no second read of its log), when it kept them.
		out.parsed = await runJudge({ runsDir: options.runsDir, judge: PARSER_JUDGE, sourceRunId: plan.runId, sourceRows: result.loggedRows, ahead, onWarning: options.onWarning });
		markPhase('judged');
	}
	return out;
}

/**
 * The run's units as a source the engine builds from as it sends (engine/unit-source.ts): the
 * same units, in the same order, as generationUnits over all the items, each item's built when
 * a worker first needs one. Whatever could stop generationUnits is checked here first, so a
 * run fails before it sends anything, as it did when every unit was built first: every prompt
 * is built once (a template slot the template set lacks, a CWE the catalogue does not know),
 * and items sharing an id (whose units could share ids) get the plain list, checked whole.
 */
function generationUnitSource(options: Parameters<typeof generationUnits>[0]): WorkUnit[] | UnitSource {
	const { items } = options;
	if (new Set(items.map((i) => i.item_id)).size !== items.length) return generationUnits(options);
	for (const item of items) {
		if (item.task === 'reference') return generationUnits(options); // throws, naming the item
		buildTaskPrompt(item, options.templates);
	}
	return {
		count: items.length * options.samples,
		targets: [{ endpoint: options.resolved.endpoint.name, model: options.resolved.model }],
		*build() {
			for (const item of items) yield* generationUnits({ ...options, items: [item] });
		}
	};
}
