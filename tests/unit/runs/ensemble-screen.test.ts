// An ensemble gets no verdict on code the screen refuses (core/judges/rules/screen.ts): its
// members (rules, flawfinder) each give an error row with the reason, so the ensemble's row for
// that target is an error too, never "vulnerable"/"secure". The flawfinder here is a stand-in
// that flags every file it is given (a strcpy on line 1), so a verdict on the Go program would
// show that it reached the tool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const item = (name: string, code: string, label: 'vulnerable' | 'non_vulnerable'): Item => ({
	item_id: `reference/pearce/CWE-787/screen-demo/${name}`,
	task: 'reference',
	set: 'pearce',
	scenario: 'screen-demo',
	cwe: 'CWE-787',
	language: 'c',
	code,
	label,
	label_class: label === 'vulnerable' ? 'CWE-787' : 'non_vulnerable',
	source: 'tests/unit/runs/ensemble-screen.test.ts'
});
const GO = item('go-as-c', 'package names\n\nimport "fmt"\n\nfunc Copy(dst []byte, src string) int {\n\tn := copy(dst, src)\n\tfmt.Println(n)\n\treturn n\n}\n', 'vulnerable');
const NUL = item('nul-bytes', '\u0000\u0001ELF\u0002 garbage\n\u0000', 'vulnerable');
const C = item('c-copy', '#include <string.h>\n\nvoid keep(char *dst, const char *src)\n{\n    strcpy(dst, src);\n}\n', 'vulnerable');

let work: { path: string; remove: () => void };
let bin: string;
beforeAll(() => {
	work = tempDir('covw-ensemble-screen-');
	bin = join(work.path, 'bin');
	mkdirSync(bin, { recursive: true });
	writeFileSync(
		join(bin, 'flawfinder'),
		`#!/bin/sh
if [ "$1" = "--version" ]; then echo "2.0.19"; exit 0; fi
echo 'File,Line,Column,DefaultLevel,Level,Category,Name,Warning,Suggestion,Note,CWEs,Context,Fingerprint,ToolVersion,RuleId,HelpUri'
for f in "$@"; do
  case "$f" in --*) continue;; esac
  echo "$f,1,1,4,4,buffer,strcpy,Does not check for buffer overflows (CWE-120).,,,CWE-120,x,0,2.0.19,FF1001,"
done
`
	);
	chmodSync(join(bin, 'flawfinder'), 0o755);
});
afterAll(() => work.remove());

describe('ensemble:any:rules+flawfinder on code the screen refuses', () => {
	it('gives no verdict on Go handed in as C or on NUL bytes; judges the C program', async () => {
		const runsDir = join(work.path, 'runs');
		const out = await runJudge({ runsDir, judge: 'ensemble:any:rules+flawfinder', itemSet: 'pearce', items: [GO, NUL, C], analyzer: { path: `${bin}:${process.env.PATH}` }, onWarning: () => {} });
		const rows = (id: string) => new Map(readRun(runsDir, id, () => {})!.rows.map((r) => [String(r.meta.item_id), r]));
		const [rules, flawfinder] = out.members!.map((m) => rows(m.runId));
		const ensemble = rows(out.runId);
		for (const refused of [GO, NUL]) {
			expect(rules.get(refused.item_id)!.status).toBe('error');
			expect(rules.get(refused.item_id)!.error).toMatch(/cannot judge this code: /);
			expect(flawfinder.get(refused.item_id)!.status).toBe('error');
			expect(flawfinder.get(refused.item_id)!.error).toMatch(/^flawfinder: cannot judge this code: /);
			expect(ensemble.get(refused.item_id)!.status).toBe('error');
			expect(ensemble.get(refused.item_id)!.meta.vulnerable).toBeNull();
		}
		expect(flawfinder.get(GO.item_id)!.error).toMatch(/this is Go, not C/);
		// the C program reaches the (stand-in) tool and gets a verdict
		expect(flawfinder.get(C.item_id)!.meta.vulnerable).toBe(true);
		expect(ensemble.get(C.item_id)!.meta.vulnerable).toBe(true);
	}, 60_000);
});
