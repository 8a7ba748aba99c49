import { describe, expect, it } from 'vitest';
import { paperAverage } from '../../../../src/lib/core/metrics/paper-average.ts';
import { readTable1 } from './read-table1.ts';

describe('paperAverage reproduces Table 1', () => {
	const rows = readTable1();
	const inputsOf = (r: Record<string, string>) => ({
		cc_total_sr1: Number(r.cc_total_sr1),
		repair_sr1: Number(r.repair_sr1),
		detection_f1: Number(r.detection_f1),
		classification_f1: Number(r.classification_f1)
	});

	it('has all 20 models', () => {
		expect(rows).toHaveLength(20);
	});

	it('matches the published average within 0.01 for every model', () => {
		const misses = rows
			.map((r) => ({ model: r.model, gap: Math.abs(paperAverage(inputsOf(r)) - Number(r.average)) }))
			.filter((m) => !(m.gap <= 0.01));
		expect(misses).toEqual([]);
	});

	it('a near-miss formula (classification accuracy instead of F1) does not fit, so the check discriminates', () => {
		const fits = rows.every(
			(r) => Math.abs(paperAverage({ ...inputsOf(r), classification_f1: Number(r.classification_acc) }) - Number(r.average)) <= 0.01
		);
		expect(fits).toBe(false);
	});

	it('worked by hand and input checks', () => {
		expect(paperAverage({ cc_total_sr1: 80, repair_sr1: 60, detection_f1: 90, classification_f1: 10 })).toBe(60);
		expect(() =>
			paperAverage({ cc_total_sr1: NaN, repair_sr1: 1, detection_f1: 1, classification_f1: 1 })
		).toThrow(/cc_total_sr1/);
	});
});
