// A judge run: a judge (an LLM with a template, the rule judge, a static analyzer, or the detection parsers) over
// the answers of a generation run or over items. It reads its targets and never sends a
// generation request, so re-judging with another judge or template costs judge calls only.
// The run id derives from (source, judge, template): judging again with the same command
// resumes; the manifest records the source run id.
import type { Item, ItemSet } from '../core/items/item.ts';
import type { JudgeStyle, TemplateSet } from '../core/prompts/build.ts';
import { canonicalJson, sha256Hex } from '../engine/canonical-json.ts';
import { resolveModel, type EngineConfig } from '../engine/config.ts';
import type { Manifest } from '../engine/manifest.ts';
import type { ResponseCache } from '../engine/response-cache.ts';
import { runUnits, type Progress } from '../engine/run-units.ts';
import { writeDirectRun } from './direct-run.ts';
import { modelName, samplingParams } from './generation-units.ts';
import { parseJudgeVerdict } from './judge-parse.ts';
import { judgeOverrides, judgeUnits } from './judge-units.ts';
import { targetsFromItems, targetsFromRun, TargetError, type TargetSet } from './judge-targets.ts';
import { modeDisagreement, parserUnits } from './parser-units.ts';
import { derivedRunId } from './run-ids.ts';
import { judgeSource } from './judge-source.ts';
import { RULES_JUDGE, ruleUnits } from './rule-units.ts';
import { createTreeRuleJudge, TREE_RULES_ENGINE } from '../judges/rules/judge.ts';
import { analyzerRunIdentity, analyzerUnits, finishedUnitIds, isAnalyzerJudge, NoAnalyzerTargetsError, requireAnalyzer } from './analyzer-units.ts';
import { ANALYZER_TOOLS } from '../judges/analyzers/registry.ts';
import type { AnalyzerOptions } from '../judges/analyzers/types.ts';
import type { ModeDisagreement } from '../core/parsing/mode-disagreement.ts';

const JUDGE_TEMPLATE = { zeroshot: 'judge_zeroshot', fewshot: 'judge_fewshot', direct: 'judge_direct' } as const;

/** 'rules', 'parser', an analyzer ('bandit', 'cppcheck', 'flawfinder'), or an LLM as "endpoint/model". */
export type JudgeSpec = string;
export const PARSER_JUDGE = 'parser';

export interface JudgeRunOptions {
	runsDir: string;
	judge: JudgeSpec;
	/** LLM judges only. */
	template?: JudgeStyle;
	/** Judge a generation run… */
	sourceRunId?: string;
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
	/** Analyzer judges: which executable, PATH, timeout, temp folder (tests; defaults otherwise). */
	analyzer?: AnalyzerOptions;
}

export interface JudgeRunResult {
	runId: string;
	manifest: Manifest;
	targets: number;
	failedGenerations: number;
	pendingGenerations: number;
	/** HTTP requests sent (0 for the rule judge and the parsers). */
	requests: number;
	/** Parser runs: how many targets the two modes read differently. */
	modes?: ModeDisagreement;
	/** Analyzer runs: the tool, and the targets in a language it does not read (no row for them). */
	analyzer?: { tool: string; version: string; path: string; otherLanguage: number; analysed: number };
}

/**
 * A judge run's parameters and the run id derived from them, without reading any targets: the
 * same judge, template and source always name the same run (so judging again resumes it, and a
 * notebook's run cell can name the run before it starts).
 */
export function judgeRunIdentity(
	options: Pick<JudgeRunOptions, 'judge' | 'template' | 'sourceRunId' | 'itemSet' | 'items' | 'config' | 'templates'>
): { runId: string; params: Record<string, unknown> } {
	const { source, name: sourceName } = judgeSource(options);
	// An analyzer run's id includes the installed tool's version, which only a process can tell.
	if (isAnalyzerJudge(options.judge)) throw new TargetError(`judge "${options.judge}" is a static analyzer: its run id needs the tool version (analyzerRunIdentity)`);
	if (options.judge === RULES_JUDGE || options.judge === PARSER_JUDGE) {
		// The rule judge's engine is part of its identity: a token-rules run is never resumed by the tree judge.
		const params = options.judge === RULES_JUDGE ? { kind: 'judge', judge: options.judge, engine: TREE_RULES_ENGINE, source } : { kind: 'judge', judge: options.judge, source };
		return { runId: derivedRunId('judge', [options.judge, sourceName], params), params };
	}
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
		prompt_template: { name: JUDGE_TEMPLATE[style], hash: sha256Hex(canonicalJson(options.templates[JUDGE_TEMPLATE[style]].parts)).slice(0, 16) }
	};
	return { runId: derivedRunId('judge', [judge, style, sourceName], params), params };
}

export async function runJudge(options: JudgeRunOptions): Promise<JudgeRunResult> {
	if ((options.sourceRunId === undefined) === (options.itemSet === undefined)) {
		throw new TargetError('judge either a generation run or a set of items (not both, not neither)');
	}
	const warn = options.onWarning ?? ((m: string) => console.warn(m));
	// A missing tool is an error before anything is read or written.
	const tool = isAnalyzerJudge(options.judge) ? await requireAnalyzer(options.judge, options.analyzer) : null;
	const set: TargetSet =
		options.sourceRunId !== undefined
			? targetsFromRun(options.runsDir, options.sourceRunId)
			: targetsFromItems(options.items ?? [], options.itemSet!);
	set.warnings.forEach(warn);
	if (set.pendingGenerations > 0) warn(`${set.pendingGenerations} generation unit(s) have no answer yet; judging the ${set.targets.length} there are`);
	const sourceRunId = options.sourceRunId ?? null;
	const datasetHash = set.source.kind === 'run' ? set.source.dataset_hash : null;
	const common = { targets: set.targets.length, failedGenerations: set.failedGenerations, pendingGenerations: set.pendingGenerations };

	if (tool) {
		const name = tool.tool;
		const language = ANALYZER_TOOLS[name].language;
		if (!set.targets.some((t) => t.language === language)) {
			throw new NoAnalyzerTargetsError(`${name} reads ${language} code; none of the ${set.targets.length} target(s) is ${language}`);
		}
		const identity = analyzerRunIdentity({ judge: name, sourceRunId: options.sourceRunId, itemSet: options.itemSet, items: options.items }, tool.version);
		const params = identity.params;
		const runId = options.runId ?? identity.runId;
		const made = await analyzerUnits({
			tool: name, version: tool.version, targets: set.targets, sourceRunId, runId,
			finished: finishedUnitIds(options.runsDir, runId), analyzer: options.analyzer, signal: options.signal, onProgress: options.onProgress
		});
		const result = writeDirectRun({ runsDir: options.runsDir, runId, kind: 'judge', params, datasetHash, units: made.units, onWarning: warn });
		return {
			runId, manifest: result.manifest, requests: 0, ...common,
			analyzer: { tool: name, version: tool.version, path: tool.path, otherLanguage: made.otherLanguage, analysed: made.analysed }
		};
	}

	if (options.judge === RULES_JUDGE || options.judge === PARSER_JUDGE) {
		const isParser = options.judge === PARSER_JUDGE;
		if (isParser && set.targets.some((t) => t.task !== 'detection')) {
			throw new TargetError('the parser judge reads detection answers; judge a detection generation run');
		}
		const { runId: derivedId, params } = judgeRunIdentity(options);
		const runId = options.runId ?? derivedId;
		const units = isParser ? parserUnits(set.targets, sourceRunId) : ruleUnits(set.targets, sourceRunId, (await createTreeRuleJudge()).judge, TREE_RULES_ENGINE);
		const result = writeDirectRun({ runsDir: options.runsDir, runId, kind: 'judge', params, datasetHash, units, onWarning: warn });
		return { runId, manifest: result.manifest, requests: 0, ...common, ...(isParser ? { modes: modeDisagreement(set.targets) } : {}) };
	}

	if (!options.config) throw new TargetError(`judge "${options.judge}" is a model: an engine config is needed`);
	if (!options.templates) throw new TargetError('an LLM judge needs the prompt templates');
	const style = options.template ?? 'zeroshot';
	const resolved = resolveModel(options.config, options.judge);
	const reference = (options.items ?? []).filter((i) => i.task === 'reference');
	const units = judgeUnits({
		targets: set.targets,
		config: options.config,
		resolved,
		style,
		templates: options.templates,
		reference,
		sourceRunId
	});
	const { runId: derivedId, params } = judgeRunIdentity(options);
	const runId = options.runId ?? derivedId;
	const result = await runUnits({
		runId,
		runsDir: options.runsDir,
		config: options.config,
		units,
		kind: 'judge',
		params,
		datasetHash,
		cache: options.cache ?? null,
		signal: options.signal,
		parse: parseJudgeVerdict,
		onProgress: options.onProgress,
		onWarning: warn,
		compactTo: 'verdicts.arrow'
	});
	return { runId, manifest: result.manifest, requests: result.requests, ...common };
}
