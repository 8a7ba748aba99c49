import { describe, expect, it } from 'vitest';
import { averageRanks } from '../../../../src/lib/core/stats/ranks.ts';

describe('averageRanks', () => {
	it('ranks from 1 and averages ties (worked by hand)', () => {
		expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
		expect(averageRanks([3, 3, 3])).toEqual([2, 2, 2]);
		expect(averageRanks([5, -1, 5, 0, 5])).toEqual([4, 1, 4, 2, 4]);
		expect(averageRanks([])).toEqual([]);
	});

	it('keeps the input order and ranks infinities at the ends', () => {
		expect(averageRanks([Infinity, 0, -Infinity, Infinity])).toEqual([3.5, 2, 1, 3.5]);
	});

	it('rejects NaN naming its position', () => {
		expect(() => averageRanks([1, NaN])).toThrow(/values\[1\]/);
	});
});
