// Hostile size: the C bounds families on one function whose loop body is 8,000 lines long (our
// own generated code). Each line is a shape that used to send a family back over the whole loop
// or function (an offset advanced with +=, a cursor read after a test of it, a guard followed by
// an index, a length from the data moved by after its test, a product after an overflow test):
// quadratic, minutes at this size (188 s for CWE-125 before the fix, 2026-11-29, 2 busy cores).
// Linear, the judge answers in about a second (0.8 s then). Not timed: the generous timeout
// makes a regression fail instead of holding CI.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

const LINES = 8000;
const SHAPES = [
	(i: number) => `    if (i < len && x${i} > 0) s += ${i};`,
	(i: number) => `    if (p < end) s += *p++ + ${i};`,
	(i: number) => `    if (k > n) return -${i}; s += a[k];`,
	(i: number) => `    if (h->len > ${i}) return -1; q += h->len;`,
	(i: number) => `    if (c / ${i + 1} > 0) return -1; m = c * d;`
];

function longLoop(lines: number): string {
	const body = Array.from({ length: lines }, (_, i) => SHAPES[i % SHAPES.length](i)).join('\n');
	return [
		'struct hdr { int len; };',
		'int walk_all(const unsigned char *buf, int len, const unsigned char *p, const unsigned char *end, int *a, int n, int k, struct hdr *h, int c, int d)',
		'{',
		'  int s = 0, i = 0, q = 0, m = 0;',
		'  while (i < len) {',
		body,
		'    s += buf[i++];',
		'  }',
		'  return s + q + m;',
		'}',
		''
	].join('\n');
}

describe('the rule judge on an 8,000-line loop body', () => {
	const code = longLoop(LINES);
	for (const cwe of ['CWE-125', 'CWE-787', 'CWE-119']) {
		it(`judges it for ${cwe} (linear families: it completes)`, () => {
			const verdict = judge.judge({ code, language: 'c', cwe });
			expect(code.split('\n').length).toBeGreaterThan(LINES);
			expect(verdict.checked).toContain('c.bounds.offset-loop');
			expect(typeof verdict.vulnerable).toBe('boolean');
		}, 60_000);
	}
});
