/** Errors the notebook store throws; routes map them to 400 / 404 / 409. */
import { notebookTooLargeMessage, type TooLargeOptions } from '../../notebook/size-limit.ts';

export class InvalidNotebookNameError extends Error {
	constructor(readonly input: unknown, reason: string) {
		super(`invalid notebook name ${describe(input)}: ${reason}`);
		this.name = 'InvalidNotebookNameError';
	}
}

export class NotebookNotFoundError extends Error {
	constructor(readonly notebook: string) {
		super(`notebook "${notebook}" does not exist`);
		this.name = 'NotebookNotFoundError';
	}
}

export class NotebookExistsError extends Error {
	constructor(readonly notebook: string) {
		super(`notebook "${notebook}" already exists`);
		this.name = 'NotebookExistsError';
	}
}

/**
 * The file on disk is not the version the caller last read: someone else (another tab, an
 * editor, git) changed or deleted it. Carries what is on disk now so the UI can show both
 * sides; `currentVersion`/`currentText` are null when the file was deleted.
 */
export class ConflictError extends Error {
	constructor(
		readonly notebook: string,
		readonly expectedVersion: string,
		readonly currentVersion: string | null,
		readonly currentText: string | null,
		/** Gone because this server renamed it: its name now (the store remembers its renames while it runs). */
		readonly renamedTo: string | null = null
	) {
		super(
			currentVersion === null
				? renamedTo !== null
					? `notebook "${notebook}" was renamed to "${renamedTo}" since it was opened`
					: `notebook "${notebook}" was deleted on disk since it was opened`
				: `notebook "${notebook}" changed on disk since it was opened (expected version ${expectedVersion.slice(0, 12)}…, found ${currentVersion.slice(0, 12)}…)`
		);
		this.name = 'ConflictError';
	}
}

/** A save whose text holds git merge-conflict markers: it would write them back as content (notebook/conflict-markers.ts). */
export class NotebookConflictMarkersError extends Error {
	constructor(
		readonly notebook: string,
		message: string
	) {
		super(`notebook "${notebook}" not saved: ${message}`);
		this.name = 'NotebookConflictMarkersError';
	}
}

function describe(input: unknown): string {
	if (typeof input !== 'string') return `(${typeof input})`;
	const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
	return JSON.stringify(shown);
}

/**
 * The notebook file is over the size limit (notebook-store.ts, NOTEBOOK_MAX_BYTES): it is not
 * read, listed with this reason, and opening it answers with this message naming file and limit;
 * a save or create over it says "Not saved" / "Not created" (notebook/size-limit.ts words it).
 */
export class NotebookTooLargeError extends Error {
	constructor(
		readonly notebook: string,
		readonly size: number,
		readonly limit: number,
		options: TooLargeOptions = {}
	) {
		super(notebookTooLargeMessage(notebook, size, limit, options));
		this.name = 'NotebookTooLargeError';
	}
}
