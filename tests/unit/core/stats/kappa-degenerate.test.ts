// κ with a degenerate judge or degenerate labels: a judge that answered the same on every program
// (or labels all of one class) has κ 0 whatever it does, and its bootstrap interval collapses to
// [0, 0]. The report says why instead of printing "0.00 [0.00, 0.00]" (trial: cppcheck at n=24).
import { describe, expect, it } from 'vitest';
import { kappaText, kappaUninformative } from '../../../../src/lib/core/stats/agreement.ts';
import { labelledScore } from '../../../../src/lib/core/metrics/labelled-agreement.ts';
import type { JudgePair } from '../../../../src/lib/core/metrics/evaluator.ts';

const pairs = (cells: { tp: number; fp: number; tn: number; fn: number }): JudgePair[] => [
	...Array.from({ length: cells.tp }, () => ({ judge: true, reference: true, judge_status: 'ok' as const })),
	...Array.from({ length: cells.fp }, () => ({ judge: true, reference: false, judge_status: 'ok' as const })),
	...Array.from({ length: cells.tn }, () => ({ judge: false, reference: false, judge_status: 'ok' as const })),
	...Array.from({ length: cells.fn }, () => ({ judge: false, reference: true, judge_status: 'ok' as const }))
];

describe('kappaUninformative', () => {
	it('names a judge that gave one answer on every program, and which', () => {
		expect(kappaUninformative({ tp: 0, fp: 0, tn: 12, fn: 12 })).toBe('the judge gave one answer on every program: secure');
		expect(kappaUninformative({ tp: 12, fp: 12, tn: 0, fn: 0 })).toBe('the judge gave one answer on every program: vulnerable');
	});
	it('names labels that are all one class', () => {
		expect(kappaUninformative({ tp: 7, fp: 0, tn: 0, fn: 5 })).toBe('the labels are all one class: vulnerable');
		expect(kappaUninformative({ tp: 0, fp: 4, tn: 8, fn: 0 })).toBe('the labels are all one class: secure');
		expect(kappaUninformative({ tp: 0, fp: 0, tn: 9, fn: 0 })).toBe('the judge gave one answer (secure) and the labels are one class (secure) on every program');
	});
	it('is null when both sides use both answers, and for no programs', () => {
		expect(kappaUninformative({ tp: 1, fp: 1, tn: 1, fn: 1 })).toBeNull();
		expect(kappaUninformative({ tp: 0, fp: 0, tn: 0, fn: 0 })).toBeNull();
	});
});

describe('kappaText', () => {
	it('prints a dash and the reason instead of 0.00 for a degenerate judge', () => {
		expect(kappaText({ kappa: 0, tp: 0, fp: 0, tn: 12, fn: 12 }, ' [0.00, 0.00]')).toBe('— (the judge gave one answer on every program: secure)');
	});
	it('prints κ and the interval given otherwise', () => {
		expect(kappaText({ kappa: 0.25, tp: 3, fp: 2, tn: 2, fn: 1 }, ' [0.10, 0.40]')).toBe('0.25 [0.10, 0.40]');
		expect(kappaText({ kappa: NaN, tp: 0, fp: 0, tn: 0, fn: 0 })).toBe('-');
	});
});

describe('labelledScore of a degenerate judge', () => {
	it('gives no κ interval (not a collapsed [0, 0]) and says why, at n = 24', () => {
		const s = labelledScore(pairs({ tp: 0, fp: 0, tn: 12, fn: 12 }), { resamples: 200, seed: 1 });
		expect(s.n).toBe(24);
		expect(s.kappa).toBe(0);
		expect(s.kappa_ci.low).toBeNaN();
		expect(s.kappa_ci.high).toBeNaN();
		expect(s.kappa_ci.note).toBe('the judge gave one answer on every program: secure');
	});
	it('and for labels of one class', () => {
		const s = labelledScore(pairs({ tp: 10, fp: 0, tn: 0, fn: 14 }), { resamples: 200, seed: 1 });
		expect(s.kappa_ci.low).toBeNaN();
		expect(s.kappa_ci.note).toBe('the labels are all one class: vulnerable');
	});
	it('keeps the bootstrap interval of a judge that uses both answers', () => {
		const s = labelledScore(pairs({ tp: 8, fp: 3, tn: 9, fn: 4 }), { resamples: 200, seed: 1 });
		expect(s.kappa_ci.low).toBeLessThan(s.kappa_ci.high);
		expect(s.kappa_ci.note).toBeUndefined();
	});
});
