import { describe, expect, it } from 'vitest';
import { agreementSummary, cohenBetween, fleissByRaterCount, majorityVotes, voteOf } from '../../../../src/lib/core/labels/aggregate.ts';
import { answerFields, type Answer } from '../../../../src/lib/core/labels/answer.ts';
import type { Label } from '../../../../src/lib/core/labels/label.ts';
import { latestLabels } from '../../../../src/lib/core/labels/latest.ts';

const TARGET_CWE = 'CWE-79';
let clock = 0;
function label(target_id: string, annotator: string, answer: Answer, note = ''): Label {
	clock++;
	return { target_id, annotator, ...answerFields(answer, TARGET_CWE), note, at: new Date(Date.UTC(2025, 0, 1, 0, 0, clock)).toISOString() };
}
const V: Answer = { kind: 'vulnerable' };
const N: Answer = { kind: 'not_vulnerable' };
const O: Answer = { kind: 'other_cwe', cwe: 'CWE-20' };
const S: Answer = { kind: 'skip' };

// The hand-made case (see tests/reference/labels_agreement.py for the same numbers):
//   t1: ann V, bo V, cy V    → vulnerable
//   t2: ann V, bo V, cy N    → vulnerable
//   t3: ann N, bo N, cy O    → not_vulnerable
//   t4: ann V, bo O, cy N    → 1-1-1 tie: needs review
//   t5: ann V, bo N          → 1-1 tie (two raters): needs review
//   t6: dee skipped          → no vote
//   t7: ann note only        → no vote
const rows: Label[] = [
	label('t1', 'ann', V), label('t1', 'bo', V), label('t1', 'cy', V),
	label('t2', 'ann', V), label('t2', 'bo', V), label('t2', 'cy', N),
	label('t3', 'ann', N), label('t3', 'bo', N), label('t3', 'cy', O),
	label('t4', 'ann', V), label('t4', 'bo', O), label('t4', 'cy', N),
	label('t5', 'ann', V), label('t5', 'bo', N),
	label('t6', 'dee', S),
	label('t7', 'ann', { kind: 'none' }, 'look at the loop bound')
];

describe('votes', () => {
	it('maps answers to votes; skips and note-only rows cast none', () => {
		expect(rows.map(voteOf).slice(0, 3)).toEqual(['vulnerable', 'vulnerable', 'vulnerable']);
		expect(voteOf(label('x', 'ann', O))).toBe('other_cwe');
		expect(voteOf(label('x', 'ann', N))).toBe('not_vulnerable');
		expect(voteOf(label('x', 'ann', S))).toBeNull();
		expect(voteOf(label('x', 'ann', { kind: 'none' }))).toBeNull();
	});
});

describe('majority vote', () => {
	const votes = majorityVotes(rows);
	const byId = new Map(votes.map((v) => [v.target_id, v]));

	it('decides by strict majority', () => {
		expect(byId.get('t1')).toMatchObject({ decision: 'vulnerable', needs_review: false, counts: { vulnerable: 3, other_cwe: 0, not_vulnerable: 0 } });
		expect(byId.get('t2')).toMatchObject({ decision: 'vulnerable', needs_review: false });
		expect(byId.get('t3')).toMatchObject({ decision: 'not_vulnerable', needs_review: false, annotators: ['ann', 'bo', 'cy'] });
	});

	it('flags ties for review and decides nothing', () => {
		expect(byId.get('t4')).toMatchObject({ decision: null, needs_review: true, counts: { vulnerable: 1, other_cwe: 1, not_vulnerable: 1 } });
		expect(byId.get('t5')).toMatchObject({ decision: null, needs_review: true, annotators: ['ann', 'bo'] });
	});

	it('leaves out targets without a vote', () => {
		expect(votes.map((v) => v.target_id)).toEqual(['t1', 't2', 't3', 't4', 't5']);
	});

	it('counts an annotator once: the latest answer replaces an earlier one', () => {
		const changed = [...rows, label('t4', 'bo', N)]; // bo now says not vulnerable: 1 V, 2 N
		const t4 = majorityVotes(latestLabels(changed)).find((v) => v.target_id === 't4')!;
		expect(t4).toMatchObject({ decision: 'not_vulnerable', needs_review: false, counts: { vulnerable: 1, other_cwe: 0, not_vulnerable: 2 } });
	});

	it('a fourth annotator settles a tie', () => {
		const settled = majorityVotes([...rows, label('t4', 'dee', V)]).find((v) => v.target_id === 't4')!;
		expect(settled).toMatchObject({ decision: 'vulnerable', needs_review: false });
	});
});

describe("Fleiss' kappa per number of raters", () => {
	const groups = fleissByRaterCount(majorityVotes(rows));

	it('groups targets by how many annotators answered them', () => {
		expect(groups.map((g) => [g.raters, g.subjects])).toEqual([
			[2, 1],
			[3, 4]
		]);
	});

	it('matches the hand-worked value for three raters', () => {
		// By hand: P_i = 1, 1/3, 1/3, 0 → P̄ = 5/12; p_j = 6/12, 2/12, 4/12 → P_e = 7/18;
		// kappa = (5/12 − 7/18) / (1 − 7/18) = 1/22. numpy agrees (tests/reference/labels_agreement.py).
		expect(groups[1].kappa).toBeCloseTo(1 / 22, 12);
		// Binary (has the target CWE or not): P̄ = 2/3, P_e = 1/2 → 1/3.
		expect(groups[1].binary.kappa).toBeCloseTo(1 / 3, 12);
	});

	it('two raters who disagree on the only subject: −1', () => {
		expect(groups[0].kappa).toBeCloseTo(-1, 12);
	});

	it('null with a reason when every rating is the same answer', () => {
		const unanimous = fleissByRaterCount(majorityVotes([label('a', 'ann', V), label('a', 'bo', V)]));
		expect(unanimous[0].kappa).toBeNull();
		expect(unanimous[0].reason).toMatch(/same answer/);
	});
});

describe("Cohen's kappa between two annotators", () => {
	it('uses the targets both answered', () => {
		// ann V V N V V, bo V V N O N on t1..t5: p_o = 3/5, p_e = 4/5·2/5 + 1/5·2/5 = 2/5 → 1/3.
		const result = cohenBetween(rows, 'ann', 'bo');
		expect(result).toMatchObject({ a: 'ann', b: 'bo', subjects: 5, agreed: 3 });
		expect(result.kappa).toBeCloseTo(1 / 3, 12);
	});

	it('null with a reason when they share no target', () => {
		const result = cohenBetween(rows, 'ann', 'dee');
		expect(result.kappa).toBeNull();
		expect(result.subjects).toBe(0);
		expect(result.reason).toMatch(/no target in common/);
	});
});

describe('summary', () => {
	it('counts annotators, decisions and ties', () => {
		const summary = agreementSummary(rows, { a: 'bo', b: 'cy' });
		expect(summary.annotators).toEqual([
			{ annotator: 'ann', answered: 5, decisions: 0, skipped: 0 },
			{ annotator: 'bo', answered: 5, decisions: 0, skipped: 0 },
			{ annotator: 'cy', answered: 4, decisions: 0, skipped: 0 },
			{ annotator: 'dee', answered: 0, decisions: 0, skipped: 1 }
		]);
		expect(summary.targets).toBe(5);
		expect(summary.decided).toBe(3);
		expect(summary.needs_review.map((v) => v.target_id)).toEqual(['t4', 't5']);
		expect(summary.cohen?.subjects).toBe(4);
	});
});
