// Public surface of the offline rule judge.

export { judgeWithRules, normaliseRuleCwe } from './judge.ts';
export { RULE_CWES } from './types.ts';
export { RULE_JUDGE_LIMITS, UnjudgeableCodeError, screenCode } from './screen.ts';
export type { RuleCwe, RuleFinding, RuleJudgeInput, RuleLanguage, RuleVerdict } from './types.ts';
export { agreement, type Agreement, type LabelledVerdict } from './measure.ts';
export { parsePearcePrograms, judgePearce, measurementTable, formatMeasurementTable } from './pearce-measure.ts';
export type { PearceProgram, JudgedProgram, MeasurementRow } from './pearce-measure.ts';
export { heldOutScenarios, splitOf, fnv1a32, type SplitName } from './pearce-split.ts';
