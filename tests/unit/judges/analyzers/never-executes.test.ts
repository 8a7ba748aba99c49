// The judged code is only read: a program that would leave a marker file when run must not.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { installed } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'covw-marker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!installed('bandit'))('bandit never runs the code it judges', () => {
	it('leaves no marker file behind, at import time or in a __main__ block', async () => {
		const marker = join(scratch, 'was-executed');
		const code = [
			'import os',
			'import pathlib',
			`pathlib.Path(${JSON.stringify(marker)}).write_text("ran at import")`,
			'',
			'if __name__ == "__main__":',
			`    os.system("touch " + ${JSON.stringify(marker)})`,
			''
		].join('\n');
		const verdict = await judgeWithAnalyzer('bandit', { code, language: 'python', cwe: 'CWE-78' });
		expect(verdict.status).toBe('ok');
		if (verdict.status === 'ok') expect(verdict.vulnerable).toBe(true); // it did read it: os.system with a built string
		expect(existsSync(marker)).toBe(false);
	});
});
