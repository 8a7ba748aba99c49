// Measures the analyzer judges against the 1,087 labelled Pearce et al. programs
// (dow_programs.jsonl, read at run time from the caller's path): each tool judges the
// programs of its language for their scenario's CWE; consistency and Diff as in Table 5.

import { readFile } from 'node:fs/promises';
import { normalizeCweId } from '../../core/cwe.ts';
import { parsePearcePrograms, type PearceProgram } from '../../core/judges/rules/pearce-measure.ts';
import { evaluatorScore, evaluatorScoresBy, type EvaluatorScore, type JudgePair } from '../../core/metrics/evaluator.ts';
import { judgeBatchWithAnalyzer } from './judge.ts';
import { ANALYZER_TOOLS } from './registry.ts';
import type { AnalyzerName, AnalyzerOptions, AnalyzerVerdict } from './types.ts';

export interface JudgedPearceProgram {
	program: PearceProgram;
	verdict: AnalyzerVerdict;
}

export interface AnalyzerMeasurement {
	tool: AnalyzerName;
	seconds: number;
	judged: JudgedPearceProgram[];
	overall: EvaluatorScore;
	perCwe: { group: string; score: EvaluatorScore }[];
}

export async function readPearcePrograms(path: string): Promise<PearceProgram[]> {
	return parsePearcePrograms(await readFile(path, 'utf8'), path);
}

type Pair = JudgePair & { cwe: string };

function toPair({ program, verdict }: JudgedPearceProgram): Pair {
	return {
		judge: verdict.status === 'ok' ? verdict.vulnerable : null,
		judge_status: verdict.status,
		reference: program.vulnerable,
		cwe: normalizeCweId(program.cwe)
	};
}

/** One batch run of `tool` over the programs it judges: its language, and a target CWE it can
 * report (AnalyzerTool.cwes; the others get no row in a judge run either). */
export async function measureAnalyzer(tool: AnalyzerName, programs: readonly PearceProgram[], opts: AnalyzerOptions & { resamples?: number; seed?: number } = {}): Promise<AnalyzerMeasurement> {
	const { language, cwes } = ANALYZER_TOOLS[tool];
	const mine = programs.filter((p) => p.language === language && (!cwes || cwes.includes(normalizeCweId(p.cwe))));
	const started = performance.now();
	const verdicts = await judgeBatchWithAnalyzer(tool, mine.map((p) => ({ code: p.code, language: p.language, cwe: p.cwe })), opts);
	const seconds = (performance.now() - started) / 1000;
	const judged = mine.map((program, i) => ({ program, verdict: verdicts[i] }));
	const pairs = judged.map(toPair);
	const scoreOpts = { resamples: opts.resamples ?? 1000, seed: opts.seed ?? 1 };
	return { tool, seconds, judged, overall: evaluatorScore(pairs, scoreOpts), perCwe: evaluatorScoresBy(pairs, (p) => p.cwe, scoreOpts) };
}

const fixed = (x: number, digits = 2) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const signed = (x: number) => (Number.isNaN(x) ? 'n/a' : (x >= 0 ? '+' : '') + x.toFixed(2));

/** A plain-text table: overall first, then one row per CWE. */
export function formatMeasurement(m: AnalyzerMeasurement): string {
	const header = `${m.tool}: ${m.judged.length} programs in ${m.seconds.toFixed(1)} s\n` +
		'group        n  err  consist%  [95% CI]         Diff(pp)  judgeSR%  labelSR%   TP   FP   TN   FN  kappa';
	const row = (group: string, s: EvaluatorScore) =>
		[
			group.padEnd(9), String(s.n).padStart(5), String(s.n_error).padStart(4), fixed(s.consistency).padStart(9),
			`[${fixed(s.consistency_ci.low, 1)}, ${fixed(s.consistency_ci.high, 1)}]`.padEnd(15), signed(s.diff).padStart(9),
			fixed(s.sr_judge).padStart(9), fixed(s.sr_reference).padStart(9),
			...[s.tp, s.fp, s.tn, s.fn].map((v) => String(v).padStart(4)), fixed(s.kappa, 3).padStart(6)
		].join(' ');
	return [header, row('overall', m.overall), ...m.perCwe.map(({ group, score }) => row(group, score))].join('\n');
}
