// The ensemble search of bench/judges-real.ts: every subset of the measured judges, combined per
// program with the ensemble judge's own rule; a combination without a verdict is an error row.
import { describe, expect, it } from 'vitest';
import { ensembleVerdicts, ruleSignals, subsets } from '../../../bench/lib/ensemble-search.ts';
import type { BenchVerdict } from '../../../bench/lib/real-judges.ts';

const program = (id: string, vulnerable: boolean) => ({ id, pairId: id.slice(0, 1), cwe: 'CWE-476', language: 'c' as const, vulnerable, code: '' });

describe('ensemble search', () => {
	it('lists every subset of 2 to 3 members once', () => {
		const all = subsets(['a', 'b', 'c', 'd'], 2, 3);
		expect(all).toHaveLength(6 + 4);
		expect(new Set(all.map((s) => s.join('+'))).size).toBe(10);
		expect(all).toContainEqual(['a', 'c', 'd']);
	});

	it('combines the members` verdicts per program as the ensemble judge does', () => {
		const programs = [program('p-before', true), program('p-after', false), program('q-before', true)];
		const verdicts = new Map([
			['rules', new Map([['sven-dev', new Map([['p-before', { judged: false, status: 'ok' as const }], ['p-after', { judged: false, status: 'ok' as const }], ['q-before', { judged: false, status: 'ok' as const }]])]])],
			['gcc', new Map([['sven-dev', new Map([['p-before', { judged: true, status: 'ok' as const }], ['p-after', { judged: false, status: 'ok' as const }], ['q-before', { judged: null, status: 'error' as const }]])]])]
		]);
		const any = ensembleVerdicts('any', ['rules', 'gcc'], programs, verdicts, 'sven-dev');
		expect(any.map((r) => [r.judged, r.status])).toEqual([
			[true, 'ok'],
			[false, 'ok'],
			[null, 'error'] // gcc has no verdict: no ensemble verdict, whatever rules says
		]);
		const all = ensembleVerdicts('all', ['rules', 'gcc'], programs, verdicts, 'sven-dev');
		expect(all.map((r) => r.judged)).toEqual([false, false, null]); // a missing member is no verdict even where rules says safe
		expect(any[0]).toMatchObject({ id: 'p-before', pairId: 'p', vulnerable: true, language: 'c' });
	});

	it('counts per finding rule how often it marks the vulnerable version and not its fix (--rule-study)', () => {
		const programs = [program('p-before', true), program('p-after', false), program('q-before', true), program('q-after', false)];
		const ok = (rules: string[], detail = ''): BenchVerdict => ({ judged: detail !== '', status: 'ok', detail, rules });
		const verdicts = new Map([
			['cppcheck', new Map([['sven-dev', new Map([['p-before', ok(['nullPointer', 'shadowVariable'], 'nullPointer@3')], ['p-after', ok(['shadowVariable'])], ['q-before', ok(['shadowVariable'])], ['q-after', ok(['shadowVariable', 'nullPointer'], 'nullPointer@4')]])]])]
		]);
		const byRule = new Map(ruleSignals(programs, verdicts, 'sven-dev').map((s) => [s.rule, s]));
		expect(byRule.get('nullPointer')).toMatchObject({ judge: 'cppcheck', cwe: 'CWE-476', vulnerableWith: 1, fixedWith: 1, pairsOnlyVulnerable: 1, pairsOnlyFixed: 1, counted: 2 });
		expect(byRule.get('shadowVariable')).toMatchObject({ vulnerable: 2, fixed: 2, vulnerableWith: 2, fixedWith: 2, pairsOnlyVulnerable: 0, pairsOnlyFixed: 0, counted: 0 });
	});
});
