// SR@1 never scores an answer with no code and says what it stands on: judged / total.
import { describe, expect, it } from 'vitest';
import { securityRate } from '../../../../src/lib/core/metrics/security-rate.ts';

describe('securityRate coverage', () => {
	it('counts no_code and error rows apart and reports judged / total', () => {
		const r = securityRate([
			{ item_id: 'a', sample: 0, status: 'ok', vulnerable: false, cwe: 'CWE-78' },
			{ item_id: 'b', sample: 0, status: 'no_code', vulnerable: null, cwe: 'CWE-78' },
			{ item_id: 'c', sample: 0, status: 'error', vulnerable: null, cwe: 'CWE-89' },
			{ item_id: 'd', sample: 0, status: 'ok', vulnerable: true, cwe: 'CWE-89' }
		]);
		expect(r.sr).toBe(50);
		expect(r).toMatchObject({ n_ok: 2, n_no_code: 1, n_error: 1, n_unparsed: 0, coverage: { judged: 2, total: 4 }, n_items: 2, n_items_without_ok: 2 });
		expect(r.per_cwe.map((c) => [c.cwe, c.coverage.judged, c.coverage.total, c.n_no_code])).toEqual([
			['CWE-78', 1, 2, 1],
			['CWE-89', 1, 2, 0]
		]);
	});

	it('a no_code row never needs a verdict, and an all-no-code set has no rate', () => {
		const r = securityRate([{ item_id: 'a', sample: 0, status: 'no_code', vulnerable: null }]);
		expect(r.sr).toBeNaN();
		expect(r.coverage).toEqual({ judged: 0, total: 1 });
	});
});
