// Robust analyzer runs: a planted slow program times out on its own (its batch goes on), Python
// code is dedented before analysis, and a tool version that cannot see some checks says so.
// The tools here are stand-in shell scripts; no real analyzer is needed.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dedent } from '../../../../src/lib/judges/analyzers/dedent.ts';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { listAnalyzers } from '../../../../src/lib/judges/analyzers/registry.ts';
import { banditLimitations } from '../../../../src/lib/judges/analyzers/tools/bandit.ts';
import type { AnalyzerInput } from '../../../../src/lib/judges/analyzers/types.ts';
import { installed, slowAwareBandit } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-per-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const py = (code: string): AnalyzerInput => ({ code, language: 'python', cwe: 'CWE-78' });

describe('a timeout per program', () => {
	it('a slow program gets its own error; the rest of its batch still gets verdicts', async () => {
		const log = join(scratch, 'calls-1.log');
		const tool = slowAwareBandit(mkdtempSync(join(scratch, 'bin-')), log);
		const inputs = [py('run("shell")\n'), py('x = 1\n'), py('# SLOW\nx = 2\n'), py('shell = 3\n')];
		const verdicts = await judgeBatchWithAnalyzer('bandit', inputs, { command: tool, timeoutMs: 400, batchTimeoutMs: 800 });
		expect(verdicts.map((v) => (v.status === 'ok' ? v.vulnerable : 'error'))).toEqual([true, false, 'error', true]);
		const slow = verdicts[2];
		expect(slow.status === 'error' && slow.error).toMatch(/timed out after 400 ms/);
		// One batch call with all four files, then one call per file.
		const calls = readFileSync(log, 'utf8').trim().split('\n');
		expect(calls[0].split(' ')).toHaveLength(4);
		expect(calls.slice(1).map((c) => c.split(' ').length)).toEqual([1, 1, 1, 1]);
	});

	it('a batch that succeeds is not split', async () => {
		const log = join(scratch, 'calls-2.log');
		const tool = slowAwareBandit(mkdtempSync(join(scratch, 'bin-')), log);
		const verdicts = await judgeBatchWithAnalyzer('bandit', [py('x = 1\n'), py('shell()\n')], { command: tool, timeoutMs: 400 });
		expect(verdicts.map((v) => v.status)).toEqual(['ok', 'ok']);
		expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
	});
});

describe('Python code is dedented before analysis', () => {
	it('dedent removes the shared margin only, keeping lines and relative indentation', () => {
		expect(dedent('    def f(self):\n        return 1\n')).toBe('def f(self):\n    return 1\n');
		expect(dedent('\tif x:\n\t\ty()\n\n')).toBe('if x:\n\ty()\n\n');
		expect(dedent('  a\n    b\n')).toBe('a\n  b\n');
		expect(dedent('x = 1\n    y\n')).toBe('x = 1\n    y\n');
		expect(dedent('    a\n  \n    b')).toBe('a\n\nb');
	});

	it('the tool sees the dedented code', async () => {
		const seen = join(scratch, 'seen.py');
		const tool = join(scratch, 'copying-tool');
		writeFileSync(tool, `#!/bin/sh\nshift 4\ncat "$1" > ${seen}\necho '{"errors": [], "results": []}'\n`);
		chmodSync(tool, 0o755);
		await judgeBatchWithAnalyzer('bandit', [py('    def list_folder(self, folder):\n        return folder\n')], { command: tool });
		expect(readFileSync(seen, 'utf8')).toBe('def list_folder(self, folder):\n    return folder\n');
	});

	it.skipIf(!installed('bandit'))('real bandit parses an indented method once dedented', async () => {
		const [v] = await judgeBatchWithAnalyzer('bandit', [
			{ code: '    def run(self, folder):\n        import subprocess\n        return subprocess.call("ls " + folder, shell=True)\n', language: 'python', cwe: 'CWE-78' }
		]);
		expect(v.status === 'ok' && v.vulnerable).toBe(true);
	});
});

describe('a tool that is only partly able says why', () => {
	it('bandit before 1.7 on Python 3.8+ is blind to B608 and B105', () => {
		const [reason] = banditLimitations('bandit 1.6.2\n  python version = 3.11.2 (main) [GCC 12.2.0]');
		expect(reason).toMatch(/B608/);
		expect(reason).toMatch(/B105/);
		expect(reason).toMatch(/CWE-89/);
		expect(banditLimitations('bandit 1.7.5\n  python version = 3.11.2')).toEqual([]);
		expect(banditLimitations('bandit 1.6.2\n  python version = 3.7.9')).toEqual([]);
	});

	it('the availability of an installed tool carries its limitations', async () => {
		const tool = join(scratch, 'old-bandit');
		writeFileSync(tool, '#!/bin/sh\necho "bandit 1.6.2"; echo "  python version = 3.11.2"\n');
		chmodSync(tool, 0o755);
		const [entry] = await listAnalyzers({ bandit: { command: tool } });
		expect(entry).toMatchObject({ tool: 'bandit', available: true, version: 'bandit 1.6.2' });
		expect(entry.limitations?.[0]).toMatch(/never reports B608/);
	});
});
