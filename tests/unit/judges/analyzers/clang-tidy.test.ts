// clang-tidy (bugprone-*, cert-*) as an analyzer judge: its text output read into findings, a
// compiler error as a per-file error (never a verdict), and live on our own tiny programs
// (skipped with a message when clang-tidy is not installed).

import { describe, expect, it } from 'vitest';
import { clangTidy } from '../../../../src/lib/judges/analyzers/tools/clang-tidy.ts';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { listAnalyzers } from '../../../../src/lib/judges/analyzers/registry.ts';
import { installed } from './helpers.ts';

const OUTPUT = [
	'/tmp/x/prog0.c:8:3: warning: the result from calling \'memcpy\' is not null-terminated [bugprone-not-null-terminated-result]',
	'  memcpy(buf, src, strlen(src));',
	'/tmp/x/prog0.c:3:9: warning: unused variable [clang-diagnostic-unused-variable]',
	'/tmp/x/prog1.c:2:7: error: unknown type name \'unknown_t\' [clang-diagnostic-error]',
	'/tmp/x/other.c:1:1: warning: not one of ours [bugprone-branch-clone]'
].join('\n');

describe('clang-tidy output', () => {
	it('reads the checks` warnings per file and a compiler error as that file`s error', () => {
		const parsed = clangTidy.parse(OUTPUT, '2 warnings and 1 error generated.', ['prog0.c', 'prog1.c']);
		expect(parsed.findings.get('prog0.c')).toEqual([expect.objectContaining({ tool: 'clang-tidy', rule: 'bugprone-not-null-terminated-result', line: 8 })]);
		expect(parsed.findings.get('prog1.c')).toEqual([]);
		expect(parsed.fileErrors.get('prog1.c')).toMatch(/clang-tidy could not compile the code as given.*line 2: unknown type name/);
		expect(parsed.fileErrors.has('prog0.c')).toBe(false);
		expect(clangTidy.compileErrors!(OUTPUT, '', 'prog1.c')).toEqual([{ line: 2, message: "unknown type name 'unknown_t'" }]);
	});

	it('is listed with its availability', async () => {
		const entry = (await listAnalyzers()).find((a) => a.tool === 'clang-tidy');
		expect(entry).toMatchObject({ tool: 'clang-tidy', language: 'c' });
		if (!entry?.available) expect(entry?.message).toMatch(/clang-tidy/);
	});

	it.skipIf(!installed('clang-tidy'))('analyses a lone function with unknown types; code it cannot compile is an error', async () => {
		const LONE = `static int copy_name(struct entry *e, const char *src)\n{\n    char name[NAME_MAX_LEN];\n    memcpy(name, src, strlen(src));\n    return store_name(e, name);\n}\n`;
		const BROKEN = `int half(int x {\n    return x / 2;\n}\n`;
		const verdicts = await judgeBatchWithAnalyzer('clang-tidy', [
			{ code: LONE, language: 'c', cwe: 'CWE-787' },
			{ code: BROKEN, language: 'c', cwe: 'CWE-787' }
		]);
		expect(verdicts[0]).toMatchObject({ status: 'ok' });
		expect(verdicts[0].status === 'ok' && verdicts[0].findings.map((f) => f.rule)).toContain('bugprone-not-null-terminated-result');
		expect(verdicts[1]).toMatchObject({ status: 'error', error: expect.stringMatching(/clang-tidy could not compile/) });
	});
});
