// Human acceptance of Vul-Evol survivors: majority with ties reported, percent agreement,
// Fleiss' and Cohen's kappa on accept/reject (hand-computed below), kept apart from the
// vulnerability answers; and the label rules an acceptance follows.
import { describe, expect, it } from 'vitest';
import { acceptanceAgreement, acceptanceVotes } from '../../../../src/lib/core/labels/acceptance.ts';
import { agreementSummary } from '../../../../src/lib/core/labels/aggregate.ts';
import { answerFields, answerOf, isAnswered, type Answer } from '../../../../src/lib/core/labels/answer.ts';
import { checkLabel, type Label } from '../../../../src/lib/core/labels/label.ts';
import { latestLabels } from '../../../../src/lib/core/labels/latest.ts';

let clock = 0;
function label(target_id: string, annotator: string, answer: Answer): Label {
	clock++;
	return { target_id, annotator, ...answerFields(answer, 'CWE-89'), note: '', at: new Date(Date.UTC(2025, 0, 1, 0, 0, clock)).toISOString() };
}
const A: Answer = { kind: 'accept' };
const R = (reason: 'same_as_seed' | 'unlikely_cwe' | 'already_secure' | 'other'): Answer => ({ kind: 'reject', reason });

//   s1: ann A, bo A, cy A          → accept
//   s2: ann A, bo A, cy R          → accept
//   s3: ann R, bo R, cy R          → reject
//   s4: ann A, bo R                → 1-1 tie
//   s5: ann R, then ann A (latest) → accept (one rater)
//   t1: ann and bo on code (vulnerable / not): no acceptance vote
const rows: Label[] = [
	label('s1', 'ann', A), label('s1', 'bo', A), label('s1', 'cy', A),
	label('s2', 'ann', A), label('s2', 'bo', A), label('s2', 'cy', R('unlikely_cwe')),
	label('s3', 'ann', R('same_as_seed')), label('s3', 'bo', R('same_as_seed')), label('s3', 'cy', R('already_secure')),
	label('s4', 'ann', A), label('s4', 'bo', R('other')),
	label('s5', 'ann', R('other')), label('s5', 'ann', A),
	label('t1', 'ann', { kind: 'vulnerable' }), label('t1', 'bo', { kind: 'not_vulnerable' })
];
const latest = latestLabels(rows);

describe('acceptance of Vul-Evol survivors', () => {
	it('takes the majority of the latest votes and reports ties', () => {
		const votes = new Map(acceptanceVotes(latest).map((v) => [v.target_id, v]));
		expect([...votes.keys()]).toEqual(['s1', 's2', 's3', 's4', 's5']);
		expect(votes.get('s2')).toMatchObject({ counts: { accept: 2, reject: 1 }, decision: 'accept', needs_review: false, annotators: ['ann', 'bo', 'cy'] });
		expect(votes.get('s3')!.decision).toBe('reject');
		expect(votes.get('s4')).toMatchObject({ counts: { accept: 1, reject: 1 }, decision: null, needs_review: true });
		expect(votes.get('s5')).toMatchObject({ counts: { accept: 1, reject: 0 }, decision: 'accept' });
	});

	it('measures agreement: percent, Fleiss per rater count, Cohen for a pair, reasons', () => {
		const a = acceptanceAgreement(latest, { a: 'ann', b: 'bo' });
		expect(a).toMatchObject({ targets: 5, accepted: 3, rejected: 1 });
		expect(a.needs_review.map((v) => v.target_id)).toEqual(['s4']);
		// Pairs: 3 + 3 + 3 + 1 = 10; agreeing: 3 + 1 + 3 + 0 = 7.
		expect(a.agreement).toEqual({ pairs: 10, agreeing: 7, percent: 70 });
		// Three raters on s1-s3: P̄ = 7/9, p(accept) = 5/9 → P_e = 41/81, κ = 22/40.
		expect(a.fleiss[1]).toMatchObject({ raters: 3, subjects: 3, agreement: { pairs: 9, agreeing: 7 } });
		expect(a.fleiss[1].kappa).toBeCloseTo(0.55, 12);
		// Two raters on s4 only, disagreeing: κ = -1.
		expect(a.fleiss[0]).toMatchObject({ raters: 2, subjects: 1, kappa: -1 });
		// ann A A R A vs bo A A R R: p_o = 3/4, p_e = 1/2 → κ = 0.5.
		expect(a.cohen).toMatchObject({ a: 'ann', b: 'bo', subjects: 4, agreed: 3 });
		expect(a.cohen!.kappa).toBeCloseTo(0.5, 12);
		expect(a.reasons).toEqual({ same_as_seed: 2, not_realisable: 0, unlikely_cwe: 1, already_secure: 1, other: 1 });
	});

	it('stays apart from the vulnerability answers in the agreement summary', () => {
		const s = agreementSummary(latest);
		expect(s.targets).toBe(1); // t1 only
		expect(s.needs_review.map((v) => v.target_id)).toEqual(['t1']);
		expect(s.acceptance.targets).toBe(5);
		expect(s.annotators).toEqual([
			// Answers on code and accept/reject decisions on survivors, counted apart.
			{ annotator: 'ann', answered: 1, decisions: 5, skipped: 0 },
			{ annotator: 'bo', answered: 1, decisions: 4, skipped: 0 },
			{ annotator: 'cy', answered: 0, decisions: 3, skipped: 0 }
		]);
		expect(acceptanceAgreement([]).agreement.percent).toBeNull();
	});

	it('an acceptance is an answer of its own, checked like any label', () => {
		const accepted = label('s9', 'ann', A);
		expect(isAnswered(accepted)).toBe(true);
		expect(answerOf(accepted)).toEqual({ kind: 'accept' });
		expect(answerOf(label('s9', 'ann', R('already_secure')))).toEqual({ kind: 'reject', reason: 'already_secure' });
		expect(checkLabel(accepted)).toEqual(accepted);
		// Older labels have no decision key, and checking keeps it that way.
		expect('decision' in checkLabel(label('t9', 'ann', { kind: 'vulnerable' }))).toBe(false);
		expect(() => checkLabel({ ...accepted, decision: 'reject', reason: null })).toThrow(/a rejection needs a reason/);
		expect(() => checkLabel({ ...accepted, vulnerable: true, cwe: 'CWE-89' })).toThrow(/field "decision"/);
		expect(() => checkLabel({ ...accepted, decision: 'maybe' })).toThrow(/field "decision": "maybe" must be accept or reject/);
		expect(() => checkLabel({ ...label('t9', 'ann', { kind: 'not_vulnerable' }), reason: 'other' })).toThrow(/only an accept\/reject decision carries a reason/);
	});
});
