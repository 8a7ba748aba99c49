import { describe, expect, it } from 'vitest';
import {
	accuracy,
	binaryMetrics,
	confusionMatrix,
	weightedF1
} from '../../../../src/lib/core/metrics/classification.ts';

describe('binaryMetrics (true = positive)', () => {
	it('worked by hand: tp 3, fp 1, fn 2, tn 4', () => {
		const truth = [true, true, true, true, true, false, false, false, false, false];
		const pred = [true, true, true, false, false, true, false, false, false, false];
		const m = binaryMetrics(truth, pred);
		expect([m.n, m.tp, m.fp, m.fn, m.tn]).toEqual([10, 3, 1, 2, 4]);
		expect(m.precision).toBeCloseTo(3 / 4, 14);
		expect(m.recall).toBeCloseTo(3 / 5, 14);
		// 2PR/(P+R) = 2 * 0.75 * 0.6 / 1.35 = 2/3
		expect(m.f1).toBeCloseTo(2 / 3, 14);
		expect(m.accuracy).toBeCloseTo(0.7, 14);
	});

	it('uses 0 for empty denominators, like sklearn zero_division=0', () => {
		const m = binaryMetrics([false, false], [false, false]);
		expect([m.precision, m.recall, m.f1, m.accuracy]).toEqual([0, 0, 0, 1]);
		const noPositivePredicted = binaryMetrics([true, false], [false, false]);
		expect([noPositivePredicted.precision, noPositivePredicted.recall]).toEqual([0, 0]);
	});

	it('throws on mismatch, empty input and non-booleans', () => {
		expect(() => binaryMetrics([true], [])).toThrow(/differ in length/);
		expect(() => binaryMetrics([], [])).toThrow(/at least one/);
		expect(() => binaryMetrics([true], [null as unknown as boolean])).toThrow(/pair 0/);
	});
});

describe('weightedF1 (sklearn average="weighted", zero_division=0)', () => {
	it('worked by hand, including a label only predicted', () => {
		// a: tp1 fp0 fn1 -> 2/3, support 2; b: tp1 fp1 fn0 -> 2/3, support 1;
		// c: 0, support 1; d: predicted only, weight 0. (2*2/3 + 2/3) / 4 = 0.5
		expect(weightedF1(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'd'])).toBeCloseTo(0.5, 14);
	});

	it('matches the numpy reference (tests/reference/stats_reference.py)', () => {
		const truth = ['A', 'A', 'A', 'B', 'B', 'C', 'C', 'C', 'C', 'D', 'E', 'E', 'A', 'B', 'C', 'D'];
		const pred = ['A', 'B', 'A', 'B', 'X', 'C', 'A', 'C', 'C', 'D', 'D', 'E', 'A', 'B', 'E', 'E'];
		expect(weightedF1(truth, pred)).toBeCloseTo(0.659375, 14);
		expect(accuracy(truth, pred)).toBeCloseTo(0.625, 14);
	});

	it('is 1 for a perfect prediction and 0 when nothing matches', () => {
		expect(weightedF1(['x', 'y', 'y'], ['x', 'y', 'y'])).toBe(1);
		expect(weightedF1(['x', 'y'], ['y', 'x'])).toBe(0);
	});
});

describe('accuracy and confusionMatrix', () => {
	it('accuracy compares with ===', () => {
		expect(accuracy([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
		expect(() => accuracy([], [])).toThrow(/at least one/);
	});

	it('rows are the truth, columns the prediction, labels sorted', () => {
		const m = confusionMatrix(['b', 'a', 'a', 'c'], ['a', 'a', 'c', 'c']);
		expect(m.labels).toEqual(['a', 'b', 'c']);
		expect(m.counts).toEqual([
			[1, 0, 1],
			[1, 0, 0],
			[0, 0, 1]
		]);
	});
});
