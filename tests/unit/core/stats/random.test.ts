import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/lib/core/stats/random.ts';

describe('createRng', () => {
	it('reproduces the mulberry32 stream (values from tests/reference/stats_reference.py)', () => {
		const one = createRng(1);
		expect([one(), one(), one(), one()]).toEqual([
			0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741
		]);
		const big = createRng(123456789);
		expect([big(), big(), big(), big()]).toEqual([
			0.2577907438389957, 0.9707721115555614, 0.7853280142880976, 0.20616457983851433
		]);
	});

	it('is deterministic per seed and differs between seeds', () => {
		const a = createRng(7);
		const b = createRng(7);
		const c = createRng(8);
		const sa = Array.from({ length: 50 }, () => a());
		const sb = Array.from({ length: 50 }, () => b());
		const sc = Array.from({ length: 50 }, () => c());
		expect(sa).toEqual(sb);
		expect(sa).not.toEqual(sc);
	});

	it('stays in [0, 1) with a mean near 1/2', () => {
		const rng = createRng(2024);
		let sum = 0;
		let outside = 0;
		for (let i = 0; i < 100_000; i++) {
			const v = rng();
			if (!(v >= 0 && v < 1)) outside++;
			sum += v;
		}
		expect(outside).toBe(0);
		// Standard error of the mean is 0.29/sqrt(1e5) ~ 0.0009.
		expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
	});

	it('accepts negative and large safe integers, rejects the rest', () => {
		expect(createRng(-5)()).not.toBe(createRng(5)());
		expect(createRng(2 ** 40)()).not.toBe(createRng(0)());
		expect(() => createRng(1.5)).toThrow(/safe integer/);
		expect(() => createRng(NaN)).toThrow(/safe integer/);
	});
});
