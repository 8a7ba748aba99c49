// Table 3 of the paper, on a model's own completions (a generation run):
//   self-detection — the same model is asked whether its own completed program has the item's
//     CWE (an LLM judge run of the generating model, zero-shot template, over the run), scored
//     against a chosen judge's verdicts on the same programs: recall (of the programs the judge
//     found vulnerable, the share the model flags) and accuracy (agreement);
//   self-repair — the same model is asked to repair those of its own programs the chosen judge
//     found vulnerable (a repair generation run whose items are those programs: nothing else is
//     sent), then a judge run on the repairs gives self-repair SR@1.
// Answers with no code are never sent for repair nor scored (status no_code upstream).
// Self-repair rows carry task "repair" (the repair prompt) but set "self-repair" (SELF_REPAIR_SET)
// and item ids <completion item>/self-<sample>, so no notebook counts them as the benchmark's
// 477-item repair set. Runs written before the set existed say set "repair": the notebooks tell
// them apart by the item id (task repair, id not under repair/).
import type { CweId } from '../core/cwe.ts';
import type { Item, ItemSet } from '../core/items/item.ts';
import { labelledScore, type LabelledScore } from '../core/metrics/labelled-agreement.ts';
import type { SecurityRate } from '../core/metrics/security-rate.ts';
import type { TemplateSet } from '../core/prompts/build.ts';
import { wilsonInterval, type ProportionInterval } from '../core/stats/wilson.ts';
import type { EngineConfig } from '../engine/config.ts';
import type { ResponseCache } from '../engine/response-cache.ts';
import type { Progress } from '../engine/run-units.ts';
import { runGeneration, type GenerationRunResult } from './generation-run.ts';
import { runJudge, type JudgeRunResult } from './judge-run.ts';
import { TargetError } from './judge-targets.ts';
import { derivedRunId } from './run-ids.ts';
import { readRun, type RunRecord } from './run-list.ts';

export interface SelfCorrectionOptions {
	runsDir: string;
	config: EngineConfig;
	templates: TemplateSet;
	/** The model's completion run. */
	sourceRunId: string;
	/** The judge run (over sourceRunId) whose verdicts are the reference. */
	judgeRunId: string;
	cache?: ResponseCache | null;
	signal?: AbortSignal;
	onProgress?: (p: Progress) => void;
	onWarning?: (message: string) => void;
}

function loadRuns(runsDir: string, sourceRunId: string, judgeRunId: string): { source: RunRecord; judge: RunRecord; model: string } {
	const source = readRun(runsDir, sourceRunId);
	if (!source) throw new TargetError(`no run "${sourceRunId}" in ${runsDir}`);
	if (source.manifest.kind !== 'generation' || source.manifest.params.task !== 'completion') {
		throw new TargetError(`run "${sourceRunId}" is not a completion run: self-detection and self-repair start from a model's own completions`);
	}
	const judge = readRun(runsDir, judgeRunId);
	if (!judge) throw new TargetError(`no run "${judgeRunId}" in ${runsDir}`);
	const judged = (judge.manifest.params.source as { run?: string } | undefined)?.run;
	if (judge.manifest.kind !== 'judge' || judged !== sourceRunId) throw new TargetError(`run "${judgeRunId}" is not a judge run of "${sourceRunId}"`);
	const model = String(source.manifest.params.model ?? '');
	if (!model) throw new TargetError(`run "${sourceRunId}" names no model`);
	return { source, judge, model };
}

/** The reference judge's verdict per generation unit (ok rows only). */
function referenceVerdicts(judge: RunRecord): Map<string, boolean> {
	const out = new Map<string, boolean>();
	for (const row of judge.rows) {
		if (row.status === 'ok' && typeof row.meta.vulnerable === 'boolean' && typeof row.meta.target_id === 'string') out.set(row.meta.target_id, row.meta.vulnerable);
	}
	return out;
}

/** Self-detection: the generating model judges its own programs. */
export async function runSelfDetection(options: SelfCorrectionOptions): Promise<JudgeRunResult> {
	const { model } = loadRuns(options.runsDir, options.sourceRunId, options.judgeRunId);
	return runJudge({
		runsDir: options.runsDir,
		judge: model,
		template: 'zeroshot',
		sourceRunId: options.sourceRunId,
		config: options.config,
		templates: options.templates,
		cache: options.cache,
		signal: options.signal,
		onProgress: options.onProgress,
		onWarning: options.onWarning
	});
}

/** Self-detection recall (TPR) and accuracy (consistency) against the reference judge. */
export function selfDetectionScore(selfRun: RunRecord, referenceRun: RunRecord): LabelledScore {
	const reference = referenceVerdicts(referenceRun);
	const pairs = selfRun.rows
		.filter((r) => typeof r.meta.target_id === 'string' && reference.has(r.meta.target_id))
		.map((r) => ({
			judge: r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null,
			judge_status: r.status,
			reference: reference.get(r.meta.target_id as string)!
		}));
	return labelledScore(pairs, { resamples: 1000, seed: 1 });
}

/** The set of self-repair items: not a benchmark set (core/vocabulary.ts ITEM_SETS), never the repair task's 477. */
export const SELF_REPAIR_SET = 'self-repair' as ItemSet;

/** The model's own programs the reference judge found vulnerable, as repair items. */
export function selfRepairItems(source: RunRecord, judge: RunRecord): Item[] {
	const reference = referenceVerdicts(judge);
	const items: Item[] = [];
	for (const row of source.rows) {
		if (row.status !== 'ok' || typeof row.meta.code !== 'string' || row.meta.code === '' || reference.get(row.unit_id) !== true) continue;
		const cwe = String(row.meta.cwe) as CweId;
		items.push({
			item_id: `${String(row.meta.item_id)}/self-${row.sample}`,
			task: 'repair',
			set: SELF_REPAIR_SET,
			cwe,
			language: row.meta.language === 'c' ? 'c' : 'python',
			scenario: String(row.meta.scenario ?? ''),
			code: row.meta.code,
			label: 'vulnerable',
			label_class: cwe,
			source: `${source.manifest.run_id}/${row.unit_id}`
		});
	}
	return items;
}

export interface SelfRepairResult {
	/** Programs sent for repair (the ones the judge found vulnerable). */
	sent: number;
	generation: GenerationRunResult | null;
}

/** Self-repair: the generating model repairs those of its programs the judge found vulnerable. */
export async function runSelfRepair(options: SelfCorrectionOptions): Promise<SelfRepairResult> {
	const { source, judge, model } = loadRuns(options.runsDir, options.sourceRunId, options.judgeRunId);
	const items = selfRepairItems(source, judge);
	if (items.length === 0) return { sent: 0, generation: null };
	const runId = derivedRunId('self-repair', [model], { source: options.sourceRunId, judge_run: options.judgeRunId });
	const generation = await runGeneration({
		runsDir: options.runsDir,
		config: options.config,
		items,
		task: 'repair',
		model,
		samples: 1,
		templates: options.templates,
		runId,
		cache: options.cache,
		signal: options.signal,
		onProgress: options.onProgress,
		onWarning: options.onWarning
	});
	return { sent: items.length, generation };
}

/**
 * Self-repair SR@1 as a proportion with its 95% Wilson interval. Each program is repaired once
 * (one sample per repair item), so the rate is secure repairs / judged repairs: a bootstrap of
 * so few 0/1 outcomes collapses to a point at 0% or 100% (0 of 5 gave [0.00, 0.00]).
 */
export function selfRepairInterval(sr: SecurityRate): ProportionInterval {
	if (sr.n_items !== sr.n_ok) throw new Error(`self-repair SR@1: ${sr.n_ok} judged repair(s) of ${sr.n_items} item(s); expected one repair per item`);
	const n = sr.n_ok;
	return wilsonInterval(n === 0 ? 0 : Math.round((sr.sr / 100) * n), n);
}

/** "95% Wilson [low, high], n N" in percent, for the CLI's lines. */
export function wilsonText(ci: ProportionInterval): string {
	if (ci.n === 0) return 'n 0: no interval';
	return `95% Wilson interval [${(100 * ci.low).toFixed(2)}, ${(100 * ci.high).toFixed(2)}], n ${ci.n}`;
}
