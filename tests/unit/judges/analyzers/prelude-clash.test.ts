// The analyzers' libc prelude (gcc-analyzer.ts: C_PRELUDE_HEADERS, -include'd before the code)
// never makes valid code fail: a program that passes `gcc -fsyntax-only` with only its own
// includes, but defines a name a prelude header declares otherwise (`dup` of unistd.h, a
// `uint8_t` of its own), is judged, not "could not compile". Our own small programs; skipped
// when the tool is absent.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import type { AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { installed } from './helpers.ts';

/** A whole program (its own includes) defining `dup`, which unistd.h declares as int dup(int). */
const OWN_DUP = `#include <stdlib.h>\n#include <string.h>\n\nchar *dup(const char *s)\n{\n    size_t n = strlen(s) + 1;\n    char *p = malloc(n);\n    if (!p)\n        return NULL;\n    memcpy(p, s, n);\n    return p;\n}\n\nvoid twice(const char *s)\n{\n    char *p = dup(s);\n    free(p);\n    free(p);\n}\n`;
/** A lone function with its own uint8_t (a struct) and a `dup` of its own. */
const OWN_TYPE = `typedef struct { unsigned char v; } uint8_t;\nstatic long dup;\n\nint low_bit(uint8_t *b)\n{\n    dup++;\n    return b->v & 1;\n}\n`;

const vulnerable = (v: AnalyzerVerdict) => (v.status === 'ok' ? v.vulnerable : `error: ${v.error}`);

function compilesAlone(code: string, compiler: string): boolean {
	const dir = mkdtempSync(join(tmpdir(), 'covw-clash-'));
	try {
		writeFileSync(join(dir, 'x.c'), code);
		execFileSync(compiler, ['-fsyntax-only', '-std=gnu11', join(dir, 'x.c')], { stdio: 'pipe' });
		return true;
	} catch {
		return false;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

for (const tool of ['gcc', 'clang'] as const) {
	describe(`${tool}: the prelude and code that defines a name it declares`, () => {
		it.skipIf(!installed(tool))('judges the code instead of failing to compile it', async () => {
			expect(compilesAlone(OWN_DUP, tool)).toBe(true);
			expect(compilesAlone(OWN_TYPE, tool)).toBe(true);
			const verdicts = await judgeBatchWithAnalyzer(tool, [
				{ code: OWN_DUP, language: 'c', cwe: 'CWE-416' },
				{ code: OWN_TYPE, language: 'c', cwe: 'CWE-476' }
			]);
			expect(verdicts.map(vulnerable)).toEqual([true, false]);
			// the double free is found on the code's own line
			const free2 = verdicts[0].status === 'ok' ? verdicts[0].findings.find((f) => f.cwes.includes('CWE-416')) : undefined;
			expect(free2?.line).toBe(18);
		});
	});
}
