// Runs one external tool with a deadline and collects its output. No shell: the argv goes to
// the executable as is. The tool gets its own process group so a timeout kills its children too,
// and a memory watchdog (group-memory.ts) kills the group once its processes together hold more
// than the memory limit resident (gcc's cc1 and as, clang's -cc1 count with the driver).

import { spawn } from 'node:child_process';
import { watchGroupMemory } from './group-memory.ts';
import { killProcessGroup } from './kill-group.ts';

export type ProcessResult =
	| { status: 'ok'; exitCode: number; stdout: string; stderr: string }
	| { status: 'error'; error: string };

export interface RunProcessOptions {
	cwd: string;
	timeoutMs: number;
	env?: Record<string, string>;
	/** Resident memory the tool's whole process group may hold, in MB (default
	 * DEFAULT_MEMORY_LIMIT_MB; Infinity: not watched). Past it the group is killed: an error. */
	memoryLimitMb?: number;
}

/** Memory limit of one tool's process group when none is given: 1 GB. */
export const DEFAULT_MEMORY_LIMIT_MB = 1024;

const OUTPUT_LIMIT = 256 * 1024 * 1024;

export function runProcess(executable: string, args: readonly string[], opts: RunProcessOptions): Promise<ProcessResult> {
	const limitMb = opts.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
	if (!(limitMb > 0)) return Promise.reject(new Error(`memoryLimitMb must be a number of MB above 0, got ${limitMb}`));
	return new Promise((resolve) => {
		const stdout: Buffer[] = [];
		const stderr: Buffer[] = [];
		let size = 0;
		let settled = false;
		const finish = (result: ProcessResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			stopWatch();
			resolve(result);
		};
		const child = spawn(executable, [...args], {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
			shell: false
		});
		const killGroup = () => {
			if (child.pid !== undefined) killProcessGroup(child.pid, () => child.kill('SIGKILL'));
			else child.kill('SIGKILL');
		};
		// detached: the tool leads its own process group, whose id is its pid
		const stopWatch =
			child.pid !== undefined && Number.isFinite(limitMb)
				? watchGroupMemory(child.pid, limitMb * 1024 * 1024, (resident) => {
						finish({ status: 'error', error: `${executable} was killed for using too much memory: its processes held ${Math.ceil(resident / (1024 * 1024))} MB, over the limit of ${limitMb} MB` });
						killGroup();
					})
				: () => {};
		const timer = setTimeout(() => {
			killGroup();
			finish({ status: 'error', error: `${executable} timed out after ${opts.timeoutMs} ms` });
		}, opts.timeoutMs);
		const collect = (into: Buffer[]) => (chunk: Buffer) => {
			size += chunk.length;
			if (size > OUTPUT_LIMIT) {
				killGroup();
				finish({ status: 'error', error: `${executable} printed more than ${OUTPUT_LIMIT} bytes` });
				return;
			}
			into.push(chunk);
		};
		child.stdout.on('data', collect(stdout));
		child.stderr.on('data', collect(stderr));
		child.on('error', (error: NodeJS.ErrnoException) => {
			finish({ status: 'error', error: error.code === 'ENOENT' ? `${executable}: not found` : `${executable}: ${error.message}` });
		});
		child.on('close', (code, signal) => {
			if (signal) {
				finish({ status: 'error', error: `${executable} was killed by ${signal}` });
				return;
			}
			finish({ status: 'ok', exitCode: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
		});
	});
}
