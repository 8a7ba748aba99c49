// A judge judges a program against ITS target CWE only, so an analyzer runs only what can count
// toward it: a target CWE none of a tool's checks can report is not analysed (no row in a judge
// run, an error naming why from judgeBatchWithAnalyzer), and gcc's analyzer — none of whose
// warnings is about bounds in gcc 12 — is not run for bounds targets (CWE-787/125/119), nor
// clang's added bounds checkers for the others. The prelude headers are precompiled once.
// Live parts skipped when the tool is absent.

import { describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { analyzerJudge } from '../../../../src/lib/judges/analyzers/analyzer-judges.ts';
import { ANALYZER_TOOLS } from '../../../../src/lib/judges/analyzers/registry.ts';
import { GCC_ANALYZER_BOUNDS_SINCE, GCC_DIALECT, gccAnalyzer } from '../../../../src/lib/judges/analyzers/tools/gcc-analyzer.ts';
import { clangAnalyzer } from '../../../../src/lib/judges/analyzers/tools/clang-analyzer.ts';
import { gccPreludePch } from '../../../../src/lib/judges/analyzers/tools/gcc-prelude-pch.ts';
import { which } from '../../../../src/lib/judges/analyzers/locate-tool.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { acceptedTargets } from '../../../../src/lib/runs/judge-targets.ts';
import type { JudgeTarget } from '../../../../src/lib/judges/target.ts';
import { installed } from './helpers.ts';

/** The installed gcc's major version (0 when there is none). */
function gccMajor(): number {
	try {
		return Number.parseInt(execFileSync('gcc', ['-dumpversion'], { encoding: 'utf8' }), 10) || 0;
	} catch {
		return 0;
	}
}

const DOUBLE_FREE = `void drop_buffer(int n)\n{\n    char *buf = malloc(n);\n    if (!buf)\n        return;\n    free(buf);\n    free(buf);\n}\n`;

describe('target CWEs an analyzer cannot report', () => {
	it('are left out of what its judge accepts (no row in a judge run, counted as outside)', () => {
		for (const name of ['gcc', 'clang', 'cppcheck']) {
			const judge = analyzerJudge(ANALYZER_TOOLS[name]);
			expect(judge.accepts.cwes).toEqual(ANALYZER_TOOLS[name].cwes);
			expect(judge.accepts.cwes).not.toContain('CWE-22');
			expect(judge.accepts.cwes).toContain('CWE-476');
		}
		expect(ANALYZER_TOOLS.cppcheck.cwes).toContain('CWE-190'); // its integerOverflow check
		expect(ANALYZER_TOOLS.gcc.cwes).not.toContain('CWE-190');
		const target = (cwe: string, language: 'c' | 'python' = 'c') => ({ target_id: cwe, cwe, language, code: 'int x;', task: 'reference' }) as unknown as JudgeTarget;
		const { accepted, outside, otherLanguage, notApplicable } = acceptedTargets(analyzerJudge(ANALYZER_TOOLS.gcc), 'gcc', [target('CWE-416'), target('CWE-22'), target('CWE-190'), target('CWE-476', 'python'), target('CWE-377')]);
		expect(accepted.map((t) => t.cwe)).toEqual(['CWE-416']);
		// Counted apart: a C program of a CWE gcc cannot report (or outside the 18) is not "another language".
		expect({ outside, otherLanguage, notApplicable }).toEqual({ outside: 4, otherLanguage: 1, notApplicable: 3 });
	});

	it.skipIf(!installed('gcc'))('get an error naming why from a direct call, and are never handed to the tool', async () => {
		const verdicts = await judgeBatchWithAnalyzer('gcc', [
			{ code: DOUBLE_FREE, language: 'c', cwe: 'CWE-22' },
			{ code: DOUBLE_FREE, language: 'c', cwe: 'CWE-416' }
		]);
		expect(verdicts[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/gcc cannot report CWE-22 .*not analysed/) });
		expect(verdicts[1]).toMatchObject({ status: 'ok', vulnerable: true });
	});
});

describe("gcc's analyzer for the targets it can count toward", () => {
	it('is in the arguments of every target but the bounds ones', () => {
		const args = (cwe: string) => gccAnalyzer.args(['item-0.c'], gccAnalyzer.profileFor!(cwe as never));
		for (const cwe of ['CWE-416', 'CWE-476', 'CWE-200']) expect(args(cwe)).toContain('-fanalyzer');
		for (const cwe of ['CWE-787', 'CWE-125', 'CWE-119']) {
			expect(args(cwe)).not.toContain('-fanalyzer');
			expect(args(cwe)).toEqual(expect.arrayContaining(['-S', '-Wstringop-overflow', '-Warray-bounds', 'item-0.c']));
		}
	});

	// gcc 13+ runs its analyzer for bounds targets too (gcc-version.test.ts)
	it.skipIf(!installed('gcc') || gccMajor() >= GCC_ANALYZER_BOUNDS_SINCE)('runs, in one batch, for the double free judged as CWE-416 and not for the same code judged as CWE-787 (gcc 12)', async () => {
		const [asUseAfterFree, asBounds] = await judgeBatchWithAnalyzer('gcc', [
			{ code: DOUBLE_FREE, language: 'c', cwe: 'CWE-416' },
			{ code: DOUBLE_FREE, language: 'c', cwe: 'CWE-787' }
		]);
		expect(asUseAfterFree).toMatchObject({ status: 'ok', vulnerable: true });
		expect(asUseAfterFree.status === 'ok' && asUseAfterFree.findings.map((f) => f.rule)).toContain('-Wanalyzer-double-free');
		// the compiler still read it (a compile error would be an error row; its own -Wuse-after-free
		// warning is kept), the analyzer did not
		expect(asBounds).toMatchObject({ status: 'ok', vulnerable: false });
		expect(asBounds.status === 'ok' && asBounds.findings.map((f) => f.rule)).toEqual(['-Wuse-after-free']);
	});
});

describe("clang's bounds checkers", () => {
	it('are added for bounds targets only', () => {
		const args = (cwe: string) => clangAnalyzer.args(['item-0.c'], clangAnalyzer.profileFor!(cwe as never)).join(' ');
		for (const cwe of ['CWE-787', 'CWE-125', 'CWE-119']) expect(args(cwe)).toMatch(/-analyzer-checker=alpha\.security\.ArrayBoundV2,/);
		for (const cwe of ['CWE-416', 'CWE-476']) {
			expect(args(cwe)).not.toMatch(/ArrayBoundV2|-analyzer-checker=/);
			expect(args(cwe)).toMatch(/--analyze .*max-nodes=40000/);
		}
	});
});

describe('the precompiled prelude of gcc', () => {
	it.skipIf(!installed('gcc'))('holds the C library headers only, made once per process', async () => {
		const gcc = which('gcc')!;
		const first = await gccPreludePch(gcc, GCC_DIALECT, process.env.PATH ?? '');
		expect(first).not.toBeNull();
		const [flag, header] = first!;
		expect(flag).toBe('-include');
		expect(existsSync(`${header}.gch`)).toBe(true);
		expect(readFileSync(header, 'utf8').trim().split('\n').every((line) => /^#include <[\w/]+\.h>$/.test(line))).toBe(true);
		expect(await gccPreludePch(gcc, GCC_DIALECT, process.env.PATH ?? '')).toBe(first); // the same, not made again
	});
});

describe("gcc's own bounds warnings", () => {
	// a fixed copy of 12 bytes into 4: -Wstringop-overflow even at -O0, printed as '-Wstringop-overflow='
	const OVERFLOW = `void greet(void)\n{\n    char name[4];\n    strcpy(name, "hello world");\n    puts(name);\n}\n`;
	const FITS = `void greet(void)\n{\n    char name[16];\n    strcpy(name, "hello world");\n    puts(name);\n}\n`;
	it.skipIf(!installed('gcc'))('count toward CWE-787 (an option printed with its "=" is the rule of the table)', async () => {
		const [overflow, fits] = await judgeBatchWithAnalyzer('gcc', [
			{ code: OVERFLOW, language: 'c', cwe: 'CWE-787' },
			{ code: FITS, language: 'c', cwe: 'CWE-787' }
		]);
		expect(overflow).toMatchObject({ status: 'ok', vulnerable: true });
		expect(overflow.status === 'ok' && overflow.findings.map((f) => `${f.rule}@${f.line}`)).toEqual(['-Wstringop-overflow@4']);
		expect(fits).toMatchObject({ status: 'ok', vulnerable: false, findings: [] });
	});
});
