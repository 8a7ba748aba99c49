// The run engine's public surface, for the CLI and the server routes.
export type { ChatMessage, ChatRequest, Completion, MetaValue, ResultRow, RowStatus, WorkUnit } from './types.ts';
export { ROW_FIELDS } from './types.ts';
export { canonicalJson, sha256Hex, unitId } from './canonical-json.ts';
export {
	chatRequestFor, CONFIG_FILE_NAME, ConfigError, configFromEnv, Endpoint, loadEngineConfig, PAPER_DEFAULTS,
	parseEngineConfig, resolveModel, type EngineConfig, type ModelSettings, type Prices, type ResolvedModel, type RunDefaults
} from './config.ts';
export { publicUrl, Redactor } from './redact.ts';
export { chatAttempt, SAMPLE_HEADER, UNIT_HEADER } from './chat-client.ts';
export { CallFailure, type FailureKind } from './failure.ts';
export { runUnits, type ParseHook, type ParseResult, type Progress, type RunUnitsOptions, type RunUnitsResult } from './run-units.ts';
export { FINISHED, latestRowPerUnit, LOG_FILE, readRunLog, RunLogWriter } from './run-log.ts';
export { MANIFEST_FILE, readManifest, type Manifest, type RunState } from './manifest.ts';
export { compactRows, compactRun } from './compact-run.ts';
export { cacheKey, cacheStats, pruneCache, ResponseCache, type CacheStats, type PruneOptions } from './response-cache.ts';
export { RunLockedError } from './run-lock.ts';
export { RunSetupError, RunStorageError } from './run-errors.ts';
export { checkRunId, isRunId, RunIdError, RUN_ID_PATTERN } from './run-id.ts';
export { RunSession, type RunSessionOptions } from './run-session.ts';
