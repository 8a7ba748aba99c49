// A judge run: any judge of the registry (judges/registry.ts) over the answers of a generation
// run or over items. It reads its targets and never sends a generation request, so re-judging
// with another judge or template costs judge calls only. The judge is looked up by its name,
// and executed by its kind (judges/judge.ts JudgeExecution): direct, through the engine, an
// external tool, or an ensemble of other judges — never by comparing judge names.
// The run id derives from (source, judge, template): judging again with the same command
// resumes; the manifest records the source run id.
import type { Item, ItemSet } from '../core/items/item.ts';
import type { ModeDisagreement } from '../core/parsing/mode-disagreement.ts';
import type { JudgeStyle, TemplateSet } from '../core/prompts/build.ts';
import { canonicalJson, sha256Hex, unitId } from '../engine/canonical-json.ts';
import { resolveModel, type EngineConfig } from '../engine/config.ts';
import type { Manifest } from '../engine/manifest.ts';
import type { ResultRow } from '../engine/types.ts';
import type { ResponseCache } from '../engine/response-cache.ts';
import type { Progress } from '../engine/run-units.ts';
import { batchParams, type BatchMode, runUnitsInMode } from '../engine/batch/run-mode.ts';
import type { AnalyzerOptions } from '../judges/analyzers/types.ts';
import type { JudgeDescriptor } from '../judges/judge.ts';
import type { JudgeTarget } from '../judges/target.ts';
import { PARSER_JUDGE } from '../judges/parser/parser-judge.ts';
import { describeJudge } from '../judges/registry.ts';
import { analyzerRunIdentity, analyzerUnits, finishedUnitIds, requireAnalyzer } from './analyzer-units.ts';
import { writeDirectRun, writeDirectRunSliced, writeDirectRunWith, type DirectComputer } from './direct-run.ts';
import { ensembleRunIdentity, runEnsemble } from './ensemble-units.ts';
import { modelName, samplingParams } from './generation-units.ts';
import { parseJudgeVerdict } from './judge-parse.ts';
import { judgeSource, type JudgeSource } from './judge-source.ts';
import { acceptedTargets, targetsFromItems, targetsFromRun, TargetError, type TargetSet } from './judge-targets.ts';
import { judgeOverrides, judgeUnits } from './judge-units.ts';
import { derivedRunId } from './run-ids.ts';
import { VerdictsAhead } from './verdicts-ahead.ts';

export { PARSER_JUDGE };

const JUDGE_TEMPLATE = { zeroshot: 'judge_zeroshot', fewshot: 'judge_fewshot', direct: 'judge_direct' } as const;

export interface JudgeRunOptions {
	runsDir: string;
	/** A judge as `--judge` names it: 'rules', 'bandit', 'endpoint/model', 'ensemble:any:rules+cppcheck' (covw judge --list). */
	judge: string;
	/** LLM judges (and ensembles with one) only. */
	template?: JudgeStyle;
	/** Judge a generation run… */
	sourceRunId?: string;
	/** …whose rows the caller holds, one per unit as a reader of its log sees them (targetsFromRun): its log is not read again. */
	sourceRows?: readonly ResultRow[] | null;
	/** A direct judge's verdicts already computed while the source run went (verdictsAhead). */
	ahead?: VerdictsAhead | null;
	/** …or the items of a set (e.g. 'pearce'). */
	itemSet?: ItemSet;
	/** All items (item targets, and the reference programs for few-shot examples). */
	items?: readonly Item[];
	templates?: TemplateSet;
	config?: EngineConfig;
	runId?: string;
	cache?: ResponseCache | null;
	signal?: AbortSignal;
	onProgress?: (p: Progress) => void;
	onWarning?: (message: string) => void;
	/** Analyzer judges (and the analyzers of an ensemble): which executable, PATH, timeouts, temp folder (tests; defaults otherwise). */
	analyzer?: AnalyzerOptions;
	/** LLM judges: send through the OpenAI Batch API, or export for vLLM's run_batch. */
	batch?: BatchMode | null;
	/** Direct judges that compute here (the rule judge): the time one program may take, in ms (its default when absent). */
	timeLimitMs?: number;
	/**
	 * Direct judges: where their rows are computed. Absent, here, in slices between turns of the
	 * event loop (the CLI); the web server passes its worker threads (server/runs/judge-worker.ts).
	 */
	directComputer?: ((request: DirectComputeRequest) => DirectComputer) | null;
}

/** What a computer elsewhere needs to make a direct judge's units again: the same judge, targets and context give the same unit ids. */
export interface DirectComputeRequest {
	judge: string;
	targets: readonly JudgeTarget[];
	sourceRunId: string | null;
	timeLimitMs?: number;
}

export interface JudgeRunResult {
	runId: string;
	manifest: Manifest;
	targets: number;
	failedGenerations: number;
	pendingGenerations: number;
	/** Targets outside what the judge judges: no row, counted (otherLanguage + notApplicable). */
	outside: number;
	/** Of those, targets in a language the judge does not read. */
	otherLanguage: number;
	/** Of those, targets in its language of a CWE it cannot report (not applicable). */
	notApplicable: number;
	/** HTTP requests sent (0 for the rule judge and the parsers). */
	requests: number;
	/** Parser runs: how many targets the two modes read differently. */
	modes?: ModeDisagreement;
	/** Analyzer runs: the tool, and the targets in a language it does not read (no row for them). */
	analyzer?: { tool: string; version: string; path: string; otherLanguage: number; notApplicable: number; analysed: number };
	/** Ensemble runs: the member judges' runs the verdicts were combined from. */
	members?: { judge: string; runId: string }[];
	/** LLM judges exported for vLLM: the run_batch input of the pending units. */
	exported?: { lines: number; text: string; path: string | null };
}

type IdentityOptions = Pick<JudgeRunOptions, 'judge' | 'template' | 'sourceRunId' | 'itemSet' | 'items' | 'config' | 'templates' | 'batch'>;

/** The judge a spec names, or a TargetError saying why it names none. */
export function requireJudge(spec: string): JudgeDescriptor {
	const { judge, error } = describeJudge(spec);
	if (!judge) throw new TargetError(error ?? `no judge "${spec}"`);
	if (error) throw new TargetError(`judge "${spec}": ${error}`);
	return judge;
}

/**
 * A judge run's parameters and the run id derived from them, without reading any targets: the
 * same judge, template and source always name the same run (so judging again resumes it, and a
 * notebook's run cell can name the run before it starts). An analyzer's run id includes the
 * installed tool's version, which only a process can tell: it is refused here.
 */
export function judgeRunIdentity(options: IdentityOptions): { runId: string; params: Record<string, unknown> } {
	const judge = requireJudge(options.judge);
	const source = judgeSource(options);
	switch (judge.execution.via) {
		case 'direct':
			return directRunIdentity(options.judge, source, judge.identityParams);
		case 'tool':
			throw new TargetError(`judge "${options.judge}" is a static analyzer: its run id needs the tool version (analyzerRunIdentity)`);
		case 'members':
			throw new TargetError(`judge "${options.judge}" names several judges, one run each: ${(judge.members?.(options.judge) ?? []).join(', ')}`);
		case 'engine':
			return llmRunIdentity(options, source);
		case 'ensemble': {
			const members = (judge.members?.(options.judge) ?? []).map((m) => ({ judge: m, runId: judgeRunIdentity({ ...options, judge: m }).runId }));
			return ensembleRunIdentity(options.judge, members, source);
		}
	}
}

function directRunIdentity(judge: string, { source, name }: JudgeSource, extra: Readonly<Record<string, string>> = {}): { runId: string; params: Record<string, unknown> } {
	const params = { kind: 'judge', judge, ...extra, source };
	return { runId: derivedRunId('judge', [judge, name], params), params };
}

function llmRunIdentity(options: IdentityOptions, { source, name }: JudgeSource): { runId: string; params: Record<string, unknown> } {
	if (!options.config) throw new TargetError(`judge "${options.judge}" is a model: an engine config is needed`);
	if (!options.templates) throw new TargetError('an LLM judge needs the prompt templates');
	const style = options.template ?? 'zeroshot';
	const resolved = resolveModel(options.config, options.judge);
	const judge = modelName(resolved);
	const params = {
		kind: 'judge',
		judge,
		template: style,
		source,
		request: { ...samplingParams(options.config, resolved), ...judgeOverrides(resolved, style) },
		// The judge template's content, not its path: a moved checkout must still resume the run.
		prompt_template: { name: JUDGE_TEMPLATE[style], hash: sha256Hex(canonicalJson(options.templates[JUDGE_TEMPLATE[style]].parts)).slice(0, 16) },
		...batchParams(options.batch)
	};
	return { runId: derivedRunId('judge', [judge, style, name], params), params };
}

/**
 * For a direct judge of a run still going: computes each answer's verdicts as the run logs it
 * (VerdictsAhead.add), for runJudge's `ahead`; null for a judge of any other kind.
 */
export function verdictsAhead(judge: string, sourceRunId: string): VerdictsAhead | null {
	const execution = requireJudge(judge).execution;
	return execution.via === 'direct' ? new VerdictsAhead(execution, sourceRunId) : null;
}

export async function runJudge(options: JudgeRunOptions): Promise<JudgeRunResult> {
	if ((options.sourceRunId === undefined) === (options.itemSet === undefined)) {
		throw new TargetError('judge either a generation run or a set of items (not both, not neither)');
	}
	const judge = requireJudge(options.judge);
	const execution = judge.execution;
	if (execution.via === 'members') {
		throw new TargetError(`judge "${options.judge}" names several judges; run each: ${(judge.members?.(options.judge) ?? []).join(', ')}`);
	}
	const warn = options.onWarning ?? ((m: string) => console.warn(m));
	// A missing tool is an error before anything is read or written.
	const tool = execution.via === 'tool' ? await requireAnalyzer(execution.tool.name, options.analyzer) : null;
	const set: TargetSet =
		options.sourceRunId !== undefined
			? targetsFromRun(options.runsDir, options.sourceRunId, options.sourceRows ?? undefined)
			: targetsFromItems(options.items ?? [], options.itemSet!);
	set.warnings.forEach(warn);
	if (set.pendingGenerations > 0) warn(`${set.pendingGenerations} generation unit(s) have no answer yet; judging the ${set.targets.length} there are`);
	const sourceRunId = options.sourceRunId ?? null;
	const datasetHash = set.source.kind === 'run' ? set.source.dataset_hash : null;
	const { accepted, outside, otherLanguage, notApplicable } = acceptedTargets(judge, options.judge, set.targets);
	const common = { targets: set.targets.length, failedGenerations: set.failedGenerations, pendingGenerations: set.pendingGenerations, outside, otherLanguage, notApplicable };
	const source = judgeSource(options);

	switch (execution.via) {
		case 'direct': {
			const identity = directRunIdentity(options.judge, source, judge.identityParams);
			const runId = options.runId ?? identity.runId;
			const startedAt = new Date();
			const units = options.ahead ? await options.ahead.unitsFor(accepted) : await execution.units(accepted, { sourceRunId, unitId, timeLimitMs: options.timeLimitMs });
			const write = { runsDir: options.runsDir, runId, kind: 'judge', params: identity.params, datasetHash, units, onWarning: warn, startedAt, signal: options.signal };
			// The server computes in a worker thread (directComputer); otherwise here, the event loop getting turns between units.
			const computer = options.ahead ? null : options.directComputer?.({ judge: options.judge, targets: accepted, sourceRunId, timeLimitMs: options.timeLimitMs });
			const result = computer ? await writeDirectRunWith({ ...write, computer }) : await writeDirectRunSliced(write);
			return { runId, manifest: result.manifest, requests: 0, ...common, ...(execution.report?.(accepted) ?? {}) };
		}
		case 'tool': {
			const name = execution.tool.name;
			const identity = analyzerRunIdentity({ judge: name, sourceRunId: options.sourceRunId, itemSet: options.itemSet, items: options.items }, tool!.version);
			const runId = options.runId ?? identity.runId;
			// The tool works before the run's rows are written: its start is the run's start.
			const startedAt = new Date();
			const made = await analyzerUnits({
				tool: name, version: tool!.version, targets: accepted, sourceRunId, runId,
				finished: finishedUnitIds(options.runsDir, runId), analyzer: options.analyzer, signal: options.signal, onProgress: options.onProgress
			});
			const result = writeDirectRun({ runsDir: options.runsDir, runId, kind: 'judge', params: identity.params, datasetHash, units: made.units, onWarning: warn, startedAt });
			return {
				runId, manifest: result.manifest, requests: 0, ...common,
				analyzer: { tool: name, version: tool!.version, path: tool!.path, otherLanguage, notApplicable, analysed: made.analysed }
			};
		}
		case 'engine': {
			if (!options.config) throw new TargetError(`judge "${options.judge}" is a model: an engine config is needed`);
			if (!options.templates) throw new TargetError('an LLM judge needs the prompt templates');
			const style = options.template ?? 'zeroshot';
			const resolved = resolveModel(options.config, options.judge);
			const reference = (options.items ?? []).filter((i) => i.task === 'reference');
			const units = judgeUnits({ targets: accepted, config: options.config, resolved, style, templates: options.templates, reference, sourceRunId });
			const identity = llmRunIdentity(options, source);
			const runId = options.runId ?? identity.runId;
			const result = await runUnitsInMode({
				runId,
				runsDir: options.runsDir,
				config: options.config,
				units,
				kind: 'judge',
				params: identity.params,
				datasetHash,
				cache: options.cache ?? null,
				signal: options.signal,
				parse: parseJudgeVerdict,
				onProgress: options.onProgress,
				onWarning: warn,
				compactTo: 'verdicts.arrow'
			}, options.batch);
			return { runId, manifest: result.manifest, requests: result.requests, ...common, ...(result.exported ? { exported: result.exported } : {}) };
		}
		case 'ensemble': {
			const out = await runEnsemble({
				spec: options.judge,
				judge,
				targets: accepted,
				source,
				sourceRunId,
				runsDir: options.runsDir,
				runId: options.runId,
				datasetHash,
				onWarning: warn,
				requireTool: (name) => requireAnalyzer(name, options.analyzer),
				runMember: (member) => runJudge({ ...options, judge: member, runId: undefined }),
				memberRunId: (member) => memberRunId(options, member)
			});
			return { ...out, ...common, outside: common.outside + out.outside };
		}
	}
}

/** An ensemble member's run id over the ensemble's source (an analyzer's needs its installed version). */
async function memberRunId(options: JudgeRunOptions, member: string): Promise<string> {
	const execution = requireJudge(member).execution;
	if (execution.via !== 'tool') return judgeRunIdentity({ ...options, judge: member }).runId;
	const tool = await requireAnalyzer(execution.tool.name, options.analyzer);
	return analyzerRunIdentity({ judge: execution.tool.name, sourceRunId: options.sourceRunId, itemSet: options.itemSet, items: options.items }, tool.version).runId;
}
