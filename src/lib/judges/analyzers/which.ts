// Where an executable is on PATH: the one lookup for the analyzers and the helpers their runs use
// (ps, kill), the same as bin/permissions.js makes for the CLI's --allow-run. No other import, so
// run-process.ts and its helpers can use it without a cycle through locate-tool.ts.
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Absolute path of an executable file named `command` on `path`, or null. A relative PATH entry
 * is skipped, as bin/permissions.js skips it: it would find a program in whatever folder the
 * command runs in, which the CLI is never allowed to run.
 */
export function which(command: string, path: string = process.env.PATH ?? ''): string | null {
	const candidates = command.includes('/')
		? [isAbsolute(command) ? command : join(process.cwd(), command)]
		: path
				.split(delimiter)
				.filter((dir) => dir && isAbsolute(dir))
				.map((dir) => join(dir, command));
	for (const candidate of candidates) {
		try {
			// Mode bits rather than access(X_OK): Deno's access() needs an extra permission.
			const stat = statSync(candidate);
			if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate;
		} catch {
			// not here
		}
	}
	return null;
}
