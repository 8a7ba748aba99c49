// Static analyzers (bandit, cppcheck, flawfinder) as judges of "has this code the target CWE?".

export { judgeWithAnalyzer, judgeBatchWithAnalyzer, defaultTimeoutMs } from './judge.ts';
export { listAnalyzers, analyzersFor, analyzerTool, ANALYZER_TOOLS } from './registry.ts';
export { toolAvailability, which } from './locate-tool.ts';
export { mapFinding, familyOf, cweNumbersIn } from './cwe-map.ts';
export { ANALYZER_NAMES } from './types.ts';
export type { AnalyzerName, AnalyzerFinding, AnalyzerInput, AnalyzerVerdict, AnalyzerAvailability, AnalyzerOptions } from './types.ts';
