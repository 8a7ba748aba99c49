// gcc's checks follow the installed gcc's major version: gcc 12's analyzer has no bounds check,
// so it is not run for bounds targets (CWE-787/125/119); gcc 13+ has -Wanalyzer-out-of-bounds,
// so it is. An unknown version is treated as gcc 12. The not-applicable CWE list is the same for
// every version (what gcc 13+ adds maps to bounds CWEs already on it).
// The judge-level tests use a stand-in gcc that logs its arguments (never a real compile).

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { mapFinding } from '../../../../src/lib/judges/analyzers/cwe-map.ts';
import { gccAnalyzer, gccMajorVersion } from '../../../../src/lib/judges/analyzers/tools/gcc-analyzer.ts';
import type { CweId } from '../../../../src/lib/core/cwe.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-gcc-version-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const GCC12 = 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0';
const GCC13 = 'gcc (Ubuntu 13.2.0-23ubuntu4) 13.2.0';
const GCC14 = 'gcc (GCC) 14.2.1 20240912 (Red Hat 14.2.1-3)';
const BOUNDS = ['CWE-787', 'CWE-125', 'CWE-119'] as const;
const OTHERS = ['CWE-416', 'CWE-476', 'CWE-200'] as const;

const args = (cwe: CweId, version?: string) => gccAnalyzer.args(['item-0.c'], gccAnalyzer.profileFor!(cwe, version));

describe("gcc's major version", () => {
	it('is read from the first line of gcc --version', () => {
		expect(gccMajorVersion(GCC12)).toBe(12);
		expect(gccMajorVersion(GCC13)).toBe(13);
		expect(gccMajorVersion(GCC14)).toBe(14);
		expect(gccMajorVersion('gcc-13 (Homebrew GCC 13.2.0) 13.2.0')).toBe(13);
		expect(gccMajorVersion('something else')).toBeNull();
		expect(gccMajorVersion(undefined)).toBeNull();
	});
});

describe("gcc's analyzer for bounds targets", () => {
	it('is not run on gcc 12 or an unknown version (as before)', () => {
		for (const version of [GCC12, 'gcc (Debian 11.3.0-1) 11.3.0', undefined, 'no version here']) {
			for (const cwe of BOUNDS) {
				expect(args(cwe, version)).not.toContain('-fanalyzer');
				expect(args(cwe, version)).toEqual(expect.arrayContaining(['-S', '-Warray-bounds', '-Wstringop-overflow', 'item-0.c']));
			}
			for (const cwe of OTHERS) expect(args(cwe, version)).toContain('-fanalyzer');
		}
	});

	it('is run on gcc 13 and later (-Wanalyzer-out-of-bounds), in the same group as the other targets', () => {
		for (const version of [GCC13, GCC14]) {
			for (const cwe of BOUNDS) {
				expect(args(cwe, version)).toContain('-fanalyzer');
				expect(gccAnalyzer.profileFor!(cwe, version)).toBe(gccAnalyzer.profileFor!('CWE-416', version));
			}
		}
	});

	it('reports what a run can count: the CWEs of the bounds checks of gcc 13+ are on the one not-applicable list', () => {
		// -Wanalyzer-out-of-bounds carries CWE-787/125/124/127; -Wanalyzer-allocation-size CWE-131
		for (const [rule, cwe] of [['-Wanalyzer-out-of-bounds', 'CWE-787'], ['-Wanalyzer-out-of-bounds', 'CWE-125'], ['-Wanalyzer-out-of-bounds', 'CWE-124'], ['-Wanalyzer-out-of-bounds', 'CWE-127'], ['-Wanalyzer-allocation-size', 'CWE-131']]) {
			const mapped = mapFinding('gcc', rule, cwe);
			expect(mapped.length).toBeGreaterThan(0);
			for (const id of mapped) expect(gccAnalyzer.cwes).toContain(id);
		}
	});
});

/** A stand-in gcc answering `--version` with `version` and logging each other call's arguments. */
function fakeGcc(name: string, version: string): { command: string; log: string } {
	const command = join(scratch, name);
	const log = join(scratch, `${name}.log`);
	writeFileSync(command, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${version}"; echo "Copyright"; exit 0; fi\necho "$@" >> ${log}\necho '[]' >&2\nexit 0\n`);
	chmodSync(command, 0o755);
	return { command, log };
}

const analysedLines = (log: string) => readFileSync(log, 'utf8').split('\n').filter((line) => /\bitem-\d+\.c\b/.test(line));

describe('a judge call', () => {
	const code = 'int first(const int *values)\n{\n    return values[4];\n}\n';
	it("asks the installed gcc's version and runs its analyzer for a bounds target on gcc 13", async () => {
		const gcc = fakeGcc('gcc-13', GCC13);
		const [verdict] = await judgeBatchWithAnalyzer('gcc', [{ code, language: 'c', cwe: 'CWE-125' }], { command: gcc.command });
		expect(verdict).toMatchObject({ status: 'ok', vulnerable: false });
		const lines = analysedLines(gcc.log);
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) expect(line.split(' ')).toContain('-fanalyzer');
	});

	it('keeps the analyzer out of a bounds target on gcc 12', async () => {
		const gcc = fakeGcc('gcc-12', GCC12);
		await judgeBatchWithAnalyzer('gcc', [{ code, language: 'c', cwe: 'CWE-125' }], { command: gcc.command });
		const lines = analysedLines(gcc.log);
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) expect(line.split(' ')).not.toContain('-fanalyzer');
	});

	it("takes the caller's version when given (a judge run's tool version)", async () => {
		const gcc = fakeGcc('gcc-says-12', GCC12);
		await judgeBatchWithAnalyzer('gcc', [{ code, language: 'c', cwe: 'CWE-787' }], { command: gcc.command, version: GCC14 });
		const lines = analysedLines(gcc.log);
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) expect(line.split(' ')).toContain('-fanalyzer');
	});
});
