// The project's runs as notebooks see them: a run cell's spec → the runs it names (plan), and
// starting them (generation, then its judge). Used by the workbench server and the headless CLI.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import { loadEngineConfig, type EngineConfig } from '../../engine/config.ts';
import type { Progress } from '../../engine/index.ts';
import { ResponseCache } from '../../engine/response-cache.ts';
import type { RunHost, RunPlan } from '../../notebook/executor.ts';
import type { RunSpec } from '../../notebook/run-spec.ts';
import { generationRunPlan, judgeRunIdentity, parseCweList, runGeneration, runJudge, SelectionError } from '../../runs/index.ts';
import type { GenerationTask } from '../../runs/index.ts';
import { readItemsArrow } from '../../node/coveval/items-arrow.ts';
import { DEFAULT_TEMPLATE_DIR, loadTemplates, type LoadedTemplates } from '../../node/coveval/templates.ts';

export interface ProjectFolders {
	root: string;
	runsDir: string;
	cacheDir: string;
	dataDir: string;
	env: Record<string, string | undefined>;
}

export interface RunPhaseProgress {
	phase: 'generate' | 'judge';
	progress: Progress;
}

export class ProjectRuns implements RunHost {
	private items: { mtimeMs: number; size: number; items: Item[] } | null = null;

	constructor(readonly folders: ProjectFolders) {}

	/** The runs a spec names. Reads the config, items and templates; starts nothing. */
	async plan(spec: RunSpec): Promise<RunPlan> {
		const { config, items, templates } = await this.context();
		const generation = generationRunPlan(this.generationOptions(spec, config, items, templates));
		return { generationRunId: generation.runId, judgeRunId: this.judgeRunId(spec, generation.runId, config, templates) };
	}

	/** Runs the generation, then its judge; resumes whatever an earlier session left. */
	async start(spec: RunSpec, options: { signal?: AbortSignal; onProgress?: (p: RunPhaseProgress) => void; onWarning?: (m: string) => void }): Promise<RunPlan> {
		const { config, items, templates } = await this.context();
		const cache = new ResponseCache(this.folders.cacheDir);
		try {
			const generation = await runGeneration({
				...this.generationOptions(spec, config, items, templates),
				cache,
				signal: options.signal,
				onProgress: (progress) => options.onProgress?.({ phase: 'generate', progress }),
				onWarning: options.onWarning
			});
			const judgeRunId = this.judgeRunId(spec, generation.runId, config, templates);
			if (spec.judge && !options.signal?.aborted) {
				await runJudge({
					runsDir: this.folders.runsDir,
					judge: spec.judge,
					template: spec.template,
					sourceRunId: generation.runId,
					items,
					templates: templates.templates,
					config,
					cache,
					signal: options.signal,
					onProgress: (progress) => options.onProgress?.({ phase: 'judge', progress }),
					onWarning: options.onWarning
				});
			}
			return { generationRunId: generation.runId, judgeRunId };
		} finally {
			cache.close();
		}
	}

	private judgeRunId(spec: RunSpec, generationRunId: string, config: EngineConfig, templates: LoadedTemplates): string | null {
		if (!spec.judge) return null;
		return judgeRunIdentity({ judge: spec.judge, template: spec.template, sourceRunId: generationRunId, config, templates: templates.templates }).runId;
	}

	private generationOptions(spec: RunSpec, config: EngineConfig, items: Item[], templates: LoadedTemplates) {
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

	private async context(): Promise<{ config: EngineConfig; items: Item[]; templates: LoadedTemplates }> {
		// Read every time: the user may edit covw.config.json or import data while the server runs.
		const config = loadEngineConfig({ cwd: this.folders.root, env: this.folders.env });
		const templates = await loadTemplates(resolve(this.folders.root, DEFAULT_TEMPLATE_DIR));
		return { config, items: await this.loadItems(), templates };
	}

	private async loadItems(): Promise<Item[]> {
		const path = resolve(this.folders.dataDir, 'coveval/items.arrow');
		if (!existsSync(path)) {
			throw new SelectionError(`no benchmark items at ${path}: import them first (npm run covw -- data import <path to CoV-Eval>)`);
		}
		const { mtimeMs, size } = statSync(path);
		if (this.items?.mtimeMs !== mtimeMs || this.items.size !== size) this.items = { mtimeMs, size, items: await readItemsArrow(path) };
		return this.items.items;
	}
}
