// A CliContext that records what a command prints, for calling Command.run() in tests.
import type { CliContext } from '../../../src/cli/command.ts';

export interface RecordedContext extends CliContext {
	out: string[];
	err: string[];
}

export function fakeContext(args: string[], options: { root: string; cwd: string; env?: Record<string, string> }): RecordedContext {
	const out: string[] = [];
	const err: string[] = [];
	return {
		args,
		root: options.root,
		cwd: options.cwd,
		stdout: (text) => out.push(text),
		stderr: (text) => err.push(text),
		isTTY: false,
		env: (name) => options.env?.[name],
		out,
		err
	};
}
