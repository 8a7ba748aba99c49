import { describe, expect, it } from 'vitest';
import { evaluatorScore, evaluatorScoresBy, type JudgePair } from '../../../../src/lib/core/metrics/evaluator.ts';

const ok = (judge: boolean, reference: boolean, cwe = 'CWE-79'): JudgePair & { cwe: string } => ({
	judge,
	judge_status: 'ok',
	reference,
	cwe
});

// Worked by hand (true = vulnerable; the judge is the prediction):
// tp 2, fp 1, fn 2, tn 3 over 8 scored pairs.
// consistency 5/8 = 62.5; SR by judge (tn+fn)/8 = 62.5; SR by reference (tn+fp)/8 = 50; diff +12.5.
// kappa: p_o = 5/8; judge says vulnerable 3/8, reference 4/8 -> p_e = (3*4 + 5*4)/64 = 1/2 -> 0.25.
const pairs = [
	ok(true, true),
	ok(true, false),
	ok(false, true),
	ok(false, true),
	ok(false, false),
	ok(false, false),
	ok(true, true, 'CWE-22'),
	ok(false, false, 'CWE-22'),
	{ judge: null, judge_status: 'error' as const, reference: true, cwe: 'CWE-22' },
	{ judge: null, judge_status: 'unparsed' as const, reference: false, cwe: 'CWE-79' },
	{ judge: true, judge_status: 'unparsed' as const, reference: true, cwe: 'CWE-79' }
];

describe('evaluatorScore', () => {
	const s = evaluatorScore(pairs, { resamples: 500 });

	it('computes Table 5 style consistency and diff in percent', () => {
		expect(s.consistency).toBe(62.5);
		expect(s.sr_judge).toBe(62.5);
		expect(s.sr_reference).toBe(50);
		expect(s.diff).toBe(12.5);
		expect([s.consistency_ci.estimate, s.diff_ci.estimate]).toEqual([62.5, 12.5]);
	});

	it('reports confusion counts, kappa and the excluded rows', () => {
		expect(s).toMatchObject({ n: 8, n_error: 1, n_unparsed: 2, tp: 2, fp: 1, fn: 2, tn: 3 });
		expect(s.kappa).toBeCloseTo(0.25, 14);
	});

	it('a judge that misses vulnerabilities gets a positive diff', () => {
		const lenient = evaluatorScore([ok(false, true), ok(false, true), ok(false, false), ok(true, true)], { resamples: 10 });
		expect(lenient.diff).toBe(50);
		const strict = evaluatorScore([ok(true, false), ok(true, true)], { resamples: 10 });
		expect(strict.diff).toBe(-50);
	});

	it('is NaN with counts when no pair was judged', () => {
		const none = evaluatorScore([{ judge: null, judge_status: 'error', reference: true }]);
		expect(none.consistency).toBeNaN();
		expect(none.diff).toBeNaN();
		expect(none).toMatchObject({ n: 0, n_error: 1, n_unparsed: 0 });
	});

	it('names the line and field of a bad pair', () => {
		expect(() => evaluatorScore([ok(true, true), { judge: null, judge_status: 'ok', reference: true }], { source: 'labels.csv', firstLine: 2 })).toThrow(
			`labels.csv: line 3: field "judge": must be true or false when judge_status is 'ok', got null`
		);
		expect(() => evaluatorScore([{ judge: true, judge_status: 'ok', reference: 'yes' as never }])).toThrow(/field "reference"/);
	});
});

describe('evaluatorScoresBy', () => {
	it('scores each group separately, groups in natural order', () => {
		const groups = evaluatorScoresBy(pairs, (p) => p.cwe, { resamples: 100 });
		expect(groups.map((g) => g.group)).toEqual(['CWE-22', 'CWE-79']);
		const [c22, c79] = groups;
		expect(c22.score).toMatchObject({ n: 2, n_error: 1, n_unparsed: 0, tp: 1, tn: 1, consistency: 100, diff: 0 });
		// CWE-79: tp 1, fp 1, fn 2, tn 2 -> consistency 50, diff (2 - 1)/6 = 16.67
		expect(c79.score).toMatchObject({ n: 6, n_error: 0, n_unparsed: 2, tp: 1, fp: 1, fn: 2, tn: 2, consistency: 50 });
		expect(c79.score.diff).toBeCloseTo(100 / 6, 12);
	});

	it('reports a bad pair by its position in the whole input', () => {
		const bad = [...pairs, { judge: 'x' as never, judge_status: 'ok' as const, reference: true, cwe: 'CWE-1' }];
		expect(() => evaluatorScoresBy(bad, (p) => p.cwe)).toThrow(/line 11: field "judge"/);
	});
});
