// The precompiled preludes of gcc and clang live in the temp folder for the whole process; a
// temp cleaner under a long-running server may remove them. They are then made again on the next
// use, so later programs are still analysed (before, every one became an error row until a
// restart). Live: skipped when the tool is absent.

import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { which } from '../../../../src/lib/judges/analyzers/locate-tool.ts';
import { clangPreludePch } from '../../../../src/lib/judges/analyzers/tools/clang-cc1.ts';
import { GCC_DIALECT, gccAnalyzer } from '../../../../src/lib/judges/analyzers/tools/gcc-analyzer.ts';
import { gccPreludePch } from '../../../../src/lib/judges/analyzers/tools/gcc-prelude-pch.ts';
import { installed } from './helpers.ts';

const DOUBLE_FREE = `void drop_buffer(int n)\n{\n    char *buf = malloc(n);\n    if (!buf)\n        return;\n    free(buf);\n    free(buf);\n}\n`;
const input = { code: DOUBLE_FREE, language: 'c' as const, cwe: 'CWE-416' };
const PATH = process.env.PATH ?? '';

describe("gcc's precompiled prelude", () => {
	it.skipIf(!installed('gcc'))('is made again when its folder was removed: the next program is still analysed', async () => {
		expect(await judgeWithAnalyzer('gcc', input)).toMatchObject({ status: 'ok', vulnerable: true });
		const gcc = which('gcc', PATH)!;
		const first = (await gccPreludePch(gcc, GCC_DIALECT, PATH))!;
		expect(existsSync(`${first[1]}.gch`)).toBe(true);
		rmSync(dirname(first[1]), { recursive: true, force: true });

		expect(await judgeWithAnalyzer('gcc', input)).toMatchObject({ status: 'ok', vulnerable: true });
		const again = (await gccPreludePch(gcc, GCC_DIALECT, PATH))!;
		expect(again[1]).not.toBe(first[1]);
		expect(existsSync(again[1]) && existsSync(`${again[1]}.gch`)).toBe(true);
		expect(await gccPreludePch(gcc, GCC_DIALECT, PATH)).toBe(again); // present: not made again
	});

	it.skipIf(!installed('gcc'))('is made again when only the precompiled file is gone', async () => {
		const gcc = which('gcc', PATH)!;
		const first = (await gccPreludePch(gcc, GCC_DIALECT, PATH))!;
		rmSync(`${first[1]}.gch`);
		const again = (await gccPreludePch(gcc, GCC_DIALECT, PATH))!;
		expect(again[1]).not.toBe(first[1]);
		expect(existsSync(`${again[1]}.gch`)).toBe(true);
		expect(existsSync(dirname(first[1]))).toBe(false); // the half-removed folder is cleared
	});
});

describe("clang's precompiled prelude", () => {
	it.skipIf(!installed('clang'))('is made again when its folder was removed: the next program is still analysed', async () => {
		expect(await judgeWithAnalyzer('clang', input)).toMatchObject({ status: 'ok' });
		const clang = which('clang', PATH)!;
		const first = (await clangPreludePch(clang, { PATH }))!;
		expect(first).not.toBeNull();
		rmSync(dirname(first), { recursive: true, force: true });

		const verdict = await judgeWithAnalyzer('clang', input);
		expect(verdict).toMatchObject({ status: 'ok' });
		const again = (await clangPreludePch(clang, { PATH }))!;
		expect(again).not.toBe(first);
		expect(existsSync(again) && existsSync(join(dirname(again), 'covw-prelude.h'))).toBe(true);
	});
});

describe("gcc's output when an -include is missing", () => {
	// what gcc 12 prints for `-include <gone>/covw-prelude.h` (exit code 1, which is otherwise fine)
	const stderr = JSON.stringify([{ kind: 'fatal error', children: [], locations: [{ caret: { line: 0, file: '<command-line>', column: -1 } }], message: '/tmp/gone/covw-prelude.h: No such file or directory' }]);
	it('is no verdict: the output is refused (an error row), never read as "no findings"', () => {
		expect(() => gccAnalyzer.parse('', `${stderr}\ncompilation terminated.\n`, ['item-0.c'])).toThrow(/fatal error outside the judged code \(<command-line>: .*covw-prelude\.h: No such file/);
	});
	it("while an error in a system header is still skipped and the judged file's own fatal error is its file error", () => {
		const header = JSON.stringify([{ kind: 'error', locations: [{ caret: { line: 3, file: '/usr/include/stdio.h' } }], message: 'x' }]);
		const own = JSON.stringify([{ kind: 'fatal error', locations: [{ caret: { line: 2, file: 'item-0.c' } }], message: 'openssl/ssl.h: No such file or directory' }]);
		const parsed = gccAnalyzer.parse('', `${header}\n${own}\n`, ['item-0.c']);
		expect(parsed.fileErrors.get('item-0.c')).toMatch(/line 2: openssl\/ssl\.h/);
	});
});
