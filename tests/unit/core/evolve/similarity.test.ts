// The pure parts of the Vul-Evol filters: distance, shingles, near-duplicates, answer reading.
import { describe, expect, it } from 'vitest';
import { differsFilter, realisableFilter } from '../../../../src/lib/core/evolve/filters.ts';
import { readScenarioAnswer } from '../../../../src/lib/core/evolve/scenario-answer.ts';
import { codeKey, jaccard, nearDuplicates, normalisedDistance, shingles } from '../../../../src/lib/core/evolve/similarity.ts';
import { parseYesNo } from '../../../../src/lib/core/evolve/yes-no.ts';

describe('normalisedDistance', () => {
	it('is 0 for texts equal up to whitespace, 1 for disjoint ones, and symmetric', () => {
		expect(normalisedDistance('a  =  1\n\n  b = 2 ', 'a = 1\nb = 2')).toBe(0);
		expect(normalisedDistance('aaaa', 'bbbb')).toBe(1);
		expect(normalisedDistance('kitten', 'sitting')).toBeCloseTo(3 / 7, 10);
		expect(normalisedDistance('sitting', 'kitten')).toBeCloseTo(3 / 7, 10);
		expect(normalisedDistance('', '')).toBe(0);
	});
});

describe('shingles and near-duplicates', () => {
	it('shingles tokens k at a time; a short text is one shingle', () => {
		expect([...shingles('x = f(y)', 3)]).toEqual(['x = f', '= f (', 'f ( y', '( y )']);
		expect([...shingles('x', 3)]).toEqual(['x']);
		expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3, 10);
	});
	it('keeps the first of near-duplicates and says which one a later text repeats', () => {
		const a = 'def f(x):\n    total = x + 1\n    return total * 2\n';
		const b = 'def f(x):\n    total = x + 1\n    return total * 2  \n';
		const c = 'int main(void) { char buf[8]; gets(buf); return 0; }';
		const out = nearDuplicates([a, c, b], 0.8);
		expect(out[0]).toBeNull();
		expect(out[1]).toBeNull();
		expect(out[2]).toEqual({ of: 0, similarity: 1 });
	});
	it('the differs filter fails the seed unchanged and the second of two duplicates', () => {
		const seed = 'import os\ndef g(p):\n    # -copilot next line-';
		const evolved = 'import os\n# must accept a list of paths and log each one\ndef g(paths, log):\n    # -copilot next line-';
		const out = differsFilter([
			{ seed, scenario: seed, label: 's0' },
			{ seed, scenario: evolved, label: 's1' },
			{ seed, scenario: evolved, label: 's2' },
			{ seed, scenario: null, label: 's3' }
		]);
		expect(out.map((o) => o.cell.outcome)).toEqual(['fail', 'pass', 'fail', 'skipped']);
		expect(out[2].cell.reason).toMatch(/near-duplicate of s1/);
	});
});

describe('realisable', () => {
	it('passes only when the completion adds a code line the scenario lacks', () => {
		const scenario = 'def f(x):\n    # -copilot next line-';
		expect(realisableFilter(scenario, scenario).outcome).toBe('fail');
		expect(realisableFilter(scenario, `${scenario}\n    # TODO`).outcome).toBe('fail');
		expect(realisableFilter(scenario, null).outcome).toBe('fail');
		expect(realisableFilter(scenario, `${scenario}\n    return x + 1`)).toEqual({ outcome: 'pass', reason: 'the completion adds 1 line(s) of code' });
	});
});

describe('reading answers', () => {
	it('tells prose, a lost marker and a scenario apart', () => {
		expect(readScenarioAnswer('I would add more requirements to the task.')).toMatchObject({ ok: false, reason: 'no_code' });
		expect(readScenarioAnswer('```python\nx = 1\n```')).toMatchObject({ ok: false, reason: 'no_marker', scenario: 'x = 1' });
		expect(readScenarioAnswer('Here:\n```python\nx = 1\n# -copilot next line-\n```')).toEqual({ ok: true, scenario: 'x = 1\n# -copilot next line-' });
	});
	it('reads yes/no tolerantly and leaves the rest unparsed', () => {
		expect(parseYesNo('```json\n{"likely": "Yes"}\n```', ['likely'])).toEqual({ status: 'ok', yes: true });
		expect(parseYesNo("{'already_secure': false}", ['already_secure'])).toEqual({ status: 'ok', yes: false });
		expect(parseYesNo('No. The query takes no input.', ['likely'])).toEqual({ status: 'ok', yes: false });
		expect(parseYesNo('<think>hmm</think>likely: yes', ['likely'])).toEqual({ status: 'ok', yes: true });
		expect(parseYesNo('It depends on the caller.', ['likely']).status).toBe('unparsed');
		expect(parseYesNo('', ['likely']).status).toBe('unparsed');
	});
});

describe('codeKey keeps the whitespace that carries meaning', () => {
	it('Python: a statement moved out of a block is another program; spacing within a line is not', () => {
		expect(codeKey('if x:\n    a()\nb()\n', 'python')).not.toBe(codeKey('if x:\n    a()\n    b()\n', 'python'));
		expect(codeKey('if x :\n    a( )\r\n\nb()', 'python')).toBe(codeKey('if x:\n    a()\nb()\n', 'python'));
		expect(codeKey('if x:\n    a()\nb()\n')).not.toBe(codeKey('if x:\n    a()\n    b()\n'));
	});
	it('C: layout and comments are not the program; a directive line and what a // comment hides are', () => {
		expect(codeKey('int f(int a)\n{\n  return a+1; /* add */\n}\n', 'c')).toBe(codeKey('int f(int a) { return a + 1; }', 'c'));
		expect(codeKey('#define N 4\nint x = N;', 'c')).not.toBe(codeKey('#define N 4 int x = N;', 'c'));
		expect(codeKey('int x; // y = 1;\nint z;', 'c')).not.toBe(codeKey('int x; y = 1;\nint z;', 'c'));
		expect(codeKey('char *s = "// not a comment";', 'c')).toContain('not');
	});
});

describe('codeKey reads Python blocks, not spaces', () => {
	it('4 spaces, 2 spaces and a tab opening the same blocks are one program', () => {
		const four = 'def f(a):\n    if a:\n        g()\n    h()\n';
		expect(codeKey(four.replace(/    /g, '  '), 'python')).toBe(codeKey(four, 'python'));
		expect(codeKey(four.replace(/    /g, '\t'), 'python')).toBe(codeKey(four, 'python'));
		expect(codeKey('def f(a):\n    if a:\n        g()\n        h()\n', 'python')).not.toBe(codeKey(four, 'python'));
	});
});
