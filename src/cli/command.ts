// The contract every `covw` subcommand implements. Kept free of Deno/Node globals so
// commands can be unit-tested by calling run() with a fake context.

export interface CliContext {
	/** Arguments after the command words, e.g. for `covw data import x --out y`: ['x', '--out', 'y']. */
	args: string[];
	/** Absolute path of the project root (where package.json lives). */
	root: string;
	/** The user's working directory: relative paths given on the command line start here. */
	cwd: string;
	stdout(text: string): void;
	stderr(text: string): void;
	/** True when stdout is a terminal (progress bars); false in CI and pipes (plain lines). */
	isTTY: boolean;
	env(name: string): string | undefined;
	/** Standard input, whole, for `-` (tests give it; otherwise the process's own is read: node/standard-input.ts). */
	stdin?: () => Promise<Uint8Array>;
}

export interface Command {
	/** Words that select the command, e.g. ['data', 'import'] or ['notebook', 'run']. */
	words: string[];
	summary: string;
	usage: string;
	/** Returns the process exit status. Throwing CliError prints its message and exits 2. */
	run(ctx: CliContext): Promise<number>;
}

/** A user mistake (bad flag, missing file): printed without a stack trace. */
export class CliError extends Error {}
