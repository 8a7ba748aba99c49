import { describe, expect, it } from 'vitest';
import { RowError } from '../../../../src/lib/core/metrics/row-error.ts';
import { securityRate, type VerdictRow } from '../../../../src/lib/core/metrics/security-rate.ts';

const row = (item_id: string, sample: number, status: VerdictRow['status'], vulnerable: boolean | null, cwe?: string): VerdictRow =>
	({ item_id, sample, status, vulnerable, ...(cwe ? { cwe } : {}) });

// Worked by hand (secure = not vulnerable, per item over its ok samples):
//   a (CWE-79):  secure, vulnerable, error          -> 1/2 = 50
//   b (CWE-79):  secure                             -> 100
//   c (CWE-22):  unparsed, error                    -> no verdict, left out
//   d (CWE-22):  vulnerable, vulnerable, secure, unparsed -> 1/3 = 33.33
//   e (CWE-119): secure                             -> 100
// SR = (50 + 100 + 33.33 + 100) / 4 = 70.833; pooled over generations it would be 4/7 = 57.1.
const rows: VerdictRow[] = [
	row('a', 0, 'ok', false, 'CWE-79'),
	row('a', 1, 'ok', true, 'CWE-79'),
	row('a', 2, 'error', null, 'CWE-79'),
	row('b', 0, 'ok', false, 'CWE-79'),
	row('c', 0, 'unparsed', null, 'CWE-22'),
	row('c', 1, 'error', null, 'CWE-22'),
	row('d', 0, 'ok', true, 'CWE-22'),
	row('d', 1, 'ok', true, 'CWE-22'),
	row('d', 2, 'ok', false, 'CWE-22'),
	row('d', 3, 'unparsed', null, 'CWE-22'),
	row('e', 0, 'ok', false, 'CWE-119')
];

describe('securityRate', () => {
	const report = securityRate(rows, { resamples: 500 });

	it('averages per item, then over items, in percent', () => {
		expect(report.sr).toBeCloseTo((50 + 100 + 100 / 3 + 100) / 4, 12);
		expect(report.ci.estimate).toBe(report.sr);
	});

	it('excludes failed rows and counts them', () => {
		expect(report).toMatchObject({ n_items: 4, n_items_without_ok: 1, n_ok: 7, n_error: 2, n_unparsed: 2 });
	});

	it('breaks down per CWE in natural order', () => {
		expect(report.per_cwe.map((c) => c.cwe)).toEqual(['CWE-22', 'CWE-79', 'CWE-119']);
		const [c22, c79, c119] = report.per_cwe;
		expect(c22.sr).toBeCloseTo(100 / 3, 12);
		expect(c22).toMatchObject({ n_items: 1, n_items_without_ok: 1, n_ok: 3, n_error: 1, n_unparsed: 2 });
		expect(c79.sr).toBe(75);
		expect(c79).toMatchObject({ n_items: 2, n_ok: 3, n_error: 1, n_unparsed: 0 });
		expect(c119.sr).toBe(100);
		// One item: every resample is that item.
		expect([c119.ci.low, c119.ci.high]).toEqual([100, 100]);
	});

	it('an error is neither secure nor vulnerable: adding failures changes only the counts', () => {
		const more = securityRate([...rows, row('b', 1, 'error', null, 'CWE-79'), row('b', 2, 'unparsed', null, 'CWE-79')], {
			resamples: 500
		});
		expect(more.sr).toBe(report.sr);
		expect([more.n_error, more.n_unparsed]).toEqual([3, 3]);
	});

	it('gives a reproducible interval around the rate, within 0..100', () => {
		const again = securityRate(rows, { resamples: 500 });
		expect(again.ci).toEqual(report.ci);
		expect(report.ci.low).toBeLessThanOrEqual(report.sr);
		expect(report.ci.high).toBeGreaterThanOrEqual(report.sr);
		expect(report.ci.low).toBeGreaterThanOrEqual(100 / 3);
		expect(report.ci.high).toBeLessThanOrEqual(100);
	});

	it('one sample per item is the plain share of secure programs', () => {
		const single = [true, false, false, true, false].map((v, i) => row(`i${i}`, 0, 'ok', v));
		const r = securityRate(single, { resamples: 50 });
		expect(r.sr).toBe(60);
		expect(r.per_cwe).toEqual([]);
	});

	it('is NaN with counts when nothing has a verdict', () => {
		const r = securityRate([row('a', 0, 'error', null), row('b', 0, 'unparsed', null)]);
		expect(r.sr).toBeNaN();
		expect(r.ci.resamples).toBe(0);
		expect(r).toMatchObject({ n_items: 0, n_items_without_ok: 2, n_ok: 0, n_error: 1, n_unparsed: 1 });
	});

	it('names the source, line and field of a bad row', () => {
		const bad = [row('a', 0, 'ok', false), row('b', 0, 'ok', null)];
		let caught: unknown;
		try {
			securityRate(bad, { source: 'runs/x/verdicts.jsonl', firstLine: 1 });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(RowError);
		expect((caught as RowError).message).toBe(
			`runs/x/verdicts.jsonl: line 2: field "vulnerable": must be true or false when status is 'ok', got null`
		);
		expect(() => securityRate([row('a', 0, 'ok', true), row('a', 0, 'ok', false)])).toThrow(/line 1: field "sample": duplicate sample 0/);
		expect(() => securityRate([row('a', 0, 'ok', true, 'CWE-1'), row('a', 1, 'ok', false, 'CWE-2')])).toThrow(/field "cwe"/);
		expect(() => securityRate([{ ...row('a', 0, 'ok', true), status: 'timeout' as never }])).toThrow(/field "status"/);
		expect(() => securityRate([row('', 0, 'ok', true)])).toThrow(/field "item_id"/);
		expect(() => securityRate([row('a', -1, 'ok', true)])).toThrow(/field "sample"/);
	});
});
