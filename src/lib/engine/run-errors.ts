// The two ways a run stops before its units do: a setup the user must fix (bad run id, params
// that differ from the existing run's, bad units), and a local failure while writing (a full
// disk, a folder we may not write). A local failure is never a connection failure: nothing is
// re-sent because of it, and the message names the file and says how to go on.

export class RunSetupError extends Error {}

/**
 * A batch run's Batch API call failed for good (after its retries, on every replica): the run
 * stops; what is recorded in its batch folder (batch ids included) is kept, so running the same
 * command again resumes it and never submits a recorded batch again. Not bad input.
 */
export class BatchApiError extends Error {}

export class RunStorageError extends Error {
	constructor(
		message: string,
		/** The system error code (ENOSPC, EACCES, EROFS…), when there is one. */
		readonly code: string | null = null
	) {
		super(message);
	}
}

/** Wraps a failed write of `what` at `path` as a RunStorageError (kept as is if it already is one). */
export function storageFailure(what: string, path: string, error: unknown): RunStorageError {
	if (error instanceof RunStorageError) return error;
	const code = (error as { code?: unknown })?.code;
	const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
	if (code === 'ELINKREFUSED') return new RunStorageError(`${reason}; the run stopped`, code);
	return new RunStorageError(
		`${path}: cannot write ${what} (${reason}); the run stopped — free space or fix the folder's permissions, then run the same command again to resume`,
		typeof code === 'string' ? code : null
	);
}
