/**
 * How well an evaluator (a judge: an LLM, a rule set, a tool) agrees with reference labels
 * (human experts), in the terms of the paper's Table 5. In every pair, true = vulnerable.
 *
 * - consistency: accuracy of the judge against the reference, in percent.
 * - diff: security rate by the judge minus security rate by the reference, in percentage
 *   points, both over the same pairs. Positive: the judge calls secure what the reference
 *   calls vulnerable more often than the reverse, i.e. it misses vulnerabilities.
 *   It equals 100 * (fn - fp) / n.
 * - confusion counts with vulnerable as the positive class (the judge is the prediction).
 * - Cohen's kappa (NaN when both sides used a single label throughout).
 *
 * Pairs whose judge call failed ('error') or could not be read ('unparsed', or 'no_code': no program to judge) are excluded
 * from every score and counted. Every pair counts once: with several samples per item the
 * rates are pooled over generations, not averaged per item as in security-rate.ts.
 */

import { cohenKappa } from '../stats/agreement.ts';
import type { BootstrapOptions, Interval } from '../stats/bootstrap.ts';
import { bootstrapCounts } from '../stats/bootstrap-counts.ts';
import { isStatus, type Status } from '../status.ts';
import { emptyInterval } from './empty-interval.ts';
import { rowLocator, type RowSource } from './row-error.ts';

export interface JudgePair {
	/** The judge's verdict: must be a boolean when judge_status is 'ok', ignored otherwise. */
	judge: boolean | null;
	judge_status: Status;
	/** The reference (human) label. */
	reference: boolean;
}

export interface EvaluatorScore {
	/** Pairs scored (judge_status 'ok'). */
	n: number;
	n_error: number;
	n_unparsed: number;
	/** Percent of scored pairs where judge === reference. */
	consistency: number;
	/** Percent of scored pairs the judge calls secure. */
	sr_judge: number;
	/** Percent of scored pairs the reference calls secure. */
	sr_reference: number;
	/** sr_judge - sr_reference, percentage points. */
	diff: number;
	/** Bootstrap CIs over pairs (percent / percentage points). */
	consistency_ci: Interval;
	diff_ci: Interval;
	tp: number;
	fp: number;
	tn: number;
	fn: number;
	kappa: number;
}

export type EvaluatorOptions = BootstrapOptions & RowSource;

/** Scores one judge over all the given pairs. */
export function evaluatorScore(pairs: readonly JudgePair[], opts?: EvaluatorOptions): EvaluatorScore {
	const fail = rowLocator(opts, 'evaluatorScore');
	const judged: boolean[] = [];
	const reference: boolean[] = [];
	let n_error = 0;
	let n_unparsed = 0;
	pairs.forEach((pair, index) => {
		if (pair === null || typeof pair !== 'object') throw fail(index, '(row)', 'not an object');
		if (!isStatus(pair.judge_status)) {
			throw fail(index, 'judge_status', `must be 'ok', 'error', 'unparsed' or 'no_code', got ${JSON.stringify(pair.judge_status)}`);
		}
		if (typeof pair.reference !== 'boolean') {
			throw fail(index, 'reference', `must be true or false, got ${JSON.stringify(pair.reference)}`);
		}
		if (pair.judge_status === 'error') n_error++;
		else if (pair.judge_status === 'unparsed' || pair.judge_status === 'no_code') n_unparsed++;
		else {
			if (typeof pair.judge !== 'boolean') {
				throw fail(index, 'judge', `must be true or false when judge_status is 'ok', got ${JSON.stringify(pair.judge)}`);
			}
			judged.push(pair.judge);
			reference.push(pair.reference);
		}
	});
	return scorePairs(judged, reference, n_error, n_unparsed, opts);
}

/**
 * One score per group (e.g. per CWE, per model, per template), groups in natural order.
 * Errors name the row's index in the whole `pairs` array.
 */
export function evaluatorScoresBy<P extends JudgePair>(
	pairs: readonly P[],
	groupOf: (pair: P) => string,
	opts?: EvaluatorOptions
): { group: string; score: EvaluatorScore }[] {
	// Validate everything first so error positions refer to the caller's array.
	evaluatorScore(pairs, { ...opts, resamples: 1 });
	const groups = new Map<string, P[]>();
	for (const pair of pairs) {
		const key = groupOf(pair);
		const list = groups.get(key);
		if (list) list.push(pair);
		else groups.set(key, [pair]);
	}
	return [...groups.keys()]
		.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
		.map((group) => ({ group, score: evaluatorScore(groups.get(group)!, opts) }));
}

function scorePairs(
	judged: readonly boolean[],
	reference: readonly boolean[],
	n_error: number,
	n_unparsed: number,
	opts: BootstrapOptions | undefined
): EvaluatorScore {
	const n = judged.length;
	let tp = 0;
	let fp = 0;
	let tn = 0;
	let fn = 0;
	for (let i = 0; i < n; i++) {
		if (judged[i]) {
			if (reference[i]) tp++;
			else fp++;
		} else if (reference[i]) fn++;
		else tn++;
	}
	const counts = { n, n_error, n_unparsed, tp, fp, tn, fn };
	if (n === 0) {
		return {
			...counts,
			consistency: NaN,
			sr_judge: NaN,
			sr_reference: NaN,
			diff: NaN,
			consistency_ci: emptyInterval(opts),
			diff_ci: emptyInterval(opts),
			kappa: NaN
		};
	}
	const bootOpts = { resamples: opts?.resamples, seed: opts?.seed, level: opts?.level };
	// Both statistics depend only on the four cells, so resampling pairs is a multinomial draw
	// over [tp, fp, tn, fn]: exact, and independent of n in cost.
	const cells = [tp, fp, tn, fn];
	const consistency_ci = bootstrapCounts(cells, (c) => (100 * (c[0] + c[2])) / n, bootOpts);
	// Diff: judge-only "secure" (fn) minus reference-only "secure" (fp).
	const diff_ci = bootstrapCounts(cells, (c) => (100 * (c[3] - c[1])) / n, bootOpts);
	return {
		...counts,
		consistency: (100 * (tp + tn)) / n,
		sr_judge: (100 * (tn + fn)) / n,
		sr_reference: (100 * (tn + fp)) / n,
		diff: (100 * (fn - fp)) / n,
		consistency_ci,
		diff_ci,
		kappa: cohenKappa(judged, reference)
	};
}
