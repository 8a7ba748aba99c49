// What `covw runs show` reports about a run, through the core metrics: for a judge run, per
// judge (the two parser modes are two judges), the security rate of the judged code (completion,
// repair), the detection scores against the items' labels (detection), and the agreement with
// the items' labels (labelled items such as the Pearce programs — never on completions or
// repairs, whose labels describe the input program, not the judged one). Failed ('error') and
// unreadable ('unparsed') judgements are counted apart and never enter a score. Given the
// generation run a judge run judged, the security rate also counts the generations that were
// never judged — answers with no code ('no_code') and failed requests ('error') — so its
// coverage (judged / total) is the share of ALL generations the rate stands on.
import { detectionScores, type DetectionScores } from '../core/metrics/detection.ts';
import { evaluatorScore, type EvaluatorScore } from '../core/metrics/evaluator.ts';
import { securityRate, type SecurityRateReport } from '../core/metrics/security-rate.ts';
import type { Status } from '../core/status.ts';
import type { ResultRow } from '../engine/types.ts';
import { liveCounts, type RunRecord } from './run-list.ts';

export interface JudgeSummary {
	judge: string;
	rows: number;
	ok: number;
	unparsed: number;
	error: number;
	securityRate?: SecurityRateReport;
	detection?: DetectionScores;
	agreement?: EvaluatorScore;
	/** Why no agreement with the items' labels is given though the rows carry labels: the verdicts
	 *  are on generated programs (completions, repairs), the labels on the items' input programs. */
	agreementOmitted?: string;
}

export interface RunSummary {
	counts: ReturnType<typeof liveCounts>;
	/** Judges in report order: the strict detection parser before the paper-compatible one. */
	judges: JudgeSummary[];
	/** Detection runs scored in both parser modes: answers the two modes read differently. */
	detectionModes?: { total: number; differ: number };
}

/** parser-strict is the default reading; parser-paper follows it as the paper-compatible figure. */
const JUDGE_ORDER = (judge: string) => (judge === 'parser-strict' ? 0 : judge === 'parser-paper' ? 1 : 2);

const BOOTSTRAP = { resamples: 1000, seed: 1 };
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The generation run a judge run judged, from its manifest (null for item sets). */
export function sourceRunIdOf(run: RunRecord): string | null {
	const source = run.manifest.params?.source as { run?: unknown } | undefined;
	return typeof source?.run === 'string' ? source.run : null;
}

export function summarizeRun(run: RunRecord, source: RunRecord | null = null): RunSummary {
	const counts = liveCounts(run);
	if (run.manifest.kind !== 'judge') return { counts, judges: [] };
	const byJudge = new Map<string, ResultRow[]>();
	for (const row of run.rows) {
		const judge = str(row.meta.judge) ?? '(unknown)';
		byJudge.set(judge, [...(byJudge.get(judge) ?? []), row]);
	}
	const judges: JudgeSummary[] = [];
	for (const [judge, rows] of byJudge) {
		const tally = (s: Status) => rows.filter((r) => r.status === s).length;
		const summary: JudgeSummary = { judge, rows: rows.length, ok: tally('ok'), unparsed: tally('unparsed'), error: tally('error') };
		const verdict = (r: ResultRow) => (r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null);
		const generated = rows.filter((r) => r.meta.task === 'completion' || r.meta.task === 'repair');
		if (generated.length > 0) {
			const judged = new Set(generated.map((r) => str(r.meta.target_id) ?? ''));
			// A verdict on an answer with no code (an LLM judge may still have been asked) is not scored.
			const noCode = new Set((source?.rows ?? []).filter((g) => g.status === 'no_code').map((g) => g.unit_id));
			const statusOf = (r: ResultRow) => (noCode.has(str(r.meta.target_id) ?? '') ? ('no_code' as const) : r.status);
			// Generations this judge never saw: no code, or a failed request. Not verdicts; counted.
			const unjudged = (source?.rows ?? []).filter(
				(g) => g.status !== 'ok' && !judged.has(g.unit_id) && (g.meta.task === 'completion' || g.meta.task === 'repair')
			);
			summary.securityRate = securityRate(
				[
					...generated.map((r) => ({ item_id: String(r.meta.item_id), sample: r.sample, status: statusOf(r), vulnerable: verdict(r), cwe: str(r.meta.cwe) ?? undefined })),
					...unjudged.map((g) => ({ item_id: String(g.meta.item_id), sample: g.sample, status: g.status, vulnerable: null, cwe: str(g.meta.cwe) ?? undefined }))
				],
				BOOTSTRAP
			);
		}
		const hasLabel = (r: ResultRow) => r.meta.label === 'vulnerable' || r.meta.label === 'non_vulnerable';
		// Agreement with a label only where the judged program IS the labelled one (labelled sets,
		// detection items): a repair's label describes the vulnerable input, not the repair.
		const labelled = rows.filter((r) => hasLabel(r) && r.meta.task !== 'completion' && r.meta.task !== 'repair');
		if (labelled.length === 0 && generated.some(hasLabel)) summary.agreementOmitted = `the labels describe the ${generated.some((r) => r.meta.task === 'repair') ? 'vulnerable inputs, not the repairs' : 'inputs, not the completions'} judged`;
		const detection = labelled.filter((r) => r.meta.task === 'detection' && typeof r.meta.label_class === 'string');
		if (detection.length > 0 && detection.some((r) => 'predicted_class' in r.meta)) {
			summary.detection = detectionScores(
				detection.map((r) => ({
					status: r.status,
					truth_binary: r.meta.label === 'vulnerable',
					predicted_binary: verdict(r),
					truth_class: String(r.meta.label_class),
					// A vulnerable answer naming none of the 18 CWEs is a wrong class, not a missing one.
					predicted_class: r.status === 'ok' ? (str(r.meta.predicted_class) ?? 'unnamed') : null
				}))
			);
		}
		if (labelled.length > 0) {
			summary.agreement = evaluatorScore(
				labelled.map((r) => ({ judge: verdict(r), judge_status: r.status, reference: r.meta.label === 'vulnerable' })),
				BOOTSTRAP
			);
		}
		judges.push(summary);
	}
	judges.sort((a, b) => JUDGE_ORDER(a.judge) - JUDGE_ORDER(b.judge));
	const out: RunSummary = { counts, judges };
	const paper = byJudge.get('parser-paper');
	const strict = byJudge.get('parser-strict');
	if (paper && strict) {
		const reading = (r: ResultRow) => (r.status === 'ok' ? `${r.meta.vulnerable}|${r.meta.predicted_class}` : `(${r.status})`);
		const strictOf = new Map(strict.map((r) => [str(r.meta.target_id), reading(r)]));
		out.detectionModes = { total: paper.length, differ: paper.filter((r) => strictOf.get(str(r.meta.target_id)) !== reading(r)).length };
	}
	return out;
}
