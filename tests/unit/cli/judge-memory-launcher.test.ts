// The analyzers' memory limit through the real CLI (launcher → Deno with its narrow permissions,
// which allow no /proc but ps): a C macro bomb judged by gcc under `--memory 100` is an error row
// saying gcc was killed for memory, and a plain program next to it still gets its verdict; no
// process of gcc's (cc1) outlives the run.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { which } from '../../../src/lib/judges/analyzers/locate-tool.ts';
import { runCovw } from '../../support/covw-process.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { writeItemsFile } from '../runs/fixtures.ts';

const program = (name: string, code: string): Item => ({
	item_id: `reference/pearce/CWE-476/memory-demo/${name}`, task: 'reference', set: 'pearce', cwe: 'CWE-476', language: 'c', scenario: 'memory-demo',
	code, label: 'vulnerable', label_class: 'CWE-476', source: 'tests/unit/cli/judge-memory-launcher.test.ts'
});
// ten to the eighth copies of a declaration: gcc's preprocessor grows until something stops it
const BOMB = program('bomb', '#define A(x) x x x x x x x x x x\n#define B(x) A(A(x))\n#define C(x) B(B(x))\n#define D(x) C(C(x))\nvoid f(void) { D(int y;) }\n');
const PLAIN = program('plain', 'int first(int *p) { return p[0]; }\n');

const ready = existsSync('/proc/self/stat') && which('gcc') !== null && which('ps') !== null;
if (!ready) console.warn('judge-memory-launcher test skipped: needs Linux, gcc and ps');

let work: { path: string; remove: () => void };
let itemsFile: string;
beforeAll(() => {
	work = tempDir('covw-judge-memory-');
	itemsFile = writeItemsFile(join(work.path, 'data'), [BOMB, PLAIN]);
});
afterAll(() => work.remove());

describe.skipIf(!ready)('covw judge --memory through the launcher', () => {
	it('kills gcc on the macro bomb (an error row naming gcc and the limit, cc1 too) and judges the plain program', async () => {
		const runs = join(work.path, 'runs');
		// the tools' scratch folders go here: a process still working in one afterwards is a leftover
		const tmp = join(work.path, 'tmp');
		mkdirSync(tmp);
		const leftovers = () =>
			readdirSync('/proc').filter((pid) => {
				try {
					return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`).startsWith(tmp);
				} catch {
					return false; // gone, or a zombie
				}
			});
		let r;
		try {
			r = await runCovw(['judge', '--items', 'pearce', '--items-file', itemsFile, '--judge', 'gcc', '--memory', '100', '--run-id', 'bomb'], { cwd: work.path, env: { COVW_RUNS: runs, COVW_CACHE: join(work.path, 'cache'), TMPDIR: tmp } });
			expect(leftovers()).toEqual([]);
		} finally {
			for (const pid of leftovers()) process.kill(Number(pid), 'SIGKILL');
		}
		expect(r.stderr).not.toMatch(/NotCapable|PermissionDenied/);
		expect(r.status).toBe(1); // some judgements failed
		const rows = readFileSync(join(runs, 'bomb', 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((row) => row.status);
		const bomb = rows.find((row) => JSON.stringify(row).includes('memory-demo/bomb'));
		const plain = rows.find((row) => JSON.stringify(row).includes('memory-demo/plain'));
		expect(bomb?.status).toBe('error');
		expect(bomb?.error).toMatch(/^gcc failed: \S*gcc was killed for using too much memory: its processes held \d+ MB, over the limit of 100 MB$/);
		expect(plain?.status).toBe('ok');
	}, 120_000);
});
