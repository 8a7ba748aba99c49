// "Is the tool installed?": a `which` over PATH, then `<tool> --version`.

import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runProcess } from './run-process.ts';
import type { AnalyzerAvailability, AnalyzerOptions, AnalyzerTool } from './types.ts';
import { which } from './which.ts';

export { which };

/** The command that runs `tool`: its executable (default: its name). */
export const commandOf = (tool: AnalyzerTool): string => tool.executable ?? tool.name;

export function notInstalledMessage(tool: AnalyzerTool, command: string): string {
	if (command === commandOf(tool) && command !== tool.name) return `${tool.name} is not installed (it runs "${command}"): apt-get install ${tool.debianPackage}`;
	return command === tool.name
		? `${tool.name} is not installed: apt-get install ${tool.debianPackage}`
		: `${tool.name} is not installed (no executable "${command}" found): apt-get install ${tool.debianPackage}`;
}

export async function toolAvailability(tool: AnalyzerTool, opts: AnalyzerOptions = {}): Promise<AnalyzerAvailability> {
	const command = opts.command ?? commandOf(tool);
	const base = { tool: tool.name, language: tool.language };
	const path = which(command, opts.path ?? process.env.PATH);
	if (!path) return { ...base, available: false, message: notInstalledMessage(tool, command) };
	const result = await runProcess(path, ['--version'], { cwd: tmpdir(), timeoutMs: opts.timeoutMs ?? 15_000 });
	if (result.status === 'error') return { ...base, available: false, path, message: `${tool.name} --version failed: ${result.error}` };
	const output = result.stdout.trim() || result.stderr.trim();
	const version = output.split('\n')[0].trim();
	if (result.exitCode !== 0) return { ...base, available: false, path, message: `${tool.name} --version exited with ${result.exitCode}: ${version}` };
	const limitations = tool.limitations?.(output) ?? [];
	return { ...base, available: true, path, version, ...(limitations.length > 0 ? { limitations } : {}) };
}

const versions = new Map<string, Promise<string | undefined>>();

/**
 * The first line of `<executable> --version`, as toolAvailability gives it (the run id and
 * `judge --list`), asked once per executable file (a new file at that path, e.g. an upgrade, is
 * asked again); undefined when it does not answer.
 */
export function executableVersion(executable: string): Promise<string | undefined> {
	let key = executable;
	try {
		const stat = statSync(executable);
		key = `${executable}\0${stat.mtimeMs}\0${stat.size}`;
	} catch {
		// gone: asked (and failing) below
	}
	let found = versions.get(key);
	if (!found) {
		found = runProcess(executable, ['--version'], { cwd: tmpdir(), timeoutMs: 15_000 }).then((result) => {
			const line = result.status === 'ok' && result.exitCode === 0 ? (result.stdout.trim() || result.stderr.trim()).split('\n')[0].trim() : '';
			if (!line) versions.delete(key); // asked again next time
			return line || undefined;
		});
		versions.set(key, found);
	}
	return found;
}
