// clang's compiler process with every file of a batch at once (tools/clang-cc1.ts): the command
// line read from `clang -###`, and a batch where one file stops the process (a fatal error) or
// does not compile still gets every other file analysed, as `clang` file by file would.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { cc1Arguments, cc1Commands, splitQuoted } from '../../../../src/lib/judges/analyzers/tools/clang-cc1.ts';
import { which } from '../../../../src/lib/judges/analyzers/locate-tool.ts';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import type { AnalyzerInput, AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { installed } from './helpers.ts';

describe('the cc1 command line', () => {
	it('reads the quoted words of a -### line', () => {
		expect(splitQuoted('"/usr/bin/clang" "-cc1" "-D" "A=\\"x y\\"" "a.c"')).toEqual(['/usr/bin/clang', '-cc1', '-D', 'A="x y"', 'a.c']);
		expect(splitQuoted('"a" b')).toBeNull();
	});

	it('leaves out the input, its output and name, the folder and -disable-free', () => {
		const words = ['/usr/lib/llvm/bin/clang', '-cc1', '-analyze', '-disable-free', '-main-file-name', 'covw-cc1-placeholder.c', '-fdebug-compilation-dir=/tmp/x', '-o', 'covw-cc1-placeholder.plist', '-x', 'c', 'covw-cc1-placeholder.c'];
		expect(cc1Arguments(words)).toEqual({ executable: '/usr/lib/llvm/bin/clang', args: ['-cc1', '-analyze', '-x', 'c'] });
		expect(cc1Arguments(['/usr/bin/ld', '-o', 'a.out'])).toBeNull();
	});
});

const DOUBLE_FREE = `void drop(int n)\n{\n    char *p = malloc(n);\n    free(p);\n    free(p);\n}\n`;
const MISSING_HEADER = `#include "not-there.h"\nint f(void) { return 0; }\n`;
const BROKEN = `int half(int x {\n    return x / 2;\n}\n`;
const NULL_PATH = `int first(int d)\n{\n    int *s = NULL;\n    if (d)\n        s = malloc(sizeof *s);\n    return *s;\n}\n`;
const c = (code: string, cwe: string): AnalyzerInput => ({ code, language: 'c', cwe });
const summary = (v: AnalyzerVerdict) => (v.status === 'ok' ? v.vulnerable : 'error');

const scratch = mkdtempSync(join(tmpdir(), 'covw-cc1-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!installed('clang'))('clang over many files in one process', () => {
	it('asks the installed clang for its compiler command lines, leaving nothing behind', async () => {
		const cc1 = await cc1Commands(which('clang')!, ['-fsyntax-only', '-w'], ['--analyze', '--analyzer-output', 'text'], scratch, { PATH: process.env.PATH ?? '' });
		expect(cc1).not.toBeNull();
		expect(cc1!.check).toContain('-fsyntax-only');
		expect(cc1!.check.join(' ')).toMatch(/-ferror-limit 0/);
		expect(cc1!.analyse).toContain('-analyze');
		expect(cc1!.analyse.some((a) => a.includes('placeholder'))).toBe(false);
		expect(readdirSync(scratch)).toEqual([]);
	});

	it('a fatal error or a compile error spoils only its own file', async () => {
		const inputs = [c(DOUBLE_FREE, 'CWE-416'), c(MISSING_HEADER, 'CWE-476'), c(DOUBLE_FREE, 'CWE-416'), c(BROKEN, 'CWE-476'), c(NULL_PATH, 'CWE-476'), c(DOUBLE_FREE, 'CWE-416')];
		const verdicts = await judgeBatchWithAnalyzer('clang', inputs, { parallel: 1 });
		expect(verdicts.map(summary)).toEqual([true, 'error', true, 'error', true, true]);
		expect(verdicts[1]).toMatchObject({ error: expect.stringMatching(/not-there\.h/) });
		expect(verdicts[3]).toMatchObject({ error: expect.stringMatching(/clang could not compile/) });
	});
});
