// clang-taint: a lone function's parameters handed to a taint source on the body's `{` line
// (tools/c-taint.ts), so clang reports a tainted index that may be out of range and stays silent
// where a bound check came first. Our own small programs; the live part is skipped without clang.

import { describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { mapFinding } from '../../../../src/lib/judges/analyzers/cwe-map.ts';
import { allAnalyzersJudge } from '../../../../src/lib/judges/analyzers/analyzer-judges.ts';
import { TAINT_SOURCE, taintConfig, taintParameters } from '../../../../src/lib/judges/analyzers/tools/c-taint.ts';
import { textForParsing } from '../../../../src/lib/judges/analyzers/tools/c-declarations.ts';
import { loadParsers } from '../../../../src/lib/judges/rules/parse.ts';
import { toSyn } from '../../../../src/lib/judges/rules/syntax.ts';
import type { AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { installed } from './helpers.ts';

async function tainted(code: string): Promise<string> {
	const parsers = await loadParsers();
	const parsed = textForParsing(code);
	const tree = parsers.parse(parsed, 'c');
	try {
		return taintParameters(code, parsed, toSyn(tree));
	} finally {
		tree.delete();
	}
}

/** Reads slot `i` of a fixed table: no check (vulnerable) and with a check (fixed). */
const NO_CHECK = `int slot_value(int i)\n{\n    int table[16] = {0};\n    return table[i];\n}\n`;
const CHECKED = `int slot_value(int i)\n{\n    int table[16] = {0};\n    if (i < 0 || i >= 16)\n        return -1;\n    return table[i];\n}\n`;
/** The index read through a pointer parameter's field. */
const FIELD = `int pick(struct req *r)\n{\n    char names[8] = {0};\n    return names[r->which];\n}\n`;
/** The index comes back from a function defined elsewhere in the project (decoded input). */
const DECODED = `int entry(struct msg *m)\n{\n    short table[4] = {0};\n    long k = read_selector(m);\n    return table[k];\n}\n`;
const DECODED_CHECKED = `int entry(struct msg *m)\n{\n    short table[4] = {0};\n    long k = read_selector(m);\n    if (k < 0 || k > 3)\n        return 0;\n    return table[k];\n}\n`;
const FIELD_CHECKED = `int pick(struct req *r)\n{\n    char names[8] = {0};\n    if (r->which >= 8 || r->which < 0)\n        return 0;\n    return names[r->which];\n}\n`;

describe('tainting the parameters (c-taint.ts)', () => {
	it('hands every named parameter to the source on the line of the body, lines unchanged', async () => {
		const code = `static char *copy_name(const char *src, size_t n, int (*cb)(int), char out[])\n{\n    return out;\n}\n`;
		const out = await tainted(code);
		expect(out.split('\n').length).toBe(code.split('\n').length);
		expect(out.split('\n')[1]).toBe(`{ extern void ${TAINT_SOURCE}(void *); ${TAINT_SOURCE}(&src); ${TAINT_SOURCE}(&n); ${TAINT_SOURCE}(&cb); ${TAINT_SOURCE}(&out);`);
		expect(out.split('\n')[0]).toBe(code.split('\n')[0]);
	});
	it('reads a function whose return type was cut off, and leaves (void) and K&R-less bodies alone', async () => {
		expect((await tainted(`f(int k) { return k; }`)).startsWith(`f(int k) { extern void ${TAINT_SOURCE}(void *); ${TAINT_SOURCE}(&k); return k; }`)).toBe(true);
		expect(await tainted(`int g(void) { return 1; }`)).toBe(`int g(void) { return 1; }`);
	});
});

describe('the taint configuration', () => {
	it('declares the source and each outside function as a source of its result and pointees', () => {
		const yaml = taintConfig(['read_selector', 'bad name', TAINT_SOURCE]);
		expect(yaml).toBe(`Propagations:\n  - Name: ${TAINT_SOURCE}\n    DstArgs: [0]\n  - Name: read_selector\n    DstArgs: [-1]\n    VariadicType: Dst\n    VariadicIndex: 0\n`);
	});
});

describe('clang-taint judge', () => {
	it('is opt-in: not among the tools of --judge analyzers', () => {
		expect(allAnalyzersJudge.members?.('analyzers')).not.toContain('clang-taint');
		expect(allAnalyzersJudge.members?.('analyzers')).toContain('clang');
	});
	it('maps a tainted index to the bounds CWEs and a tainted buffer size to none', () => {
		expect(mapFinding('clang', 'alpha.security.ArrayBoundV2:tainted', null)).toEqual(['CWE-787', 'CWE-125', 'CWE-119']);
		expect(mapFinding('clang', 'alpha.security.taint.TaintPropagation:buffer-size', null)).toEqual([]);
	});
	const vulnerable = (v: AnalyzerVerdict) => (v.status === 'ok' ? v.vulnerable : `error: ${v.error}`);
	it.skipIf(!installed('clang'))('reports an unchecked tainted index, not a checked one; clang alone reports neither', async () => {
		const inputs = [NO_CHECK, CHECKED, FIELD, FIELD_CHECKED, DECODED, DECODED_CHECKED].map((code) => ({ code, language: 'c' as const, cwe: 'CWE-125' }));
		const withTaint = await judgeBatchWithAnalyzer('clang-taint', inputs);
		expect(withTaint.map(vulnerable)).toEqual([true, false, true, false, true, false]);
		const finding = withTaint[0].status === 'ok' ? withTaint[0].findings[0] : undefined;
		expect(finding).toMatchObject({ tool: 'clang-taint', rule: 'alpha.security.ArrayBoundV2:tainted', line: 4 });
		expect((await judgeBatchWithAnalyzer('clang', inputs)).map(vulnerable)).toEqual([false, false, false, false, false, false]);
		// a program's verdict never depends on the others of its batch: a function one program
		// defines itself is no taint source there because another program calls it undefined
		const own = `int counter;\nint helper(void) { return counter; }\nint f(void)\n{\n    char b[8] = {0};\n    return b[helper()];\n}\n`;
		const caller = `int g(struct msg *m)\n{\n    return helper(m);\n}\n`;
		const alone = await judgeBatchWithAnalyzer('clang-taint', [{ code: own, language: 'c', cwe: 'CWE-125' }]);
		const together = await judgeBatchWithAnalyzer('clang-taint', [own, caller].map((code) => ({ code, language: 'c' as const, cwe: 'CWE-125' })));
		expect(alone.map(vulnerable)).toEqual([false]);
		expect(together.map(vulnerable)[0]).toBe(false);
		// other targets: the clang judge unchanged (no taint, default checkers)
		const nullTarget = await judgeBatchWithAnalyzer('clang-taint', [{ code: NO_CHECK, language: 'c', cwe: 'CWE-476' }]);
		expect(nullTarget.map(vulnerable)).toEqual([false]);
	});
});
