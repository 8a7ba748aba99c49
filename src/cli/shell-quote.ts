// Arguments of a command the CLI prints for the user to copy ("next: python -m vllm… --model <m>"):
// POSIX single-quoted unless plain, so a model or file name like `m; curl … | sh #` stays one
// argument when pasted into a shell.

/** One argument for a POSIX shell: as is when only safe characters, else in single quotes. */
export function shellQuote(arg: string): string {
	if (arg !== '' && /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(arg)) return arg;
	return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A printed command line: every argument through shellQuote. */
export function shellCommand(args: string[]): string {
	return args.map(shellQuote).join(' ');
}
