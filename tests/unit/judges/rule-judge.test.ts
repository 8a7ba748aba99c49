import { describe, it, expect } from 'vitest';
import { judgeWithRules, normaliseRuleCwe, RULE_CWES } from '../../../src/lib/core/judges/rules/index.ts';
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
		empty: '',
		whitespace: '   \n\t\n',
		'unbalanced open braces': 'int main( { { [ ( if (x',
		'unbalanced close braces': '} ) ] }}} def ) :',
		'unterminated strings': '"abc\n\'x\n"""never closed\nr\'\nchar *s = "open',
		'binary-ish': String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 256)),
		'lone operators': '= = == -> ** @ @ def def ( : \\\n\\',
		'deep nesting': '('.repeat(5000) + ')'.repeat(4000),
		'decorator at end': '@app.route("/admin")\n@',
		'def without body': 'def f(\n',
		'free at end': 'void f(){ free(',
		'assignment to nothing': 'x = \n = y\n*p = malloc(',
		'NUL bytes': 'a\u0000b = request.args\u0000\n'
	};
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
