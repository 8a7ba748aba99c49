// gcc -fanalyzer and the Clang Static Analyzer as judges, on our own tiny programs: a double
// free is CWE-416, a NULL dereference on one path is CWE-476, the fixed versions are clean, and
// code that does not compile is an error, never a verdict; a lone function's unknown types and
// constants are declared for it (c-declarations.ts). Skipped when the tool is absent.

import { describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { mapFinding } from '../../../../src/lib/judges/analyzers/cwe-map.ts';
import type { AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { installed } from './helpers.ts';

const DOUBLE_FREE = `void drop_buffer(int n)\n{\n    char *buf = malloc(n);\n    if (!buf)\n        return;\n    free(buf);\n    free(buf);\n}\n`;
const SINGLE_FREE = `void drop_buffer(int n)\n{\n    char *buf = malloc(n);\n    if (!buf)\n        return;\n    free(buf);\n}\n`;
const NULL_PATH = `int first_value(int use_default)\n{\n    int *slot = NULL;\n    if (use_default)\n        slot = malloc(sizeof *slot);\n    return *slot;\n}\n`;
const BROKEN = `int half(int x {\n    return x / 2;\n}\n`;
/** A function cut out of a project: its struct, type and constant are declared elsewhere. */
const LONE = `static int entry_size(Archive *a, struct entry *e)\n{\n    if (e->len > MAX_ENTRY)\n        return ERR_SIZE;\n    return a->base + e->len;\n}\n`;
const U32_TYPES = `u32 twice(u32 x)\n{\n    return x * 2;\n}\n`;

const vulnerable = (v: AnalyzerVerdict) => (v.status === 'ok' ? v.vulnerable : `error: ${v.error}`);

for (const tool of ['gcc', 'clang'] as const) {
	describe(`${tool} path analyzer`, () => {
		it.skipIf(!installed(tool))('finds a double free and a NULL path, passes the fixed code, reports code it cannot compile as an error', async () => {
			const verdicts = await judgeBatchWithAnalyzer(tool, [
				{ code: DOUBLE_FREE, language: 'c', cwe: 'CWE-416' },
				{ code: SINGLE_FREE, language: 'c', cwe: 'CWE-416' },
				{ code: NULL_PATH, language: 'c', cwe: 'CWE-476' },
				{ code: BROKEN, language: 'c', cwe: 'CWE-476' },
				{ code: U32_TYPES, language: 'c', cwe: 'CWE-476' },
				{ code: LONE, language: 'c', cwe: 'CWE-787' }
			]);
			expect(verdicts.slice(0, 3).map(vulnerable)).toEqual([true, false, true]);
			const doubleFree = verdicts[0].status === 'ok' ? verdicts[0].findings.find((f) => f.cwes.includes('CWE-416')) : undefined;
			expect(doubleFree?.line).toBe(7);
			expect(verdicts[3]).toMatchObject({ status: 'error', error: expect.stringMatching(new RegExp(`${tool} could not compile`)) });
			expect(verdicts[4]).toMatchObject({ status: 'ok', vulnerable: false }); // u32 is known via the type macros
			expect(verdicts[5]).toMatchObject({ status: 'ok', vulnerable: false }); // Archive, struct entry, MAX_ENTRY, ERR_SIZE stubbed
		});
	});
}

describe('CWE mapping of the path analyzers', () => {
	it('maps their checks onto the 18 CWEs', () => {
		expect(mapFinding('gcc', '-Wanalyzer-double-free', 'CWE-415')).toEqual(['CWE-416']);
		expect(mapFinding('gcc', '-Wanalyzer-possible-null-dereference', 'CWE-690')).toEqual(['CWE-476']);
		expect(mapFinding('gcc', '-Wanalyzer-malloc-leak', 'CWE-401')).toEqual([]);
		expect(mapFinding('clang', 'core.NullDereference', null)).toEqual(['CWE-476']);
		expect(mapFinding('clang', 'unix.Malloc:use-after-free', null)).toEqual(['CWE-416']);
		expect(mapFinding('clang', 'alpha.security.ArrayBoundV2', null)).toEqual(['CWE-787', 'CWE-125', 'CWE-119']);
	});
});
