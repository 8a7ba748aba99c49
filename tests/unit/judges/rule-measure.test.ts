import { describe, it, expect } from 'vitest';
import { agreement, fnv1a32, heldOutScenarios, parsePearcePrograms } from '../../../src/lib/core/judges/rules/index.ts';
import { tokenizePython } from '../../../src/lib/core/judges/rules/tokenize-python.ts';
import { tokenizeC } from '../../../src/lib/core/judges/rules/tokenize-c.ts';

describe('agreement (Table 5 style)', () => {
	it('computes consistency and Diff by hand-checked counts', () => {
		// 3 TP, 1 FP, 4 TN, 2 FN (n = 10): consistency 70%; judge safe = TN+FN = 6 → 60%;
		// label safe = TN+FP = 5 → 50%; Diff = +10 pp.
		const rows = [
			...Array(3).fill({ labelVulnerable: true, judgedVulnerable: true }),
			{ labelVulnerable: false, judgedVulnerable: true },
			...Array(4).fill({ labelVulnerable: false, judgedVulnerable: false }),
			...Array(2).fill({ labelVulnerable: true, judgedVulnerable: false })
		];
		const a = agreement(rows);
		expect(a.consistency).toBeCloseTo(70, 10);
		expect(a.judgeSecurityRate).toBeCloseTo(60, 10);
		expect(a.labelSecurityRate).toBeCloseTo(50, 10);
		expect(a.diff).toBeCloseTo(10, 10);
	});
});

describe('split', () => {
	it('FNV-1a matches the published test vectors', () => {
		// Reference values of 32-bit FNV-1a: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
		expect(fnv1a32('')).toBe(0x811c9dc5);
		expect(fnv1a32('a')).toBe(0xe40c292c);
		expect(fnv1a32('foobar')).toBe(0xbf9cf968);
	});

	it('holds out exactly one scenario per CWE', () => {
		const pairs = ['x', 'y', 'z'].flatMap((s) => ['cwe-1', 'cwe-2'].map((cwe) => ({ cwe, scenario: s })));
		const held = heldOutScenarios(pairs);
		expect(held.size).toBe(2);
		expect([...held].filter((k) => k.startsWith('cwe-1/'))).toHaveLength(1);
	});
});

describe('parsePearcePrograms', () => {
	it('names file, line and field on bad input', () => {
		const good = JSON.stringify({ id: 'a', cwe: 'cwe-78', scenario: 's', language: 'c', code: 'x', label: 'vulnerable' });
		expect(parsePearcePrograms(good + '\n').length).toBe(1);
		expect(() => parsePearcePrograms(good + '\n{oops', 'p.jsonl')).toThrow(/p\.jsonl:2: not valid JSON/);
		const badLabel = JSON.stringify({ id: 'a', cwe: 'cwe-78', scenario: 's', language: 'c', code: 'x', label: 'maybe' });
		expect(() => parsePearcePrograms(badLabel, 'p.jsonl')).toThrow(/p\.jsonl:1: field "label"/);
		const noCode = JSON.stringify({ id: 'a', cwe: 'cwe-78', scenario: 's', language: 'c', label: 'vulnerable' });
		expect(() => parsePearcePrograms(noCode, 'p.jsonl')).toThrow(/p\.jsonl:1: field "code" must be a string/);
	});
});

describe('tokenizers', () => {
	it('python: drops comments, keeps strings whole, marks logical lines', () => {
		const tokens = tokenizePython('x = f"a{b}"  # c\nif (y and\n    z):\n    pass\n');
		expect(tokens.map((t) => t.text)).toEqual(['x', '=', 'f"a{b}"', 'if', '(', 'y', 'and', 'z', ')', ':', 'pass']);
		expect(tokens.filter((t) => t.bol).map((t) => t.text)).toEqual(['x', 'if', 'pass']);
		expect(tokens.find((t) => t.text === 'pass')!.indent).toBe(4);
		expect(tokens[2].prefix).toBe('f');
	});

	it('python: triple-quoted strings span lines and keep line numbers right', () => {
		const tokens = tokenizePython('a = """one\ntwo"""\nb = 1\n');
		expect(tokens.find((t) => t.text === 'b')!.line).toBe(3);
	});

	it('c: drops comments, keeps directives and literals, counts lines', () => {
		const tokens = tokenizeC('#include <x.h>\n/* a\nb */ int *p = "s//t"; // end\np->q++;');
		expect(tokens.map((t) => t.text)).toEqual(['#include <x.h>', 'int', '*', 'p', '=', '"s//t"', ';', 'p', '->', 'q', '++', ';']);
		expect(tokens[0].kind).toBe('directive');
		expect(tokens.find((t) => t.text === '->')!.line).toBe(4);
	});
});
