// How an ensemble combines its members' verdicts: a verdict only when every member gave one
// (deciding with a member missing would score only the targets the others flag: a selection bias).
import { describe, expect, it } from 'vitest';
import { combineVotes, type MemberVote } from '../../../src/lib/judges/ensemble/combine.ts';
import { parseEnsembleSpec } from '../../../src/lib/judges/ensemble/ensemble-judge.ts';

const v = (judge: string, vulnerable: boolean | null): MemberVote => ({ judge, vulnerable, ...(vulnerable === null ? { why: 'error: timed out' } : {}) });
const verdict = (c: ReturnType<typeof combineVotes>) => c.vulnerable;

describe('combineVotes', () => {
	it('any: one "vulnerable" decides; "safe" needs every member', () => {
		expect(verdict(combineVotes('any', [v('a', true), v('b', false)]))).toBe(true);
		expect(verdict(combineVotes('any', [v('a', false), v('b', false)]))).toBe(false);
		// A member without a verdict: no verdict, whichever way the others went.
		for (const other of [true, false]) {
			const open = combineVotes('any', [v('a', other), v('b', null)]);
			expect(open.vulnerable).toBeNull();
			expect('reason' in open && open.reason).toMatch(/none from b \(error: timed out\); an ensemble gives one only when every member does/);
		}
	});

	it('all: one "safe" decides; "vulnerable" needs every member', () => {
		expect(verdict(combineVotes('all', [v('a', true), v('b', true)]))).toBe(true);
		expect(verdict(combineVotes('all', [v('a', false), v('b', true)]))).toBe(false);
		expect(verdict(combineVotes('all', [v('a', false), v('b', null)]))).toBeNull();
		expect(verdict(combineVotes('all', [v('a', true), v('b', null)]))).toBeNull();
	});

	it('majority: more than half of all members; ties and missing members have no verdict', () => {
		expect(verdict(combineVotes('majority', [v('a', true), v('b', true), v('c', false)]))).toBe(true);
		expect(verdict(combineVotes('majority', [v('a', false), v('b', false), v('c', null)]))).toBeNull();
		expect(verdict(combineVotes('majority', [v('a', true), v('b', false), v('c', null)]))).toBeNull();
		const tie = combineVotes('majority', [v('a', true), v('b', false)]);
		expect('reason' in tie && tie.reason).toMatch(/a tie: 1 of 2/);
	});

	it('names the members behind a verdict', () => {
		expect(combineVotes('any', [v('rules', true), v('cppcheck', false), v('flawfinder', true)])).toEqual({ vulnerable: true, deciders: ['rules', 'flawfinder'] });
	});

	it('no member at all is no verdict', () => {
		expect(verdict(combineVotes('any', []))).toBeNull();
	});

	it('is unbiased: a member that errs everywhere leaves no verdict anywhere (not only on the others\' "safe" ones)', () => {
		// rules flags 3 of 6 programs, clang errs on all: the old any-of gave the 3 flagged ones a verdict.
		const rules = [true, true, true, false, false, false];
		const given = rules.filter((r) => combineVotes('any', [v('rules', r), v('clang', null)]).vulnerable !== null);
		expect(given).toEqual([]);
	});
});

describe('parseEnsembleSpec', () => {
	it('reads the rule and the members; model names may hold colons', () => {
		expect(parseEnsembleSpec('ensemble:majority:rules+local/qwen2.5:7b+bandit')).toEqual({
			rule: 'majority',
			members: ['rules', 'local/qwen2.5:7b', 'bandit'],
			canonical: 'ensemble:majority:rules+local/qwen2.5:7b+bandit'
		});
		expect(parseEnsembleSpec('ensemble:any:rules+')).toEqual({ error: expect.stringMatching(/two or more/) });
	});
});
