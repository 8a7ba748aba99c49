// The project's runs as notebooks see them: a run cell's spec → the runs it names (plan), and
// starting them. Used by the workbench server and the headless CLI. Four kinds of spec:
//   completion / repair / detection — the generation, then its judge;
//   self-detection — the generating model judges its own programs (runs/self-correction.ts);
//   self-repair — it repairs those the reference judge found vulnerable, then a judge run on them;
//   evolve — a Vul-Evol run and its filters (runs/evolve/evolve-run.ts), then its evolved set and
//     its rows in the data folder's vul_evol_filters table (as `covw evolve` writes them).
// Self-detection and self-repair carry the spec of the run cell they start from (`source`): its
// completion run and judge run (the reference) are planned from it, as the run cell names them.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import { loadEngineConfig, resolveModel, type EngineConfig } from '../../engine/config.ts';
import type { Progress } from '../../engine/index.ts';
import { ResponseCache } from '../../engine/response-cache.ts';
import type { RunHost, RunPlan } from '../../notebook/executor.ts';
import { isEvolveSpec, isSelfCorrectionSpec, sourceProblem, type EvolveRunSpec, type GenerationRunSpec, type RunSpec, type SelfCorrectionRunSpec } from '../../notebook/run-spec.ts';
import { derivedRunId, generationRunPlan, judgeRunIdentity, modelName, parseCweList, readRun, runGeneration, runJudge, selectItems, SelectionError } from '../../runs/index.ts';
import type { GenerationTask } from '../../runs/index.ts';
import { EVOLVE_STRATEGIES } from '../../core/evolve/strategies.ts';
import { evolveRunPlan, runEvolve, type EvolveRunOptions } from '../../runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../runs/evolve/evolve-templates.ts';
import { reviewVotes, writeEvolvedSet } from '../../runs/evolve/evolved-set.ts';
import { readAcceptanceVotes } from '../labels/acceptance-votes.ts';
import { runSelfDetection, runSelfRepair } from '../../runs/self-correction.ts';
import { readItemsArrow } from '../../node/coveval/items-arrow.ts';
import { DEFAULT_TEMPLATE_DIR, loadTemplates, type LoadedTemplates } from '../../node/coveval/templates.ts';
import type { DirectComputeRequest } from '../../runs/judge-run.ts';
import type { DirectComputer } from '../../runs/direct-run.ts';

export interface ProjectFolders {
	root: string;
	runsDir: string;
	cacheDir: string;
	dataDir: string;
	env: Record<string, string | undefined>;
}

/** No benchmark items imported: a run cell cannot name its runs yet (an empty view, not an error). */
export class NoItemsError extends SelectionError {
	readonly unavailable = true;
}

export interface RunPhaseProgress {
	/** generate, judge; self-detection; evolve and its filter steps (realise, induce, secure). */
	phase: string;
	progress: Progress;
}

export interface StartOptions {
	signal?: AbortSignal;
	onProgress?: (p: RunPhaseProgress) => void;
	onWarning?: (m: string) => void;
}

type Context = { config: EngineConfig; items: Item[]; templates: LoadedTemplates };

export class ProjectRuns implements RunHost {
	private items: { mtimeMs: number; size: number; items: Item[] } | null = null;

	/**
	 * @param directComputer where a direct judge run's verdicts are computed (the rule judge, the
	 *   parsers): the web server passes its worker threads (judge-worker.ts), so its event loop stays
	 *   free; absent (the CLI's headless notebooks), in process between turns of the loop.
	 */
	constructor(
		readonly folders: ProjectFolders,
		private readonly directComputer: ((request: DirectComputeRequest) => DirectComputer) | null = null
	) {}

	/** The runs a spec names. Reads the config, items and templates; starts nothing. */
	async plan(spec: RunSpec): Promise<RunPlan> {
		const ctx = await this.context();
		if (isSelfCorrectionSpec(spec)) return this.selfCorrectionPlan(spec, ctx);
		if (isEvolveSpec(spec)) return { generationRunId: evolveRunPlan(await this.evolveOptions(spec, ctx)).runId, judgeRunId: null, kind: 'evolve' };
		const generation = generationRunPlan(this.generationOptions(spec, ctx));
		return { generationRunId: generation.runId, judgeRunId: this.judgeRunId(spec, generation.runId, ctx) };
	}

	/** Runs what the spec names; resumes whatever an earlier session left. */
	async start(spec: RunSpec, options: StartOptions): Promise<RunPlan> {
		const ctx = await this.context();
		const cache = new ResponseCache(this.folders.cacheDir);
		try {
			if (isSelfCorrectionSpec(spec)) return await this.startSelfCorrection(spec, ctx, cache, options);
			if (isEvolveSpec(spec)) return await this.startEvolve(spec, ctx, cache, options);
			const generation = await runGeneration({
				...this.generationOptions(spec, ctx),
				cache,
				signal: options.signal,
				onProgress: (progress) => options.onProgress?.({ phase: 'generate', progress }),
				onWarning: options.onWarning
			});
			const judgeRunId = this.judgeRunId(spec, generation.runId, ctx);
			if (spec.judge && !options.signal?.aborted) {
				await runJudge({
					runsDir: this.folders.runsDir,
					judge: spec.judge,
					template: spec.template,
					sourceRunId: generation.runId,
					items: ctx.items,
					templates: ctx.templates.templates,
					config: ctx.config,
					cache,
					signal: options.signal,
					onProgress: (progress) => options.onProgress?.({ phase: 'judge', progress }),
					onWarning: options.onWarning,
					directComputer: this.directComputer
				});
			}
			return { generationRunId: generation.runId, judgeRunId };
		} finally {
			cache.close();
		}
	}

	/** The source cell's spec, checked here too: the server receives it from the browser. */
	private sourceOf(spec: SelfCorrectionRunSpec): GenerationRunSpec {
		if (!spec.source) throw new SelectionError(`${spec.task} needs the spec of run cell "${spec.from}"`);
		const problem = sourceProblem(spec, spec.source);
		if (problem) throw new SelectionError(problem);
		return spec.source;
	}

	/**
	 * Self-detection: the source model's zero-shot judge run over its completion run. Self-repair:
	 * the repair run (named as runs/self-correction.ts names it) and the judge run over the repairs.
	 */
	private selfCorrectionPlan(spec: SelfCorrectionRunSpec, ctx: Context): RunPlan {
		const source = this.sourceOf(spec);
		const sourceRunId = generationRunPlan(this.generationOptions(source, ctx)).runId;
		const referenceRunId = this.judgeRunId(source, sourceRunId, ctx)!;
		const model = modelName(resolveModel(ctx.config, source.model));
		const base = { sourceRunId, referenceRunId };
		if (spec.task === 'self-detection') {
			const self = judgeRunIdentity({ judge: model, template: 'zeroshot', sourceRunId, config: ctx.config, templates: ctx.templates.templates });
			if (self.runId === referenceRunId) {
				throw new SelectionError(`run cell "${spec.from}" is judged by its own model with the zeroshot template: that judge run is self-detection itself, so it cannot be the reference; give "${spec.from}" another judge or template`);
			}
			return { generationRunId: self.runId, judgeRunId: null, kind: 'self-detection', ...base };
		}
		const repairRunId = derivedRunId('self-repair', [model], { source: sourceRunId, judge_run: referenceRunId });
		const { judge, template } = this.repairJudge(spec, source);
		const judgeRunId = judgeRunIdentity({ judge, template, sourceRunId: repairRunId, config: ctx.config, templates: ctx.templates.templates }).runId;
		return { generationRunId: repairRunId, judgeRunId, kind: 'self-repair', ...base };
	}

	/** Who judges the repairs: the spec's judge, else the reference judge (and its template). */
	private repairJudge(spec: SelfCorrectionRunSpec, source: GenerationRunSpec): { judge: string; template: GenerationRunSpec['template'] } {
		if (spec.judge !== undefined) return { judge: spec.judge, template: spec.template };
		return { judge: source.judge!, template: spec.template ?? source.template };
	}

	private async startSelfCorrection(spec: SelfCorrectionRunSpec, ctx: Context, cache: ResponseCache, options: StartOptions): Promise<RunPlan> {
		const plan = this.selfCorrectionPlan(spec, ctx);
		for (const [what, id] of [['completion run', plan.sourceRunId!], ['judge run', plan.referenceRunId!]] as const) {
			const state = readRun(this.folders.runsDir, id)?.manifest.state;
			if (state !== 'completed') {
				throw new SelectionError(`run cell "${spec.from}" has not finished: its ${what} ${id} is ${state ?? 'not started'}; start that cell first`);
			}
		}
		const common = {
			runsDir: this.folders.runsDir,
			config: ctx.config,
			templates: ctx.templates.templates,
			sourceRunId: plan.sourceRunId!,
			judgeRunId: plan.referenceRunId!,
			cache,
			signal: options.signal,
			onWarning: options.onWarning
		};
		if (spec.task === 'self-detection') {
			await runSelfDetection({ ...common, onProgress: (progress) => options.onProgress?.({ phase: 'self-detection', progress }) });
			return plan;
		}
		const repair = await runSelfRepair({ ...common, onProgress: (progress) => options.onProgress?.({ phase: 'repair', progress }) });
		if (!repair.generation) {
			options.onWarning?.(`the judge found none of run cell "${spec.from}"'s programs vulnerable: nothing to repair`);
			return plan;
		}
		if (repair.generation.runId !== plan.generationRunId) throw new Error(`self-repair run ${repair.generation.runId} is not the planned ${plan.generationRunId}`);
		if (repair.generation.result.state === 'completed' && !options.signal?.aborted) {
			const { judge, template } = this.repairJudge(spec, this.sourceOf(spec));
			await runJudge({
				runsDir: this.folders.runsDir,
				judge,
				template,
				sourceRunId: repair.generation.runId,
				templates: ctx.templates.templates,
				config: ctx.config,
				cache,
				signal: options.signal,
				onProgress: (progress) => options.onProgress?.({ phase: 'judge', progress }),
				onWarning: options.onWarning,
				directComputer: this.directComputer
			});
		}
		return plan;
	}

	private async evolveOptions(spec: EvolveRunSpec, ctx: Context): Promise<EvolveRunOptions> {
		const seeds = selectItems(ctx.items, {
			task: 'completion',
			set: (spec.set ?? ['seed']) as Item['set'][],
			...(spec.cwe ? { cwe: parseCweList(spec.cwe) } : {}),
			...(spec.language ? { language: spec.language } : {}),
			...(spec.limit !== undefined ? { limit: spec.limit } : {})
		});
		if (seeds.length === 0) throw new SelectionError(`the seed set is empty: no completion items of set ${(spec.set ?? ['seed']).join(', ')} match`);
		const templateDir = resolve(this.folders.root, DEFAULT_TEMPLATE_DIR);
		return {
			runsDir: this.folders.runsDir,
			config: ctx.config,
			seeds,
			strategies: spec.strategies ?? [...EVOLVE_STRATEGIES],
			samples: spec.n ?? 1,
			model: spec.model,
			realiseModel: spec.realise_model,
			judgeModel: spec.judge_model,
			secure: spec.secure ?? 'rules',
			templates: (await loadEvolveTemplates(templateDir, templateDir)).templates,
			taskTemplates: ctx.templates.templates
		};
	}

	/** As `covw evolve`: the run and its filters, then the evolved set named by the run id. */
	private async startEvolve(spec: EvolveRunSpec, ctx: Context, cache: ResponseCache, options: StartOptions): Promise<RunPlan> {
		const out = await runEvolve({
			...(await this.evolveOptions(spec, ctx)),
			cache,
			signal: options.signal,
			onProgress: (phase, progress) => options.onProgress?.({ phase, progress }),
			onWarning: options.onWarning
		});
		// As `covw evolve --review auto`: once annotators voted on this run's survivors, only the accepted go in.
		if (out.state === 'completed') {
			const votes = reviewVotes(out.rows, readAcceptanceVotes(this.folders.dataDir, options.onWarning), 'auto');
			await writeEvolvedSet(this.folders.dataDir, out.runId, out.rows, votes);
		}
		return { generationRunId: out.runId, judgeRunId: null, kind: 'evolve' };
	}

	private judgeRunId(spec: GenerationRunSpec, generationRunId: string, { config, templates }: Context): string | null {
		if (!spec.judge) return null;
		return judgeRunIdentity({ judge: spec.judge, template: spec.template, sourceRunId: generationRunId, config, templates: templates.templates }).runId;
	}

	private generationOptions(spec: GenerationRunSpec, { config, items, templates }: Context) {
		return {
			runsDir: this.folders.runsDir,
			config,
			items,
			task: spec.task as GenerationTask,
			model: spec.model,
			selection: {
				...(spec.set ? { set: spec.set as Item['set'][] } : {}),
				...(spec.cwe ? { cwe: parseCweList(spec.cwe) } : {}),
				...(spec.language ? { language: spec.language } : {}),
				...(spec.limit !== undefined ? { limit: spec.limit } : {}),
				...(spec.seed !== undefined ? { seed: spec.seed } : {})
			},
			samples: spec.samples,
			templates: templates.templates
		};
	}

	private async context(): Promise<Context> {
		// Read every time: the user may edit covw.config.json or import data while the server runs.
		const config = loadEngineConfig({ cwd: this.folders.root, env: this.folders.env });
		const templates = await loadTemplates(resolve(this.folders.root, DEFAULT_TEMPLATE_DIR));
		return { config, items: await this.loadItems(), templates };
	}

	private async loadItems(): Promise<Item[]> {
		const path = resolve(this.folders.dataDir, 'coveval/items.arrow');
		if (!existsSync(path)) {
			throw new NoItemsError(`no benchmark items at ${path}: import them first (npm run covw -- data import <path to CoV-Eval>)`);
		}
		const { mtimeMs, size } = statSync(path);
		if (this.items?.mtimeMs !== mtimeMs || this.items.size !== size) this.items = { mtimeMs, size, items: await readItemsArrow(path) };
		return this.items.items;
	}
}
