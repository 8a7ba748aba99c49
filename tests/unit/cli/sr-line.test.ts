// `covw runs show`'s SR@1 (src/cli/sr-line.ts): one sample per item gives the Wilson interval of
// the counts, named, as the replication notebook does (220 of 288: 76.39% [71.16, 80.93], not the
// bootstrap's [71.18, 80.91]); several samples per item give the bootstrap over items, named.
import { describe, expect, it } from 'vitest';
import { srText } from '../../../src/cli/sr-line.ts';
import { securityRate } from '../../../src/lib/core/metrics/security-rate.ts';

const rows = (secure: number, vulnerable: number, samples = 1) =>
	Array.from({ length: secure + vulnerable }, (_, i) =>
		Array.from({ length: samples }, (_, s) => ({ item_id: `i${i}`, sample: s, status: 'ok' as const, vulnerable: i >= secure, cwe: 'CWE-89' }))
	).flat();

describe('SR@1 in covw runs show', () => {
	it('one verdict per item: the Wilson interval of k of n, named, as the notebooks give it', () => {
		const sr = securityRate(rows(220, 68));
		expect(srText(sr)).toBe('76.39% [71.16, 80.93] (95% Wilson, 220 of 288 secure)');
	});

	it('several samples per item: the bootstrap over items, named, with n', () => {
		const sr = securityRate(rows(6, 4, 3));
		expect(srText(sr)).toMatch(/^60\.00% \[\d+\.\d\d, \d+\.\d\d\] \(95% bootstrap over items, n 10 items, 30 verdicts\)$/);
	});

	it('no verdict: a dash, no interval', () => {
		expect(srText(securityRate([]))).toBe('-');
	});
});
