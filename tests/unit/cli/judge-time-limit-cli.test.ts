// `covw judge --timeout` gives the rule judge its time limit per program too (Deno, narrow
// permissions): a planted slow program (a 4,000-line function of our own, about a second to
// judge) under a 0.1 s limit gets the status "judge time limit" — an error row, never a verdict,
// exit status 1 — and the small program after it still gets its verdict. Not timed: the limit
// only decides which status a program gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';

let work: { path: string; remove: () => void };
beforeAll(() => {
	work = tempDir('covw-cli-rule-limit-');
});
afterAll(() => work.remove());

const covw = (args: string[]) => runCovw(args, { cwd: work.path, env: { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data') } });

const slow = `int walk(const unsigned char *buf, int len, unsigned char *out, const unsigned char *p, const unsigned char *end)\n{\n  int s = 0, i = 0;\n${Array.from({ length: 4000 }, (_, i) => (i % 2 ? `  if (k${i} < len) out[k${i}] = buf[i + ${i}];` : `  if (p + ${i} > end) return -1; s += *p++;`)).join('\n')}\n  return s;\n}\n`;
const small = 'void copy(char *dst, const char *src, int n)\n{\n    char buf[16];\n    memcpy(buf, src, n);\n    dst[0] = buf[0];\n}\n';

describe('covw judge --timeout with the rule judge', () => {
	it('gives a program past the limit the status "judge time limit" and the next one its verdict', async () => {
		const rec = (id: string, code: string) => JSON.stringify({ id, cwe: 'CWE-787', language: 'c', label: 'vulnerable', code });
		// a small one first (the process's first program runs cold code), the slow one, a small one after it
		writeFileSync(join(work.path, 'limit.jsonl'), `${rec('a-small', small)}\n${rec('b-slow', slow)}\n${rec('c-small', small.replace('copy', 'copy2'))}\n`);
		const imp = await covw(['import', '--labelled', 'limit', join(work.path, 'limit.jsonl')]);
		expect(imp.status, imp.stderr + imp.stdout).toBe(0);
		const judged = await covw(['judge', '--items', 'limit', '--judge', 'rules', '--timeout', '0.1']);
		expect(judged.stderr).not.toMatch(/PermissionDenied|NotCapable|Uncaught/);
		expect(judged.status, judged.stderr + judged.stdout).toBe(1);
		const runId = /run (judge-rules-items-limit-[0-9a-f]{10})/.exec(judged.stdout)![1];
		const rows = readFileSync(join(work.path, 'runs', runId, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		const byItem = new Map(rows.map((r) => [String(r.item_id), r]));
		const slowRow = byItem.get('limit/b-slow')!;
		expect(slowRow.status).toBe('error');
		expect(slowRow.error).toMatch(/^rule judge: judge time limit: no verdict within 0\.1 s/);
		expect(slowRow.vulnerable).toBeNull();
		expect(byItem.get('limit/c-small')!.status).toBe('ok');
		expect(byItem.get('limit/c-small')!.vulnerable).toBe(true);
		// the first program warms the process's code up: a verdict, or on a machine loaded enough the limit too, nothing else
		const first = byItem.get('limit/a-small')!;
		if (first.status !== 'ok') expect(first.error).toMatch(/judge time limit/);
	}, 180_000);
});
