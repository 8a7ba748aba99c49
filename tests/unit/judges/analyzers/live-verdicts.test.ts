// Each installed tool on our own small vulnerable/fixed programs: the mapped verdict for the
// target CWE must flip between the two versions.

import { describe, expect, it } from 'vitest';
import { judgeWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import type { AnalyzerName, AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { fixture, installed } from './helpers.ts';

interface Case {
	tool: AnalyzerName;
	cwe: string;
	vulnerable: string;
	fixed: string;
	/** Rule expected to fire on the vulnerable version, and its line. */
	rule: string;
	line: number;
}

const CASES: Case[] = [
	{ tool: 'bandit', cwe: 'CWE-78', vulnerable: 'python/cwe-78-vulnerable.py', fixed: 'python/cwe-78-fixed.py', rule: 'B605', line: 6 },
	{ tool: 'bandit', cwe: 'CWE-502', vulnerable: 'python/cwe-502-vulnerable.py', fixed: 'python/cwe-502-fixed.py', rule: 'B301', line: 5 },
	{ tool: 'bandit', cwe: 'CWE-732', vulnerable: 'python/cwe-732-vulnerable.py', fixed: 'python/cwe-732-fixed.py', rule: 'B103', line: 7 },
	{ tool: 'bandit', cwe: 'CWE-798', vulnerable: 'python/cwe-798-vulnerable.py', fixed: 'python/cwe-798-fixed.py', rule: 'B107', line: 1 },
	{ tool: 'cppcheck', cwe: 'CWE-787', vulnerable: 'c/cwe-787-index-vulnerable.c', fixed: 'c/cwe-787-index-fixed.c', rule: 'arrayIndexOutOfBounds', line: 5 },
	{ tool: 'cppcheck', cwe: 'CWE-476', vulnerable: 'c/cwe-476-vulnerable.c', fixed: 'c/cwe-476-fixed.c', rule: 'nullPointer', line: 6 },
	{ tool: 'cppcheck', cwe: 'CWE-416', vulnerable: 'c/cwe-416-vulnerable.c', fixed: 'c/cwe-416-fixed.c', rule: 'deallocuse', line: 7 },
	{ tool: 'cppcheck', cwe: 'CWE-190', vulnerable: 'c/cwe-190-vulnerable.c', fixed: 'c/cwe-190-fixed.c', rule: 'integerOverflow', line: 4 },
	{ tool: 'flawfinder', cwe: 'CWE-787', vulnerable: 'c/cwe-787-strcpy-vulnerable.c', fixed: 'c/cwe-787-strcpy-fixed.c', rule: 'strcpy', line: 6 },
	{ tool: 'flawfinder', cwe: 'CWE-78', vulnerable: 'c/cwe-78-system-vulnerable.c', fixed: 'c/cwe-78-system-fixed.c', rule: 'system', line: 10 }
];

function ok(verdict: AnalyzerVerdict) {
	if (verdict.status !== 'ok') throw new Error(`expected status ok, got error: ${verdict.error}`);
	return verdict;
}

for (const tool of ['bandit', 'cppcheck', 'flawfinder'] as const) {
	const language = tool === 'bandit' ? 'python' : 'c';
	describe.skipIf(!installed(tool))(`${tool} as a judge`, () => {
		for (const c of CASES.filter((x) => x.tool === tool)) {
			it(`${c.cwe}: flags ${c.vulnerable} (${c.rule}, line ${c.line}) and passes ${c.fixed}`, async () => {
				const bad = ok(await judgeWithAnalyzer(tool, { code: fixture(c.vulnerable), language, cwe: c.cwe }));
				expect(bad.vulnerable).toBe(true);
				expect(bad.cwe).toBe(c.cwe);
				const culprit = bad.findings.find((f) => f.rule === c.rule);
				expect(culprit, JSON.stringify(bad.findings)).toBeDefined();
				expect(culprit!.line).toBe(c.line);
				expect(culprit!.cwes).toContain(c.cwe);

				const good = ok(await judgeWithAnalyzer(tool, { code: fixture(c.fixed), language, cwe: c.cwe }));
				expect(good.vulnerable, JSON.stringify(good.findings)).toBe(false);
			});
		}

		it('answers for the target CWE only: a finding for another CWE is not a verdict', async () => {
			const c = CASES.find((x) => x.tool === tool)!;
			// another CWE the tool does judge (cppcheck cannot report CWE-20/22: it does not judge them)
			const other = tool === 'cppcheck' ? 'CWE-476' : c.cwe === 'CWE-20' ? 'CWE-22' : 'CWE-20';
			const verdict = ok(await judgeWithAnalyzer(tool, { code: fixture(c.vulnerable), language, cwe: other }));
			expect(verdict.findings.length).toBeGreaterThan(0);
			expect(verdict.vulnerable).toBe(false);
		});

		it('reads non-ASCII source text as UTF-8', async () => {
			const c = CASES.find((x) => x.tool === tool)!;
			const code = `${language === 'python' ? '#' : '//'} naïve café ✓ 日本語\n` + fixture(c.vulnerable);
			const verdict = ok(await judgeWithAnalyzer(tool, { code, language, cwe: c.cwe }));
			expect(verdict.vulnerable).toBe(true);
			expect(verdict.findings.find((f) => f.rule === c.rule)!.line).toBe(c.line + 1);
		});

		it('a file the tool cannot parse is an error, not a verdict', async () => {
			const verdict = await judgeWithAnalyzer(tool, { code: fixture(`${language}/syntax-error.${tool === 'bandit' ? 'py' : 'c'}`), language, cwe: c0(tool) });
			if (tool === 'flawfinder') {
				// flawfinder is lexical: it reads any text and finds nothing here.
				expect(ok(verdict).vulnerable).toBe(false);
			} else {
				expect(verdict.status).toBe('error');
				if (verdict.status === 'error') expect(verdict.error).toMatch(/could not analyse/);
			}
		});
	});
}

function c0(tool: AnalyzerName): string {
	return CASES.find((x) => x.tool === tool)!.cwe;
}

describe.skipIf(!installed('flawfinder'))('flawfinder and a static array', () => {
	it('a declared array alone (its rule `char`) is no verdict: kept among the findings, counted toward no target', async () => {
		const code = '#include <stdio.h>\n\nint greet(const char *who)\n{\n    char line[32];\n    snprintf(line, sizeof line, "hello %s", who);\n    return puts(line);\n}\n';
		const verdict = ok(await judgeWithAnalyzer('flawfinder', { code, language: 'c', cwe: 'CWE-787' }));
		const declared = verdict.findings.find((f) => f.rule === 'char');
		expect(declared, JSON.stringify(verdict.findings)).toMatchObject({ line: 5, cwes: [] });
		expect(verdict.vulnerable, JSON.stringify(verdict.findings)).toBe(false);
	});
});
