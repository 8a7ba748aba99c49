// Test helper: the real `covw` launcher (node bin/covw.js → Deno with its narrow permissions),
// in a child process with only the environment a test gives it (plus PATH, HOME, NO_COLOR).
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/covw.js');

export interface CovwResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

export function runCovw(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CovwResult> {
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [LAUNCHER, ...args], {
			cwd: options.cwd,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...options.env }
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', fail);
		child.on('close', (status) => done({ status, stdout, stderr }));
	});
}
