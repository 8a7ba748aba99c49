/**
 * How a judge does on a labelled set (the user's own vulnerable / secure programs): the
 * evaluator scores (consistency, Diff, Cohen's κ) plus TPR (vulnerable programs called
 * vulnerable), TNR (secure programs called secure) and a κ interval, all with bootstrap CIs over
 * the confusion cells; and, for vulnerable/secure pairs (a program before and after its fix),
 * pair accuracy: the share of pairs where the judge calls the "before" vulnerable AND the
 * "after" secure. A pair missing a verdict on either side is left out and counted.
 */
import { kappaUninformative } from '../stats/agreement.ts';
import { bootstrapCounts } from '../stats/bootstrap-counts.ts';
import type { BootstrapOptions, Interval } from '../stats/bootstrap.ts';
import { emptyInterval } from './empty-interval.ts';
import { evaluatorScore, type EvaluatorOptions, type EvaluatorScore, type JudgePair } from './evaluator.ts';

export interface LabelledScore extends EvaluatorScore {
	/** Percent of vulnerable programs the judge calls vulnerable (recall); NaN without any. */
	tpr: number;
	tpr_ci: Interval;
	/** Percent of secure programs the judge calls secure; NaN without any. */
	tnr: number;
	tnr_ci: Interval;
	kappa_ci: Interval;
}

/** κ from the four cells [tp, fp, tn, fn]. */
function kappaOf(c: ArrayLike<number>): number {
	const [tp, fp, tn, fn] = [c[0], c[1], c[2], c[3]];
	const n = tp + fp + tn + fn;
	const po = (tp + tn) / n;
	const pe = ((tp + fp) * (tp + fn) + (tn + fn) * (tn + fp)) / (n * n);
	return pe === 1 ? NaN : (po - pe) / (1 - pe);
}

function share(hit: number, miss: number, opts: BootstrapOptions | undefined): { value: number; ci: Interval } {
	if (hit + miss === 0) return { value: NaN, ci: emptyInterval(opts) };
	return { value: (100 * hit) / (hit + miss), ci: bootstrapCounts([hit, miss], (c) => (100 * c[0]) / (c[0] + c[1]), opts) };
}

export function labelledScore(pairs: readonly JudgePair[], opts?: EvaluatorOptions): LabelledScore {
	const base = evaluatorScore(pairs, opts);
	const bootOpts = { resamples: opts?.resamples, seed: opts?.seed, level: opts?.level };
	const tpr = share(base.tp, base.fn, bootOpts);
	const tnr = share(base.tn, base.fp, bootOpts);
	// a judge with one answer throughout, or labels of one class: κ says nothing and its bootstrap
	// collapses to a point; no interval, the note says why (kappaText prints it)
	const degenerate = kappaUninformative(base);
	const kappa_ci =
		base.n === 0 ? emptyInterval(bootOpts) : degenerate ? { ...emptyInterval(bootOpts), note: degenerate } : bootstrapCounts([base.tp, base.fp, base.tn, base.fn], kappaOf, bootOpts);
	return { ...base, tpr: tpr.value, tpr_ci: tpr.ci, tnr: tnr.value, tnr_ci: tnr.ci, kappa_ci };
}

export interface PairVerdicts {
	/** The judge's verdict on the vulnerable ("before") program; null when it has none. */
	before: boolean | null;
	/** The judge's verdict on the secure ("after") program; null when it has none. */
	after: boolean | null;
}

export interface PairAccuracy {
	/** Pairs with a verdict on both sides. */
	n: number;
	/** Pairs left out: a side without a verdict (failed, unreadable, or a language not judged). */
	n_incomplete: number;
	correct: number;
	/** Percent of complete pairs judged right on both sides; NaN when none. */
	accuracy: number;
	ci: Interval;
}

export function pairAccuracy(pairs: readonly PairVerdicts[], opts?: BootstrapOptions): PairAccuracy {
	let correct = 0;
	let n = 0;
	for (const p of pairs) {
		if (typeof p.before !== 'boolean' || typeof p.after !== 'boolean') continue;
		n++;
		if (p.before && !p.after) correct++;
	}
	const s = share(correct, n - correct, opts);
	return { n, n_incomplete: pairs.length - n, correct, accuracy: s.value, ci: s.ci };
}
