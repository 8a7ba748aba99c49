// How each judge of a judge run did on a labelled set: consistency, TPR, TNR, Cohen's κ, Diff,
// overall, per CWE and per language; pair accuracy (the vulnerable
// "before" called vulnerable AND the secure "after" called secure) when the set has pairs;
// programs in a language no judge reads counted as unsupported; programs of the set this judge
// gave no verdict counted too. Used by `covw runs show`.
// Intervals: every proportion (consistency, TPR, TNR, pair accuracy) gets the Wilson score
// interval, which keeps its width at 0%, 100% and tiny n (a bootstrap of 2 of 2 collapses to
// [100, 100]); κ and Diff keep their bootstrap interval, withheld (with a note) under
// MIN_BOOTSTRAP_N programs, where resampling a handful of rows says nothing.
import { labelledScore, pairAccuracy, type LabelledScore, type PairAccuracy } from '../../core/metrics/labelled-agreement.ts';
import type { JudgePair } from '../../core/metrics/evaluator.ts';
import type { ResultRow } from '../../engine/types.ts';
import type { RunRecord } from '../run-list.ts';
import type { LabelledSet } from './labelled-set.ts';
import { wilsonInterval } from '../../core/stats/wilson.ts';
import type { Interval } from '../../core/stats/bootstrap.ts';

const BOOTSTRAP = { resamples: 1000, seed: 1 };
/** Fewer programs than this: κ and Diff get no bootstrap interval (a note says why). */
export const MIN_BOOTSTRAP_N = 10;
/** Said once per report: which interval each figure carries. */
export const INTERVALS_NOTE = `95% intervals: Wilson score for consistency, TPR, TNR and pair accuracy; bootstrap (${BOOTSTRAP.resamples} resamples) for kappa and Diff, withheld under ${MIN_BOOTSTRAP_N} programs`;
export const WILSON_NOTE = 'Wilson score interval';
export const TOO_FEW_NOTE = `fewer than ${MIN_BOOTSTRAP_N} programs: no bootstrap interval`;

/** The Wilson interval of k of n, in percent, in the Interval shape the report carries. */
function wilsonPct(k: number, n: number): Interval {
	const w = wilsonInterval(k, n);
	return { estimate: 100 * w.estimate, low: 100 * w.low, high: 100 * w.high, level: 0.95, resamples: 0, seed: 0, dropped: 0, note: WILSON_NOTE };
}

/** A bootstrap interval kept only when it stands on enough programs. */
function bootstrapOrWithheld(i: Interval, n: number): Interval {
	return n >= MIN_BOOTSTRAP_N || n === 0 ? i : { ...i, low: NaN, high: NaN, note: TOO_FEW_NOTE };
}

/** The labelled score with Wilson intervals on its proportions and κ / Diff withheld on tiny n. */
function scoreOf(pairs: JudgePair[]): LabelledScore {
	const s = labelledScore(pairs, BOOTSTRAP);
	return {
		...s,
		consistency_ci: wilsonPct(s.tp + s.tn, s.n),
		tpr_ci: wilsonPct(s.tp, s.tp + s.fn),
		tnr_ci: wilsonPct(s.tn, s.tn + s.fp),
		kappa_ci: bootstrapOrWithheld(s.kappa_ci, s.n),
		diff_ci: bootstrapOrWithheld(s.diff_ci, s.n)
	};
}

export interface LabelledJudgeReport {
	judge: string;
	/** Programs of the set this judge has no row for (e.g. an analyzer of another language). */
	without_row: number;
	overall: LabelledScore;
	per_cwe: { group: string; score: LabelledScore }[];
	per_language: { group: string; score: LabelledScore }[];
	pairs: PairAccuracy | null;
}

export interface LabelledReport {
	set: string;
	/** Which interval each figure carries (INTERVALS_NOTE). */
	intervals: string;
	items: number;
	unsupported: Record<string, number>;
	judges: LabelledJudgeReport[];
}

/** The labelled set a judge run judged, from its params (null for runs of something else). */
export function labelledSetNameOf(run: RunRecord): string | null {
	const source = run.manifest.params?.source as { items?: unknown } | undefined;
	return typeof source?.items === 'string' ? source.items : null;
}

function scoresBy(rows: { pair: JudgePair; key: string }[]): { group: string; score: LabelledScore }[] {
	const groups = new Map<string, JudgePair[]>();
	for (const r of rows) (groups.get(r.key) ?? groups.set(r.key, []).get(r.key)!).push(r.pair);
	return [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((group) => ({ group, score: scoreOf(groups.get(group)!) }));
}

function withWilson(p: PairAccuracy): PairAccuracy {
	return { ...p, ci: wilsonPct(p.correct, p.n) };
}

export function labelledReport(run: RunRecord, set: LabelledSet): LabelledReport {
	const byId = new Map(set.items.map((i) => [i.item_id, i]));
	const byJudge = new Map<string, ResultRow[]>();
	for (const row of run.rows) {
		const judge = typeof row.meta.judge === 'string' ? row.meta.judge : '(unknown)';
		(byJudge.get(judge) ?? byJudge.set(judge, []).get(judge)!).push(row);
	}
	const judges: LabelledJudgeReport[] = [];
	for (const [judge, rows] of byJudge) {
		const scored = rows
			.map((r) => ({ r, item: byId.get(String(r.meta.item_id)) }))
			.filter((x) => x.item !== undefined)
			.map(({ r, item }) => ({
				item: item!,
				verdict: r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null,
				pair: { judge: r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null, judge_status: r.status, reference: item!.label === 'vulnerable' } as JudgePair
			}));
		const verdictOf = new Map(scored.map((s) => [s.item.item_id, s.verdict]));
		const pairMembers = new Map<string, { before?: string; after?: string }>();
		for (const item of set.items) {
			if (!item.scenario) continue;
			const p = pairMembers.get(item.scenario) ?? {};
			if (item.label === 'vulnerable') p.before = item.item_id;
			else p.after = item.item_id;
			pairMembers.set(item.scenario, p);
		}
		const complete = [...pairMembers.values()].filter((p) => p.before && p.after);
		judges.push({
			judge,
			without_row: set.items.length - scored.length,
			overall: scoreOf(scored.map((s) => s.pair)),
			per_cwe: scoresBy(scored.map((s) => ({ pair: s.pair, key: s.item.cwe }))),
			per_language: scoresBy(scored.map((s) => ({ pair: s.pair, key: s.item.language }))),
			pairs: complete.length === 0 ? null : withWilson(pairAccuracy(complete.map((p) => ({ before: verdictOf.get(p.before!) ?? null, after: verdictOf.get(p.after!) ?? null })), BOOTSTRAP))
		});
	}
	return { set: set.meta.name, intervals: INTERVALS_NOTE, items: set.items.length, unsupported: set.meta.unsupported, judges };
}
