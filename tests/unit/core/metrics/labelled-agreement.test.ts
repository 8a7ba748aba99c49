// TPR, TNR, κ with intervals, and pair accuracy, worked out by hand.
import { describe, expect, it } from 'vitest';
import { labelledScore, pairAccuracy } from '../../../../src/lib/core/metrics/labelled-agreement.ts';
import type { JudgePair } from '../../../../src/lib/core/metrics/evaluator.ts';

const pair = (judge: boolean | null, reference: boolean, judge_status: JudgePair['judge_status'] = 'ok'): JudgePair => ({ judge, reference, judge_status });

describe('labelledScore', () => {
	it('gives TPR, TNR and κ from the cells, with intervals around them', () => {
		// tp 3, fn 1, tn 2, fp 2 → TPR 75, TNR 50, consistency 62.5;
		// po = 5/8, pe = (5·4 + 3·4)/64 = 0.5, κ = (0.625 - 0.5) / 0.5 = 0.25.
		const pairs = [pair(true, true), pair(true, true), pair(true, true), pair(false, true), pair(false, false), pair(false, false), pair(true, false), pair(true, false), pair(null, true, 'error')];
		const s = labelledScore(pairs, { resamples: 500, seed: 3 });
		expect(s).toMatchObject({ n: 8, n_error: 1, tp: 3, fn: 1, tn: 2, fp: 2 });
		expect(s.tpr).toBe(75);
		expect(s.tnr).toBe(50);
		expect(s.consistency).toBe(62.5);
		expect(s.kappa).toBeCloseTo(0.25, 12);
		expect(s.kappa_ci.estimate).toBeCloseTo(0.25, 12);
		for (const [v, ci] of [[s.tpr, s.tpr_ci], [s.tnr, s.tnr_ci]] as const) {
			expect(ci.low).toBeLessThanOrEqual(v);
			expect(ci.high).toBeGreaterThanOrEqual(v);
		}
	});

	it('has no TNR without secure programs', () => {
		expect(labelledScore([pair(true, true)], { resamples: 10 }).tnr).toBeNaN();
	});
});

describe('pairAccuracy', () => {
	it('counts a pair right only when before is vulnerable and after secure; incomplete pairs apart', () => {
		const p = pairAccuracy([{ before: true, after: false }, { before: true, after: true }, { before: false, after: false }, { before: null, after: false }], { resamples: 200, seed: 1 });
		expect(p).toMatchObject({ n: 3, n_incomplete: 1, correct: 1 });
		expect(p.accuracy).toBeCloseTo(100 / 3, 12);
	});
});
