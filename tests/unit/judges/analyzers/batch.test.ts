// Batch mode: one tool process for many programs, findings split back per program.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
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
		const verdicts = await judgeBatchWithAnalyzer('bandit', inputs, { command: tool });
		expect(verdicts.map(summary)).toEqual(inputs.map(() => false));
		const calls = readFileSync(log, 'utf8').trim().split('\n');
		expect(calls).toHaveLength(1);
		expect(calls[0].split(' ').filter((a) => a.endsWith('.py'))).toHaveLength(25);
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
