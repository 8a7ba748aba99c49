// The rule judge's time limit per program (core/judges/rules/deadline.ts): a program the tree
// rules do not finish within it gets the status "judge time limit" (an error row naming the
// limit), never a verdict, and the run goes on to the next program, which gets its verdict. The
// slow program is planted by making the limit tiny (25 ms, 100 ms in the run), not the program
// huge: a 3,000-line function of our own takes over a second, a 7-line one a millisecond. Also:
// the run gives the event loop turns while it computes, between programs and between one
// program's passes (runs/direct-run.ts writeDirectRunSliced). Nothing here is timed: the
// limits only decide which status a program gets.

import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { JudgeTimeLimitError, withTimeLimit, tick } from '../../../../src/lib/core/judges/rules/deadline.ts';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';
import { loadParsers } from '../../../../src/lib/judges/rules/parse.ts';
import { runJudge } from '../../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

/** A long function of guarded indexes, frees and copies: thousands of nodes for every family. */
function longFunction(lines: number): string {
	const body = Array.from({ length: lines }, (_, i) => [
		`  if (k${i} < len) out[k${i}] = buf[i + ${i}];`,
		`  memcpy(dst, buf + ${i}, h->len);`,
		`  if (p + ${i} > end) return -1; s += *p++;`
	][i % 3]).join('\n');
	return `struct hdr { int len; };\nint slow(const unsigned char *buf, int len, unsigned char *out, unsigned char *dst, struct hdr *h, const unsigned char *p, const unsigned char *end)\n{\n  int s = 0, i = 0;\n${body}\n  return s;\n}\n`;
}
const SLOW = longFunction(3000);
const FAST = 'void copy(char *dst, const char *src, int n)\n{\n    char buf[16];\n    memcpy(buf, src, n);\n    dst[0] = buf[0];\n}\n';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
	judge.judge({ code: FAST, language: 'c', cwe: 'CWE-787' }); // warm: the fast program's time below is its own, not the first call's
});

describe('the tree rule judge with a time limit', () => {
	it('stops a program past its limit with JudgeTimeLimitError naming the limit, and judges it without one', () => {
		let caught: unknown = null;
		try {
			judge.judge({ code: SLOW, language: 'c', cwe: 'CWE-787' }, { timeLimitMs: 25 });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(JudgeTimeLimitError);
		expect((caught as JudgeTimeLimitError).limitMs).toBe(25);
		expect((caught as Error).message).toContain('judge time limit');
		expect((caught as Error).message).toContain('0.025 s');
		// the same program, no limit: a verdict (the limit was what stopped it)
		expect(typeof judge.judge({ code: SLOW, language: 'c', cwe: 'CWE-787' }).vulnerable).toBe('boolean');
	}, 120_000);

	it('cancels the parse past the limit, and the parser then reads the next program from its start', async () => {
		const parsers = await loadParsers();
		expect(() => withTimeLimit(0, () => parsers.parse(SLOW, 'c'))).toThrow(JudgeTimeLimitError);
		const tree = parsers.parse('int next(void) { return 1; }\n', 'c');
		try {
			expect(tree.rootNode.toString()).toBe('(translation_unit (function_definition type: (primitive_type) declarator: (function_declarator declarator: (identifier) parameters: (parameter_list (parameter_declaration type: (primitive_type)))) body: (compound_statement (return_statement (number_literal)))))');
		} finally {
			tree.delete();
		}
	});

	it('a deadline ends with its call: ticks outside it never throw', () => {
		expect(() => withTimeLimit(0, () => {
			for (let i = 0; i < 100_000; i++) tick();
		})).toThrow(JudgeTimeLimitError);
		expect(() => {
			for (let i = 0; i < 100_000; i++) tick();
		}).not.toThrow();
	});
});

describe('a judge run with the rule judge and a tiny time limit', () => {
	const item = (id: string, code: string): Item => ({ item_id: id, task: 'reference', set: 'pearce', cwe: 'CWE-787', language: 'c', code, scenario: 'time-limit', label: 'vulnerable', label_class: 'CWE-787', source: 'tests/unit/judges/rules-tree/time-limit.test.ts' });

	it('gives the slow program the status "judge time limit" and the next one its verdict', async () => {
		const work = tempDir('covw-rule-limit-');
		try {
			const runsDir = join(work.path, 'runs');
			// event-loop turns while the run computes: a chain of timers counts them
			let turns = 0;
			let going = true;
			const spin = () => {
				turns++;
				if (going) setTimeout(spin, 0);
			};
			setTimeout(spin, 0);
			const items = [item('own/slow', SLOW), item('own/fast', FAST), item('own/slow-again', SLOW)];
			const judged = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items, timeLimitMs: 100, onWarning: () => {} });
			going = false;
			const rows = new Map(readRun(runsDir, judged.runId)!.rows.map((r) => [r.meta.target_id, r]));
			for (const id of ['own/slow', 'own/slow-again']) {
				const row = rows.get(id)!;
				expect(row.status).toBe('error');
				expect(row.error).toMatch(/^rule judge: judge time limit: no verdict within 0\.1 s/);
				expect(row.meta.vulnerable).toBeNull();
			}
			const fast = rows.get('own/fast')!;
			expect(fast.status).toBe('ok');
			expect(fast.meta.vulnerable).toBe(true); // memcpy of n bytes into a 16-byte buffer
			expect(judged.manifest.state).toBe('completed');
			// the slow programs each ran past the 50 ms slice: the loop had a turn after each
			expect(turns).toBeGreaterThanOrEqual(2);
		} finally {
			work.remove();
		}
	}, 120_000);

	it('gives the event loop turns while one long program is judged (between its passes), and still gives its verdict', async () => {
		const work = tempDir('covw-rule-turns-');
		try {
			const runsDir = join(work.path, 'runs');
			let turns = 0;
			let going = true;
			const spin = () => {
				turns++;
				if (going) setTimeout(spin, 0);
			};
			setTimeout(spin, 0);
			const judged = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items: [item('own/slow', SLOW)], onWarning: () => {} });
			going = false;
			const [row] = readRun(runsDir, judged.runId)!.rows;
			expect(row.status).toBe('ok');
			expect(typeof row.meta.vulnerable).toBe('boolean');
			// one program of over a second, in ~16 passes (token rules, parse, data flow, 13 families):
			// judged in one piece, the timers would have had one turn at most
			expect(turns).toBeGreaterThanOrEqual(3);
		} finally {
			work.remove();
		}
	}, 120_000);
});
