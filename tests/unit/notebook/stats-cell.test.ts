import { describe, it, expect } from 'vitest';
import { parseStatsSpec, computeStats, type ColumnSource } from '../../../src/lib/notebook/stats-cell.ts';

/** An in-memory ColumnSource over plain arrays. */
function table(columns: Record<string, unknown[]>): ColumnSource {
	const names = Object.keys(columns);
	return {
		numRows: columns[names[0]].length,
		schema: { fields: names.map((name) => ({ name, type: null })) },
		getChild: (name) => (columns[name] ? { get: (i: number) => columns[name][i] } : null)
	};
}

// Values from tests/reference/notebook_stats_cell.py (scipy.stats spearmanr / kendalltau (tau-b) / pearsonr).
const data = table({
	a: [1, 2, 3, 4, 5, 6, 7],
	b: [2, 1, 4, 3, 7, 5, 6],
	c: [10, 30, 20, null, 50, 40, 40]
});
const SCIPY = {
	spearman: { ab: 0.8214285714285715, ac: 0.753702346348183, bc: 0.8116794499134279 },
	kendall: { ab: 0.6190476190476191, ac: 0.5520524474738833, bc: 0.6900655593423543 },
	pearson: { ab: 0.8214285714285715, ac: 0.8038369524685004, bc: 0.7526986009994229 }
};

describe('parseStatsSpec', () => {
	it('fills defaults', () => {
		expect(parseStatsSpec('{"method": "kendall", "columns": ["a", "b"]}').spec).toEqual({ method: 'kendall', columns: ['a', 'b'], resamples: 2000, seed: 1, level: 0.95 });
	});
	it('reports bad fields with their line', () => {
		const { spec, errors } = parseStatsSpec('{\n"method": "spearmen",\n"columns": [],\n"level": 95,\n"extra": 1}');
		expect(spec).toBeNull();
		expect(errors.map((e) => e.line)).toEqual([5, 2, 3, 4]);
		expect(errors[1].message).toMatch(/"method" must be one of spearman, kendall, pearson, kappa, agreement/);
		expect(parseStatsSpec('{"method": ').errors[0].message).toMatch(/invalid JSON at line 1, column 12/);
	});
});

describe('computeStats', () => {
	for (const method of ['spearman', 'kendall', 'pearson'] as const) {
		it(`${method}: all ordered pairs with scipy's estimates, pairwise dropping of missing rows`, () => {
			const out = computeStats(data, { method, columns: ['a', 'b', 'c'], resamples: 300, seed: 7, level: 0.9 });
			expect(out.x).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c']);
			expect(out.y).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
			const e = SCIPY[method];
			const expected = [1, e.ab, e.ac, e.ab, 1, e.bc, e.ac, e.bc, 1];
			out.estimate.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 12));
			expect(out.n).toEqual([7, 7, 6, 7, 7, 6, 6, 6, 6]);
			expect(out.rows_dropped).toEqual([0, 0, 1, 0, 0, 1, 1, 1, 1]);
			expect(new Set([...out.method, ...out.resamples.map(String), ...out.seed.map(String), ...out.level.map(String)])).toEqual(new Set([method, '300', '7', '0.9']));
			for (let k = 0; k < 9; k++) {
				expect(out.ci_low[k]!).toBeLessThanOrEqual(out.ci_high[k]!);
				expect(out.ci_high[k]!).toBeLessThanOrEqual(1 + 1e-12);
			}
			expect([out.ci_low[1], out.ci_high[1]]).toEqual([out.ci_low[3], out.ci_high[3]]); // (a,b) mirrors (b,a)
		});
	}
	it('is deterministic for a seed and changes with it', () => {
		const spec = { method: 'spearman' as const, columns: ['a', 'b'], resamples: 200, seed: 3, level: 0.95 };
		expect(computeStats(data, spec)).toEqual(computeStats(data, spec));
		expect(computeStats(data, { ...spec, seed: 4 }).ci_low).not.toEqual(computeStats(data, spec).ci_low);
	});
	it('reads bigint and booleans, rejects text naming the row, nulls too-small pairs', () => {
		const t = table({ x: [1n, 2n, 3n], y: [true, false, true], s: ['1', 'two', '3'], z: [null, null, 1] });
		expect(computeStats(t, { method: 'pearson', columns: ['x', 'y'], resamples: 10, seed: 1, level: 0.95 }).n).toEqual([3, 3, 3, 3]);
		expect(() => computeStats(t, { method: 'pearson', columns: ['x', 's'], resamples: 10, seed: 1, level: 0.95 })).toThrow('column "s" is not numeric: row 1 holds "1"');
		const z = computeStats(t, { method: 'pearson', columns: ['x', 'z'], resamples: 10, seed: 1, level: 0.95 });
		expect([z.estimate[1], z.n[1], z.rows_dropped[1]]).toEqual([null, 1, 2]);
		expect(() => computeStats(t, { method: 'pearson', columns: ['nope'], resamples: 10, seed: 1, level: 0.95 })).toThrow('no column "nope" — columns: x, y, s, z');
	});
});

describe('grouped stats: x against y within each value of by', () => {
	// Two judges rank four CWEs; judge "same" agrees with the reference, "flipped" reverses it.
	const data = table({
		judge: ['same', 'same', 'same', 'same', 'flipped', 'flipped', 'flipped', 'flipped'],
		reference: [10, 20, 30, 40, 10, 20, 30, 40],
		judged: [1, 2, 3, 4, 4, 3, 2, 1]
	});

	it('gives one row per group, in order of first appearance, with the group named', () => {
		const { spec, errors } = parseStatsSpec('{"method": "kendall", "x": "reference", "y": "judged", "by": "judge", "resamples": 200}');
		expect(errors).toEqual([]);
		const out = computeStats(data, spec!) as ReturnType<typeof computeStats> & { group: string[] };
		expect(out.group).toEqual(['same', 'flipped']);
		expect(out.estimate).toEqual([1, -1]);
		expect(out.n).toEqual([4, 4]);
		expect(out.x).toEqual(['reference', 'reference']);
	});

	it('without by, correlates over all rows as one group', () => {
		const { spec } = parseStatsSpec('{"method": "spearman", "x": "reference", "y": "judged", "resamples": 50}');
		const out = computeStats(data, spec!) as ReturnType<typeof computeStats> & { group: (string | null)[] };
		expect(out.group).toEqual([null]);
		expect(out.n).toEqual([8]);
	});

	it('withholds an interval whose resamples were often degenerate, and says why in ci_note', () => {
		// Figure 5's ranking_alignment: 18 CWEs; judge "lenient" calls every CWE's programs secure
		// but one, so about a third of the resamples have no correlation (constant judge column).
		const reference = Array.from({ length: 18 }, (_, i) => 10 + 5 * i);
		const rows = [
			...reference.map((r, i) => ({ judge: 'lenient', reference: r, judged: i === 6 ? 0 : 100 })),
			...reference.map((r, i) => ({ judge: 'close', reference: r, judged: r + ((i * 7) % 5) * 4 })),
			...[1, 2].map((r) => ({ judge: 'constant', reference: r, judged: 50 }))
		];
		const t = table({ judge: rows.map((r) => r.judge), reference: rows.map((r) => r.reference), judged: rows.map((r) => r.judged) });
		const out = computeStats(t, { method: 'kendall', x: 'reference', y: 'judged', by: 'judge', resamples: 2000, seed: 1, level: 0.95 });
		expect(out.estimate[0]).not.toBeNull();
		expect([out.ci_low[0], out.ci_high[0]]).toEqual([null, null]);
		expect(out.resamples_dropped[0]).toBeGreaterThan(200);
		expect(out.ci_note[0]).toMatch(new RegExp(`withheld: ${out.resamples_dropped[0]} of 2000 resamples`));
		// A judge with variation: an interval holding its estimate, and no note.
		expect(out.ci_note[1]).toBe('');
		expect(out.ci_low[1]!).toBeLessThanOrEqual(out.estimate[1]!);
		expect(out.ci_high[1]!).toBeGreaterThanOrEqual(out.estimate[1]!);
		// A constant judge: no estimate, no interval, and the reason.
		expect([out.estimate[2], out.ci_low[2], out.ci_high[2]]).toEqual([null, null, null]);
		expect(out.ci_note[2]).toMatch(/constant/);
	});

	it('refuses mixing the matrix and grouped forms, or a grouped spec without y', () => {
		expect(parseStatsSpec('{"method": "kendall", "columns": ["a", "b"], "x": "a", "y": "b"}').errors[0].message).toMatch(/either "columns"/);
		expect(parseStatsSpec('{"method": "kendall", "x": "a", "by": "g"}').errors[0].message).toMatch(/"y" must be a column name/);
	});
});

describe('agreement of two raters: kappa and agreement', () => {
	it('a missing method says it is missing, not that it must be one of', () => {
		const { errors } = parseStatsSpec('{"columns": ["rules_v", "llm_v"]}');
		expect(errors.map((e) => e.message)).toEqual(['"method" is missing: add "method": one of spearman, kendall, pearson, kappa, agreement']);
	});

	it("Cohen's κ and % agreement of two verdict columns (booleans), with n and an interval; rows missing a verdict dropped", () => {
		// 10 programs: rules and the LLM agree on 8 (4 vulnerable, 4 secure), disagree on 2; one more has no LLM verdict.
		const rules = [true, true, true, true, false, false, false, false, true, false, true];
		const llm = [true, true, true, true, false, false, false, false, false, true, null];
		const t = table({ rules, llm });
		// sklearn.metrics.cohen_kappa_score on the 10 pairs: p_o = 0.8, p_e = 0.5 → 0.6
		const kappa = computeStats(t, { method: 'kappa', x: 'rules', y: 'llm', resamples: 500, seed: 1, level: 0.95 });
		expect(kappa.estimate[0]).toBeCloseTo(0.6, 12);
		expect([kappa.n[0], kappa.rows_dropped[0], kappa.method[0]]).toEqual([10, 1, 'kappa']);
		expect(kappa.ci_low[0]!).toBeLessThan(0.6);
		expect(kappa.ci_high[0]!).toBeGreaterThan(0.6);
		const share = computeStats(t, { method: 'agreement', columns: ['rules', 'llm'], resamples: 500, seed: 1, level: 0.95 });
		expect(share.estimate).toEqual([1, 0.8, 0.8, 1]);
		// one and the same answer throughout: κ undefined, and why
		const same = computeStats(table({ a: [true, true, true], b: [true, true, true] }), { method: 'kappa', x: 'a', y: 'b', resamples: 50, seed: 1, level: 0.95 });
		expect(same.estimate[0]).toBeNull();
		expect(same.ci_note[0]).toMatch(/one and the same value throughout/);
	});

	it('a judge that gave one answer on every target has no κ (not 0), and the note says which column', () => {
		// 10 targets, 2 labelled vulnerable; the judge says secure on all of them: κ would be 0 whatever its skill
		const labels = [true, true, false, false, false, false, false, false, false, false];
		const judge = labels.map(() => false);
		const t = table({ judge, labels });
		const kappa = computeStats(t, { method: 'kappa', x: 'judge', y: 'labels', resamples: 200, seed: 1, level: 0.95 });
		expect([kappa.estimate[0], kappa.ci_low[0], kappa.ci_high[0], kappa.n[0]]).toEqual([null, null, null, 10]);
		expect(kappa.ci_note[0]).toBe('no κ: "judge" gave one answer on every row (0)');
		const matrix = computeStats(t, { method: 'kappa', columns: ['labels', 'judge'], resamples: 200, seed: 1, level: 0.95 });
		expect(matrix.estimate[1]).toBeNull();
		expect(matrix.ci_note[1]).toBe('no κ: "judge" gave one answer on every row (0)');
		expect(matrix.estimate[0]).toBe(1); // labels against themselves: they vary
		// agreement is still a share: 8 of 10
		expect(computeStats(t, { method: 'agreement', x: 'judge', y: 'labels', resamples: 200, seed: 1, level: 0.95 }).estimate[0]).toBeCloseTo(0.8, 12);
	});
});
