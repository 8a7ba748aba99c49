import { describe, expect, it } from 'vitest';
import { detectionScores, type DetectionRow } from '../../../../src/lib/core/metrics/detection.ts';

const ok = (truth_binary: boolean, truth_class: string, predicted_binary: boolean, predicted_class: string): DetectionRow => ({
	status: 'ok',
	truth_binary,
	truth_class,
	predicted_binary,
	predicted_class
});

// Worked by hand ('none' = not vulnerable):
// binary: tp 3 (rows 1, 2, 6), fn 1 (row 3), tn 1 (row 4), fp 1 (row 5)
//   -> precision 75, recall 75, F1 75, accuracy 4/6 = 66.67
// classes: CWE-22 support 1, F1 0; CWE-79 support 1, tp1 fp1 -> 2/3;
//   CWE-89 support 2, tp1 fp1 fn1 -> 1/2; none support 2, tp1 fp1 fn1 -> 1/2
//   -> weighted (0 + 2/3 + 2 * 1/2 + 2 * 1/2) / 6 = 8/18 = 44.44; accuracy 3/6 = 50
//   (numpy reference agrees: tests/reference/stats_reference.py, 0.4444444444444444)
const rows: DetectionRow[] = [
	ok(true, 'CWE-79', true, 'CWE-79'),
	ok(true, 'CWE-89', true, 'CWE-79'),
	ok(true, 'CWE-22', false, 'none'),
	ok(false, 'none', false, 'none'),
	ok(false, 'none', true, 'CWE-89'),
	ok(true, 'CWE-89', true, 'CWE-89'),
	{ status: 'error', truth_binary: true, truth_class: 'CWE-79', predicted_binary: null, predicted_class: null },
	{ status: 'unparsed', truth_binary: false, truth_class: 'none', predicted_binary: null, predicted_class: null }
];

describe('detectionScores', () => {
	const s = detectionScores(rows);

	it('scores binary detection in percent with vulnerable as positive', () => {
		expect(s.detection).toMatchObject({ tp: 3, fp: 1, tn: 1, fn: 1, precision: 75, recall: 75, f1: 75 });
		expect(s.detection.accuracy).toBeCloseTo(400 / 6, 12);
	});

	it('scores classification with weighted F1 and accuracy in percent', () => {
		expect(s.classification.weighted_f1).toBeCloseTo((100 * 8) / 18, 12);
		expect(s.classification.accuracy).toBe(50);
	});

	it('excludes failed rows and counts them', () => {
		expect([s.n, s.n_error, s.n_unparsed]).toEqual([6, 1, 1]);
	});

	it('is NaN with counts when no row was parsed', () => {
		const none = detectionScores(rows.slice(6));
		expect(none.detection.f1).toBeNaN();
		expect(none.classification.weighted_f1).toBeNaN();
		expect([none.n, none.n_error, none.n_unparsed]).toEqual([0, 1, 1]);
	});

	it('names the line and field of a bad row', () => {
		const bad = [...rows, { ...ok(true, 'CWE-79', true, 'CWE-79'), predicted_class: null }];
		expect(() => detectionScores(bad, { source: 'det.jsonl', firstLine: 1 })).toThrow(
			`det.jsonl: line 9: field "predicted_class": must be a non-empty string when status is 'ok', got null`
		);
		expect(() => detectionScores([{ ...rows[0], truth_binary: 'yes' as never }])).toThrow(/line 0: field "truth_binary"/);
	});
});
