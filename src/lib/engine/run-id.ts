// What a run id may be: a plain name, never a path. Every run id that comes from a user (a
// --run-id, a judge's source run, `covw runs show <id>`) goes through checkRunId before a file
// is opened, so `../../outside/x` cannot reach a folder outside the runs folder.
import { RunSetupError } from './run-errors.ts';

/** Letters, digits, '.', '_' and '-'; starts with a letter or digit; at most 128 characters. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class RunIdError extends RunSetupError {}

export function isRunId(id: unknown): id is string {
	return typeof id === 'string' && RUN_ID_PATTERN.test(id);
}

/** The id itself when it is a plain run id; otherwise a RunIdError naming it. */
export function checkRunId(id: unknown, what = 'run id'): string {
	if (isRunId(id)) return id;
	const shown = typeof id === 'string' ? JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id) : String(id);
	throw new RunIdError(`${what} ${shown} must be letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit), not a path`);
}
