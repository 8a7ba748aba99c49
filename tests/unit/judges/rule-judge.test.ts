import { describe, it, expect } from 'vitest';
import { judgeWithRules, normaliseRuleCwe, RULE_CWES, RULE_JUDGE_LIMITS, UnjudgeableCodeError } from '../../../src/lib/core/judges/rules/index.ts';
import { RULE_FIXTURES } from './rule-fixtures.ts';
import { CWE_IDS } from '../../../src/lib/core/cwe.ts';

describe('rule judge on our own fixtures', () => {
	for (const fx of RULE_FIXTURES) {
		it(`${fx.cwe} ${fx.language}: ${fx.name} → ${fx.vulnerable ? 'vulnerable' : 'not vulnerable'}`, () => {
			const verdict = judgeWithRules({ code: fx.code, language: fx.language, cwe: fx.cwe });
			expect(verdict.vulnerable, JSON.stringify(verdict.findings)).toBe(fx.vulnerable);
			if (fx.vulnerable) {
				expect(verdict.findings.map((f) => f.rule)).toContain(fx.rule);
				for (const f of verdict.findings) {
					expect(f.line).toBeGreaterThanOrEqual(1);
					expect(f.line).toBeLessThanOrEqual(fx.code.split('\n').length);
					expect(f.message.length).toBeGreaterThan(0);
				}
			} else {
				expect(verdict.findings).toEqual([]);
				expect(verdict.checked.length).toBeGreaterThan(0);
			}
		});
	}

	it('has a vulnerable and a fixed fixture for every one of the 18 CWEs', () => {
		for (const cwe of RULE_CWES) {
			const mine = RULE_FIXTURES.filter((f) => f.cwe === cwe);
			expect(mine.some((f) => f.vulnerable), cwe).toBe(true);
			expect(mine.some((f) => !f.vulnerable), cwe).toBe(true);
		}
	});
});

describe('rule judge: where a finding points', () => {
	it('names the line of the sink', () => {
		const code = 'import os\nfrom flask import request\n\ndef go():\n    name = request.args["n"]\n    os.system("echo " + name)\n';
		const verdict = judgeWithRules({ code, language: 'python', cwe: 'CWE-78' });
		expect(verdict.findings).toHaveLength(1);
		expect(verdict.findings[0].line).toBe(6);
	});

	it('ignores code inside comments and strings', () => {
		const code = '# os.system("rm " + name)\nhelp = "subprocess.call(x, shell=True)"\n';
		expect(judgeWithRules({ code, language: 'python', cwe: 'CWE-78' }).vulnerable).toBe(false);
		const c = '/* system(cmd); */\nint main(int argc, char **argv) { const char *s = "system(argv[1])"; return 0; }';
		expect(judgeWithRules({ code: c, language: 'c', cwe: 'CWE-78' }).vulnerable).toBe(false);
	});
});

describe('rule judge input handling', () => {
	it('covers exactly the CWEs of the catalogue', () => {
		expect([...RULE_CWES].sort()).toEqual([...CWE_IDS].sort());
	});

	it('accepts the usual spellings of a CWE id', () => {
		expect(normaliseRuleCwe('cwe-787')).toBe('CWE-787');
		expect(normaliseRuleCwe('CWE-787')).toBe('CWE-787');
		expect(normaliseRuleCwe('787')).toBe('CWE-787');
		expect(normaliseRuleCwe('CWE-1')).toBeNull();
	});

	it('throws a clear error for an unknown CWE or language (a caller bug, not a verdict)', () => {
		expect(() => judgeWithRules({ code: '', language: 'c', cwe: 'CWE-9999' })).toThrow(/unknown CWE "CWE-9999"/);
		expect(() => judgeWithRules({ code: '', language: 'rust' as never, cwe: 'CWE-78' })).toThrow(/unsupported language "rust"/);
	});

	const garbage: Record<string, string> = {
		'unbalanced open braces': 'int main( { { [ ( if (x',
		'unbalanced close braces': '} ) ] }}} def ) :',
		'unterminated strings': '"abc\n\'x\n"""never closed\nr\'\nchar *s = "open',
		'lone operators': '= = == -> ** @ @ def def ( : \\\n\\',
		'deep nesting': '('.repeat(5000) + ')'.repeat(4000),
		'decorator at end': '@app.route("/admin")\n@',
		'def without body': 'def f(\n',
		'free at end': 'void f(){ free(',
		'assignment to nothing': 'x = \n = y\n*p = malloc('
	};
	/** Text that holds no program or is not source: refused with a reason, never "secure". */
	const refused: Record<string, [string | Record<'c' | 'python', string>, RegExp]> = {
		empty: ['', /no code: the program is empty/],
		whitespace: ['   \n\t\n', /no code/],
		'comments only': [{ c: '/* a note */\n// and more\n', python: '# a note\n\n# and more\n' }, /no code: only comments/],
		'binary-ish': [String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 256)), /NUL byte|not source text/],
		'control bytes and invalid UTF-8': ['\u0001\u0002\ufffd\ufffd x = 1 \u0003\u0004\ufffd', /not source text: \d+ of \d+ characters/],
		'NUL bytes': ['a\u0000b = request.args\u0000\n', /a NUL byte on line 1/],
		'too many lines': ['x = 1\n'.repeat(RULE_JUDGE_LIMITS.lines + 1), /too large for the rule judge: \d+ lines/],
		'too many characters': [`s = "${'a'.repeat(RULE_JUDGE_LIMITS.bytes)}"\n`, /too large for the rule judge: \d+ characters/]
	};
	for (const [name, [code, reason]] of Object.entries(refused)) {
		it(`refuses, with its reason, what is no program: ${name}`, () => {
			for (const cwe of ['CWE-78', 'CWE-787']) {
				for (const language of ['c', 'python'] as const) {
					const error = (() => {
						try {
							judgeWithRules({ code: typeof code === 'string' ? code : code[language], language, cwe });
						} catch (e) {
							return e;
						}
					})();
					expect(error).toBeInstanceOf(UnjudgeableCodeError);
					expect((error as Error).message).toMatch(reason);
				}
			}
		});
	}
	it('still judges a program with a stray invalid UTF-8 character in a comment', () => {
		const code = '/* \ufffd */\nint main(int argc, char **argv) { char b[8]; strcpy(b, argv[1]); return 0; }\n';
		expect(judgeWithRules({ code, language: 'c', cwe: 'CWE-787' }).vulnerable).toBe(true);
	});
	for (const [name, code] of Object.entries(garbage)) {
		it(`never throws on garbage code: ${name}`, () => {
			for (const cwe of RULE_CWES) {
				for (const language of ['c', 'python'] as const) {
					const verdict = judgeWithRules({ code, language, cwe });
					expect(typeof verdict.vulnerable).toBe('boolean');
					expect(Array.isArray(verdict.findings)).toBe(true);
				}
			}
		});
	}
});
