import { describe, expect, it } from 'vitest';
import { CLASS_LABELS, CWE_IDS, CWES, getCwe, normalizeCweId, tryNormalizeCweId } from '../../../../src/lib/core/cwe.ts';

describe('CWE catalogue', () => {
	it('holds the 18 CWEs of the benchmark in the Top-25 order the paper scorer scans', () => {
		expect(CWES.map((c) => c.number)).toEqual([787, 79, 125, 20, 78, 89, 416, 22, 434, 306, 190, 502, 476, 798, 119, 200, 522, 732]);
		expect(CLASS_LABELS).toHaveLength(19);
		expect(CLASS_LABELS[18]).toBe('non_vulnerable');
		for (const c of CWES) {
			expect(c.id).toBe(`CWE-${c.number}`);
			expect(c.languages.length).toBeGreaterThan(0);
			expect(c.description.length).toBeGreaterThan(10);
		}
	});

	it('normalises the spellings found in data and answers', () => {
		expect(normalizeCweId('cwe-787')).toBe('CWE-787');
		expect(normalizeCweId('CWE_22')).toBe('CWE-22');
		expect(normalizeCweId(' CWE 79 ')).toBe('CWE-79');
		expect(normalizeCweId('cwe0089')).toBe('CWE-89');
		expect(normalizeCweId(416)).toBe('CWE-416');
		expect(getCwe('cwe-476').name).toBe('NULL Pointer Dereference');
	});

	it('refuses ids outside the 18 and malformed ones', () => {
		expect(() => normalizeCweId('CWE-1')).toThrow(/unknown CWE id "CWE-1"/);
		expect(() => normalizeCweId('CWE-7980')).toThrow(/unknown CWE id/);
		expect(() => normalizeCweId('cwe-79x')).toThrow(/unknown CWE id/);
		expect(tryNormalizeCweId('non_vulnerable')).toBeNull();
		expect(CWE_IDS.includes('CWE-798')).toBe(true);
	});
});
