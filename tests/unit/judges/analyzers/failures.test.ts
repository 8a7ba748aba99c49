// Missing tools, timeouts and crashes are status 'error', never a verdict.

import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBatchWithAnalyzer, judgeWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { listAnalyzers } from '../../../../src/lib/judges/analyzers/registry.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-analyzer-test-'));
const emptyBin = join(scratch, 'empty-bin');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable shell script standing in for a tool. */
function fakeTool(name: string, body: string): string {
	const path = join(scratch, name);
	writeFileSync(path, `#!/bin/sh\n${body}\n`);
	chmodSync(path, 0o755);
	return path;
}

const pythonInput = { code: 'print("hello")\n', language: 'python' as const, cwe: 'CWE-78' };

describe('a missing tool', () => {
	it('is an error naming the Debian package when PATH lacks it', async () => {
		const verdict = await judgeWithAnalyzer('bandit', pythonInput, { path: emptyBin });
		expect(verdict).toEqual({ status: 'error', tool: 'bandit', cwe: 'CWE-78', error: 'bandit is not installed: apt-get install bandit' });
	});

	it('is an error when an injected command name does not exist', async () => {
		const verdict = await judgeWithAnalyzer('cppcheck', { code: 'int main(void){return 0;}\n', language: 'c', cwe: '476' }, { command: 'cppcheck-that-does-not-exist' });
		expect(verdict.status).toBe('error');
		if (verdict.status === 'error') expect(verdict.error).toMatch(/^cppcheck is not installed .*cppcheck-that-does-not-exist.*apt-get install cppcheck$/);
	});

	it('shows as unavailable with the message in the judge list, without throwing', async () => {
		const list = await listAnalyzers({ bandit: { path: emptyBin }, cppcheck: { path: emptyBin }, flawfinder: { path: emptyBin }, gcc: { path: emptyBin }, clang: { path: emptyBin }, 'clang-taint': { path: emptyBin } });
		expect(list.map((a) => [a.tool, a.language, a.available])).toEqual([
			['bandit', 'python', false],
			['cppcheck', 'c', false],
			['flawfinder', 'c', false],
			['gcc', 'c', false],
			['clang', 'c', false],
			['clang-taint', 'c', false]
		]);
		expect(list[5].message).toBe('clang-taint is not installed (it runs "clang"): apt-get install clang');
		expect(list[2].message).toBe('flawfinder is not installed: apt-get install flawfinder');
	});

	it('an installed (fake) tool shows its version in the judge list', async () => {
		const tool = fakeTool('fake-bandit-version', 'echo "bandit 9.9.9"; echo "  python version = 3"');
		const [entry] = await listAnalyzers({ bandit: { command: tool } });
		expect(entry).toMatchObject({ tool: 'bandit', available: true, path: tool, version: 'bandit 9.9.9' });
	});
});

describe('a tool that misbehaves', () => {
	it('is killed at the timeout and every verdict of the batch is an error', async () => {
		const slow = fakeTool('slow-tool', 'sleep 30');
		const started = Date.now();
		const verdicts = await judgeBatchWithAnalyzer('bandit', [pythonInput, { ...pythonInput, cwe: 'CWE-502' }], { command: slow, timeoutMs: 300 });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(verdicts.map((v) => v.status)).toEqual(['error', 'error']);
		if (verdicts[0].status === 'error') expect(verdicts[0].error).toMatch(/timed out after 300 ms/);
	});

	it('an unexpected exit code is an error with the tool\'s message', async () => {
		const crash = fakeTool('crash-tool', 'echo "Segmentation fault" >&2; exit 139');
		const verdict = await judgeWithAnalyzer('flawfinder', { code: 'int x;\n', language: 'c', cwe: 'CWE-787' }, { command: crash });
		expect(verdict).toEqual({ status: 'error', tool: 'flawfinder', cwe: 'CWE-787', error: 'flawfinder exited with code 139: Segmentation fault' });
	});

	it('output it cannot read is an error, not "no findings"', async () => {
		const chatty = fakeTool('chatty-tool', 'echo "all good, nothing to report"');
		const verdict = await judgeWithAnalyzer('bandit', pythonInput, { command: chatty });
		expect(verdict.status).toBe('error');
		if (verdict.status === 'error') expect(verdict.error).toMatch(/could not read bandit's output: bandit output is not JSON/);
	});
});

describe('inputs', () => {
	it('code in the other language is an error for that input only', async () => {
		const tool = fakeTool('empty-bandit', `echo '{"errors": [], "results": []}'`);
		const verdicts = await judgeBatchWithAnalyzer('bandit', [{ code: 'int x;', language: 'c', cwe: 'CWE-787' }, pythonInput], { command: tool });
		expect(verdicts[0]).toEqual({ status: 'error', tool: 'bandit', cwe: 'CWE-787', error: 'bandit reads python code, not c' });
		expect(verdicts[1]).toEqual({ status: 'ok', tool: 'bandit', cwe: 'CWE-78', vulnerable: false, findings: [] });
	});

	it('an unknown target CWE or language is a caller bug: it throws naming the input and field', async () => {
		await expect(judgeBatchWithAnalyzer('bandit', [pythonInput, { ...pythonInput, cwe: 'CWE-1234' }])).rejects.toThrow(/analyzer input 1: field "cwe": "CWE-1234" is not one of the 18/);
		await expect(judgeWithAnalyzer('bandit', { ...pythonInput, language: 'rust' as never })).rejects.toThrow(/analyzer input 0: field "language"/);
	});

	it('the tool sees a small fixed environment, not the server\'s secrets', async () => {
		process.env.COVW_ANALYZER_TEST_SECRET = 'sk-should-not-leak';
		try {
			const envDump = join(scratch, 'env.txt');
			const tool = fakeTool('env-tool', `env > ${envDump}\necho '{"errors": [], "results": []}'`);
			expect((await judgeWithAnalyzer('bandit', pythonInput, { command: tool })).status).toBe('ok');
			const seen = readFileSync(envDump, 'utf8');
			expect(seen).not.toContain('sk-should-not-leak');
			expect(seen).toMatch(/^LC_ALL=C\.UTF-8$/m);
		} finally {
			delete process.env.COVW_ANALYZER_TEST_SECRET;
		}
	});

	it('the temporary folder is gone afterwards, also after a timeout', async () => {
		const root = mkdtempSync(join(scratch, 'root-'));
		const slow = fakeTool('slow-tool-2', 'sleep 30');
		await judgeWithAnalyzer('bandit', pythonInput, { command: slow, timeoutMs: 200, tempRoot: root });
		const quiet = fakeTool('quiet-bandit', `echo '{"errors": [], "results": []}'`);
		expect((await judgeWithAnalyzer('bandit', pythonInput, { command: quiet, tempRoot: root })).status).toBe('ok');
		expect(readdirSync(root)).toEqual([]);
	});
});
