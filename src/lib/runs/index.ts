// Benchmark runs end to end: generation runs (task × model × items), judge runs (LLM judges,
// the rule judge, the static analyzers, the detection parsers, ensembles — any judge of judges/registry.ts) over them or over items, the run list, and the
// generations / verdicts / runs tables for the workbench.
export {
	ANALYZER_BATCH, AnalyzerMissingError, analyzerRunIdentity, analyzerUnitId, analyzerUnits, finishedUnitIds,
	NoAnalyzerTargetsError, requireAnalyzer, type AnalyzerUnits, type AnalyzerUnitsOptions
} from './analyzer-units.ts';
export { ensembleRunIdentity, runEnsemble } from './ensemble-units.ts';
export { judgeAvailability, toolLabel, type AvailabilityEnv } from './judge-availability.ts';
export { itemsHash } from './dataset-hash.ts';
export { writeDirectRun, type DirectUnit, type DirectRunResult } from './direct-run.ts';
export { parseGeneration } from './generation-parse.ts';
export { generationRunPlan, runGeneration, type GenerationRunOptions, type GenerationRunResult } from './generation-run.ts';
export { GENERATION_TASKS, generationUnits, modelName, samplingParams, type GenerationTask } from './generation-units.ts';
export { parseJudgeVerdict } from './judge-parse.ts';
export { judgeRunIdentity, PARSER_JUDGE, requireJudge, runJudge, type JudgeRunOptions, type JudgeRunResult } from './judge-run.ts';
export { judgeResponseFormat } from './judge-schema.ts';
export { acceptedTargets, NoMatchingTargetsError, targetsFromItems, targetsFromRun, TargetError, type JudgeTarget, type TargetSet } from './judge-targets.ts';
export { JUDGE_STYLES, judgeOverrides, judgeUnits } from './judge-units.ts';
export { derivedRunId, slug } from './run-ids.ts';
export { liveCounts, listRunIds, readAllRuns, readRun, type RunRecord } from './run-list.ts';
export { summarizeRun, type JudgeSummary, type RunSummary } from './run-summary.ts';
export { GENERATION_COLUMNS, RUN_COLUMNS, RUN_TABLE_NAMES, runTablesIPC, RunTableSet, VERDICT_COLUMNS, type RunTables, type RunTablesStatus } from './run-tables.ts';
export { parseCweList, selectItems, SelectionError, type ItemSelection } from './select-items.ts';
