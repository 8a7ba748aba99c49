// A judged C program is data: its preprocessor directives may not make a tool read a file outside
// the temporary folder (#include "/dev/zero" ran gcc out of memory, cppcheck into its timeout),
// nor move its findings into another file (#line 1 "x.c" made a double free "not vulnerable"),
// nor switch the checks off (#pragma GCC diagnostic). confineDirectives blanks them, keeping lines.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { confineDirectives, includableName, leftoverDirective } from '../../../../src/lib/judges/analyzers/tools/c-directives.ts';
import { installed } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-directives-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const kept = (code: string) => expect(confineDirectives(code)).toEqual({ text: code, removed: [] });
const refused = (code: string) => {
	const { text, removed } = confineDirectives(code);
	expect(removed.length, code).toBeGreaterThan(0);
	expect(text.length).toBe(code.length);
	expect(text.split('\n').length).toBe(code.split('\n').length);
	return text;
};

describe('confineDirectives', () => {
	it('keeps ordinary programs as they are', () => {
		kept('#include <stdio.h>\n#include "util.h"\n#include <sys/types.h>\n#define N 4\n#pragma once\n#pragma GCC optimize("O0")\nint main(void) { printf("#include \\"/etc/passwd\\"\\n"); return \'#\'; } // #line 1 "x"\n/* #include "/dev/zero" */\n');
		kept('#if defined(X)\n#  include <string.h>\n#endif\n#ifdef _WIN32\n#error no\n#endif\n');
	});

	it('blanks includes of absolute paths, of paths out of the folder and of computed names', () => {
		const text = refused('#include <stdlib.h>\n#include "/dev/zero"\nint x;\n');
		expect(text).toBe(`#include <stdlib.h>\n${' '.repeat(20)}\nint x;\n`);
		for (const code of [
			'#include </etc/passwd>\n',
			'#include "../../../proc/self/environ"\n',
			'#include_next "/proc/self/environ"\n',
			'#import "/etc/hosts"\n',
			'#define F "/dev/zero"\n#include F\n',
			'#embed "/dev/urandom"\n',
			'  #  include "/dev/zero"\n'
		])
			refused(code);
	});

	it('sees through the lexer tricks the compilers accept', () => {
		for (const code of [
			'#inc\\\nlude "/dev/zero"\n', // a line splice inside the name
			'#include "/de\\\nv/zero"\n', // … and inside the path
			'#/* a comment */include "/dev/zero"\n',
			'%:include "/dev/zero"\n', // digraph
			'??=include "/dev/zero"\n', // trigraph
			'/* a comment\nover lines */ #include "/dev/zero"\n',
			'int a;\r#include "/dev/zero"\r\n',
			'\\\n#include "/dev/zero"\n',
			'#include \\\n "/dev/zero"\n'
		])
			refused(code);
	});

	it('blanks #line, line markers and pragmas that hide findings or touch files', () => {
		for (const code of [
			'#line 1 "elsewhere.c"\n',
			'#line 40\n',
			'# 1 "/dev/zero"\n',
			'#pragma GCC diagnostic ignored "-Wanalyzer-double-free"\n',
			'#pragma clang diagnostic ignored "-Weverything"\n',
			'#pragma GCC system_header\n',
			'#pragma clang __debug crash\n',
			'#pragma GCC dependency "/dev/zero"\n',
			'_Pragma("GCC diagnostic ignored \\"-Wanalyzer-double-free\\"") int x;\n',
			'#define QUIET _Pragma ( "clang diagnostic ignored \\"-Wall\\"" )\n'
		])
			refused(code);
		expect(confineDirectives('_Pragma("GCC diagnostic push") int x;\n').text).toBe(`${' '.repeat('_Pragma("GCC diagnostic push") '.length)}int x;\n`);
		kept('_Pragma("omp parallel for") int x;\n');
	});

	it('blanks a directive whole, comments over lines and splices included, and keeps the lines', () => {
		const code = '#include "/dev/zero" /* a\ncomment */\nint x; /* open\n#include "/dev/zero"\nstill comment */\n';
		const { text, removed } = confineDirectives(code);
		expect(removed).toEqual(['#include "/dev/zero"']);
		expect(text).toBe(' '.repeat(25) + '\n' + ' '.repeat(10) + '\nint x; /* open\n#include "/dev/zero"\nstill comment */\n');
	});

	it('refuses a program whose refused directive the blanker lost track of (a raw string, gnu11)', () => {
		// gcc -std=gnu11 reads R"x(" /* )x" as ONE raw string: the `/*` is inside it, so the
		// directive on the next line is a directive; a lexer without raw strings sees a comment
		const hidden = (directive: string) => `const char *s = R"x(" /* )x";\n${directive}\n// */\nint main(void) { return 0; }\n`;
		for (const directive of ['#include "/tmp/secret/key.txt"', '#line 1 "elsewhere.c"', '#include "/dev/zero"', '#pragma GCC diagnostic ignored "-Wanalyzer-use-after-free"', '#inc\\\nlude </etc/passwd>', '%:line 9', '  # 3 "y.c"']) {
			expect(confineDirectives(hidden(directive)).refused, directive).toMatch(/^line 2: /);
		}
		// a _Pragma operator in a place the blanker took for a comment
		expect(confineDirectives('char *a = R"x(" /* )x";\n_Pragma("GCC diagnostic ignored \\"-Wall\\"") int b; // */\n').refused).toMatch(/^line 2: _Pragma/);
		// the line number is the file's own, splices counted
		expect(confineDirectives('int a; \\\n\\\n/* R"( */ char *s = R"x(" /* )x";\n#line 4\n// */\n').refused).toMatch(/^line 4: #line 4/);
		// harmless directives anywhere, and refused ones the blanker placed, are no reason
		expect(confineDirectives('const char *s = R"x(" /* )x";\n#include "ok.h"\n#pragma once\n#define X 1\n// */\n').refused).toBeUndefined();
		expect(confineDirectives('#include "/dev/zero"\n#line 3\nint x; /* #line 5 */\n').refused).toBeUndefined();
	});

	// review C: __has_include("/abs") made gcc open the file (a FIFO hung every tool), and
	// `#define P(x) _Pragma(#x)` switched -Wanalyzer-double-free off with nothing blanked
	it('refuses __has_include of a name outside the folder or computed, and _Pragma of anything but a string literal', () => {
		const refusedBy = (code: string) => [confineDirectives(code).refused, leftoverDirective(code)];
		for (const [code, line, what] of [
			['#include <stdlib.h>\n#define P(x) _Pragma(#x)\nP(GCC diagnostic ignored "-Wanalyzer-double-free")\nvoid f(char *p) { free(p); free(p); }\n', 2, /_Pragma\(#x\)/],
			['#define PR _Pragma\nPR("GCC diagnostic ignored \\"-Wall\\"")\n', 1, /_Pragma/],
			['int a;\n_Pragma(STR) int b;\n', 2, /_Pragma/],
			['int a;\n#if __has_include("/etc/shadow")\nint x;\n#endif\n', 2, /__has_include\("\/etc\/shadow"\)/],
			['#if __has_include_next(<../../x.h>)\n#endif\n', 1, /__has_include_next/],
			['#if __has_include \\\n("/home/u/.ssh/id_rsa")\n#endif\n', 1, /__has_include/],
			['#define H(x) __has_include(x)\n#if H("/etc/passwd")\n#endif\n', 1, /__has_include\(x\)/]
		] as const) {
			for (const got of refusedBy(code)) expect(got, code).toMatch(new RegExp(`^line ${line}: .*${what.source}`));
		}
		// the plain uses stay
		for (const code of ['#if __has_include(<stdio.h>)\n#include <stdio.h>\n#endif\n', '#ifdef __has_include\n#if __has_include("util.h") || __has_include_next(<sys/types.h>)\n#endif\n#endif\n#if defined(__has_include)\n#endif\n', 'int a; _Pragma("once") int b; _Pragma ( L"message(\\"hi\\")" )\n']) {
			expect(confineDirectives(code), code).toEqual({ text: code, removed: [] });
			expect(leftoverDirective(code), code).toBeNull();
		}
	});

	it('accepts only relative header names inside the folder', () => {
		expect(['stdio.h', 'sys/types.h', 'a/b/c.h', 'x..h'].map(includableName)).toEqual([true, true, true, true]);
		expect(['/dev/zero', '\\x', '../x.h', 'a/../../x', 'a\\..\\x', 'C:x', ''].map(includableName)).toEqual([false, false, false, false, false, false, false]);
	});
});

/** The tools with a memory cap, so a regression cannot take the machine down. */
function cappedPath(): string {
	const dir = join(scratch, 'bin');
	rmSync(dir, { recursive: true, force: true });
	for (const tool of ['gcc', 'cppcheck']) {
		const path = join(dir, tool);
		mkdirSync(dir, { recursive: true });
		writeFileSync(path, `#!/bin/sh\nulimit -v 1500000\nexec /usr/bin/${tool} "$@"\n`);
		chmodSync(path, 0o755);
	}
	return `${dir}:${process.env.PATH}`;
}

const DOUBLE_FREE = 'void drop(void)\n{\n    char *p = malloc(8);\n    free(p);\n    free(p);\n}\n';

for (const tool of ['gcc', 'cppcheck'] as const) {
	describe.skipIf(!installed(tool) || process.platform !== 'linux')(`${tool} judges the program as written, nothing outside it`, () => {
		it('reads no included file, keeps its findings in the file and its checks on', async () => {
			const header = join(scratch, 'quiet.h');
			writeFileSync(header, '#define free(p) ((void)(p))\n');
			const programs = [
				`#include <stdlib.h>\n#include "${header}"\n${DOUBLE_FREE}`, // a header that hides the bug
				`#include <stdlib.h>\n#include "/dev/zero"\n${DOUBLE_FREE}`,
				`#include <stdlib.h>\n#line 1 "elsewhere.c"\n${DOUBLE_FREE}`,
				`#include <stdlib.h>\n#line 1 "/dev/zero"\n${DOUBLE_FREE}int broken(void) { return missing; }\n`,
				`#include <stdlib.h>\n#pragma GCC diagnostic ignored "-Wanalyzer-double-free"\n#pragma GCC diagnostic ignored "-Wuse-after-free"\n${DOUBLE_FREE}`
			];
			const verdicts = await judgeBatchWithAnalyzer(
				tool,
				programs.map((code) => ({ code, language: 'c', cwe: 'CWE-416' })),
				{ path: cappedPath(), timeoutMs: 20_000 }
			);
			const found = verdicts.map((v) => (v.status === 'ok' ? v.vulnerable : `error: ${v.error}`));
			// the broken one: gcc cannot compile it (an error, never a verdict); cppcheck reads it anyway
			expect(found).toEqual([true, true, true, tool === 'gcc' ? expect.stringMatching(/could not compile/) : true, true]);
			const lines = verdicts.map((v) => (v.status === 'ok' ? v.findings.filter((f) => f.cwes.includes('CWE-416')).map((f) => f.line)[0] : null));
			expect(lines.slice(0, 3)).toEqual([7, 7, 7]); // the judged file's own line numbers
		}, 120_000);
	});
}

// The trial's programs (our own words): a raw string hides a directive from the blanker. Each is
// refused before any tool runs — an error naming the line, never a verdict — while the same
// program without the prefix is judged.
const USE_AFTER_FREE = '#include <stdlib.h>\n#include <string.h>\nint main(void) {\n    char *p = malloc(16);\n    if (!p) return 1;\n    strcpy(p, "hi");\n    free(p);\n    return p[0];\n}\n';
for (const tool of ['gcc', 'clang', 'cppcheck'] as const) {
	describe.skipIf(!installed(tool) || process.platform !== 'linux')(`${tool}: a directive hidden behind a raw string`, () => {
		it('refuses the program (an error), reads no file, and still judges the plain one', async () => {
			const secret = join(scratch, 'secret.txt');
			writeFileSync(secret, 'this is not C at all\n');
			const hidden = (directive: string) => `const char *s = R"x(" /* )x";\n${directive}\n// */\n${USE_AFTER_FREE}`;
			const programs = [USE_AFTER_FREE, hidden(`#include "${secret}"`), hidden('#line 1 "elsewhere.c"'), hidden('#include "/dev/zero"'), hidden('#pragma GCC diagnostic ignored "-Wanalyzer-use-after-free"')];
			const verdicts = await judgeBatchWithAnalyzer(
				tool,
				programs.map((code) => ({ code, language: 'c', cwe: 'CWE-416' })),
				{ path: cappedPath(), timeoutMs: 20_000 }
			);
			expect(verdicts[0].status).toBe('ok');
			for (const v of verdicts.slice(1)) {
				expect(v.status).toBe('error');
				expect(v.status === 'error' && v.error).toMatch(/still there after blanking \(line 2: #/);
			}
		}, 120_000);
	});
}
