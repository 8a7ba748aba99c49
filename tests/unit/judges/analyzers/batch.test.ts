// Batch mode: one tool process for many programs, findings split back per program.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer, pieceCount } from '../../../../src/lib/judges/analyzers/judge.ts';
import type { AnalyzerInput, AnalyzerVerdict } from '../../../../src/lib/judges/analyzers/types.ts';
import { fixture, installed } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-batch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const summary = (v: AnalyzerVerdict) => (v.status === 'ok' ? v.vulnerable : 'error');

describe('batch mode', () => {
	it('starts the tool once with every file of its language', async () => {
		const log = join(scratch, 'calls.log');
		const tool = join(scratch, 'recording-tool');
		writeFileSync(tool, `#!/bin/sh\necho "$@" >> ${log}\necho '{"errors": [], "results": []}'\n`);
		chmodSync(tool, 0o755);
		const inputs: AnalyzerInput[] = Array.from({ length: 25 }, (_, i) => ({ code: `x = ${i}\n`, language: 'python', cwe: 'CWE-502' }));
		const verdicts = await judgeBatchWithAnalyzer('bandit', inputs, { command: tool, parallel: 1 });
		expect(verdicts.map(summary)).toEqual(inputs.map(() => false));
		const calls = readFileSync(log, 'utf8').trim().split('\n');
		expect(calls).toHaveLength(1);
		expect(calls[0].split(' ').filter((a) => a.endsWith('.py'))).toHaveLength(25);
	});

	it('cuts only batches worth cutting: at least 8 programs a piece, at most 25 (or the tool\'s size)', () => {
		expect(pieceCount(4, 2)).toBe(1);
		expect(pieceCount(15, 2)).toBe(1);
		expect(pieceCount(16, 2)).toBe(2);
		expect(pieceCount(100, 2)).toBe(4);
		expect(pieceCount(100, 2, 50)).toBe(2);
		expect(pieceCount(100, 1)).toBe(4);
		expect(pieceCount(470, 2)).toBe(19);
	});

	it('cuts a large batch into pieces, every file in exactly one, at most `parallel` processes at a time', async () => {
		const log = join(scratch, 'pieces.log');
		const tool = join(scratch, 'overlap-tool');
		// each call logs its start and end; findings for the files that say "shell"
		writeFileSync(
			tool,
			`#!/bin/sh
shift 4
echo "start $$ $#" >> ${log}
sleep 0.2
printf '{"errors": [], "results": ['
sep=''
for f in "$@"; do if grep -q shell "$f"; then printf '%s{"filename": "%s", "test_id": "B602", "line_number": 1}' "$sep" "$f"; sep=','; fi; done
printf ']}'
echo "end $$ $@" >> ${log}
`
		);
		chmodSync(tool, 0o755);
		const inputs: AnalyzerInput[] = Array.from({ length: 200 }, (_, i) => ({ code: i % 3 === 0 ? `shell(${i})\n` : `x = ${i}\n`, language: 'python', cwe: 'CWE-78' }));
		const verdicts = await judgeBatchWithAnalyzer('bandit', inputs, { command: tool, parallel: 2 });
		expect(verdicts.map(summary)).toEqual(inputs.map((_, i) => i % 3 === 0));
		const lines = readFileSync(log, 'utf8').trim().split('\n');
		const ends = lines.filter((l) => l.startsWith('end '));
		expect(ends).toHaveLength(4); // 200 programs: 4 pieces of 50
		const seen = ends.flatMap((l) => l.split(' ').slice(2));
		expect(seen.sort()).toEqual(inputs.map((_, i) => `item-${i}.py`).sort());
		let running = 0;
		let most = 0;
		for (const l of lines) {
			running += l.startsWith('start ') ? 1 : -1;
			most = Math.max(most, running);
		}
		expect(most).toBeLessThanOrEqual(2);
		expect(most).toBeGreaterThanOrEqual(1);
	});

	it.skipIf(!installed('bandit'))('bandit: verdicts land on the right programs, a broken one only spoils itself', async () => {
		const py = (name: string, cwe: string): AnalyzerInput => ({ code: fixture(`python/${name}`), language: 'python', cwe });
		const verdicts = await judgeBatchWithAnalyzer('bandit', [
			py('cwe-502-fixed.py', 'CWE-502'),
			py('cwe-78-vulnerable.py', 'CWE-78'),
			py('syntax-error.py', 'CWE-78'),
			py('cwe-502-vulnerable.py', 'CWE-502'),
			py('cwe-78-fixed.py', 'CWE-78'),
			py('cwe-502-vulnerable.py', 'CWE-78')
		]);
		expect(verdicts.map(summary)).toEqual([false, true, 'error', true, false, false]);
		const third = verdicts[3];
		expect(third.status === 'ok' && third.findings.map((f) => f.rule)).toEqual(['B403', 'B301']);
	});

	it.skipIf(!installed('cppcheck'))('cppcheck: verdicts land on the right programs', async () => {
		const c = (name: string, cwe: string): AnalyzerInput => ({ code: fixture(`c/${name}`), language: 'c', cwe });
		const verdicts = await judgeBatchWithAnalyzer('cppcheck', [
			c('cwe-476-vulnerable.c', 'CWE-476'),
			c('cwe-476-fixed.c', 'CWE-476'),
			c('syntax-error.c', 'CWE-476'),
			c('cwe-416-fixed.c', 'CWE-416'),
			c('cwe-416-vulnerable.c', 'CWE-416'),
			// an out-of-bounds access counts for the read and the generic bounds CWE too
			c('cwe-787-index-vulnerable.c', 'CWE-125'),
			c('cwe-787-index-vulnerable.c', 'CWE-119')
		]);
		expect(verdicts.map(summary)).toEqual([true, false, 'error', false, true, true, true]);
	});

	it.skipIf(!installed('flawfinder'))('flawfinder: verdicts land on the right programs', async () => {
		const c = (name: string, cwe: string): AnalyzerInput => ({ code: fixture(`c/${name}`), language: 'c', cwe });
		const verdicts = await judgeBatchWithAnalyzer('flawfinder', [
			c('cwe-78-system-fixed.c', 'CWE-78'),
			c('cwe-787-strcpy-vulnerable.c', 'CWE-787'),
			c('cwe-787-strcpy-fixed.c', 'CWE-787'),
			c('cwe-78-system-vulnerable.c', 'CWE-78'),
			// findings that map to other CWEs are no verdict for this one
			c('cwe-787-strcpy-vulnerable.c', 'CWE-190')
		]);
		expect(verdicts.map(summary)).toEqual([false, true, false, true, false]);
	});
});
