import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, realpath, stat } from 'node:fs/promises';
import { readAtMost } from './read-at-most.ts';
import { textOverLimit } from '../../notebook/size-limit.ts';
import { join, resolve } from 'node:path';
import { createFileAtomic, moveNoClobber } from './atomic-file.ts';
import { replaceIfUnchanged } from './replace-if-unchanged.ts';
import { frontMatterTitle } from './front-matter-title.ts';
import { KeyedLock } from './keyed-lock.ts';
import { TRASH, trashFolder } from './trash-folder.ts';
import {
	ConflictError,
	InvalidNotebookNameError,
	NotebookConflictMarkersError,
	NotebookExistsError,
	NotebookNotFoundError,
	NotebookTooLargeError
} from './notebook-errors.ts';
import { NOTEBOOK_NAME_PATTERN, isInside, notebookPath } from './notebook-name.ts';
import { decodeNotebook } from '../../notebook/decode.ts';
import { NOTEBOOK_MAX_BYTES } from '../../notebook/format.ts';
import { conflictMarkersMessage, findConflictMarkers } from '../../notebook/conflict-markers.ts';

export interface NotebookSummary {
	name: string;
	/** From the front matter's `title:` line; null when there is none. */
	title: string | null;
	size: number;
	mtimeMs: number;
	/** Set when the notebook cannot be opened (over NOTEBOOK_MAX_BYTES): why, naming the limit. */
	problem?: string;
}

export interface NotebookFile {
	name: string;
	text: string;
	/** sha256 of the file's bytes, hex. Pass it back to write() to prove what you edited. */
	version: string;
}

/** `<project>/notebooks`: where the workbench keeps notebooks unless told otherwise. */
export function defaultNotebookFolder(projectRoot: string): string {
	return join(projectRoot, 'notebooks');
}

export function versionOf(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

// The size limit is the notebook format's (notebook/format.ts), shared with `covw notebook run`.
export { NOTEBOOK_MAX_BYTES };
/** How much of a file the listing reads for its front matter's title. */
const TITLE_BYTES = 16 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A folder of `<name>.md` notebooks. Every write is atomic (temp file, fsync, rename) and
 * guarded by the version the writer last read, so a change made elsewhere is never
 * overwritten silently. Nothing is ever destroyed: delete moves the file into `.trash/`.
 */
export class NotebookStore {
	readonly folder: string;
	private readonly lock = new KeyedLock();
	/** Renames done through this store while the server runs (old name → new), so a page still on the old name hears where it went. */
	private readonly renames = new Map<string, string>();

	constructor(folder: string) {
		this.folder = resolve(folder);
	}

	/** Notebooks sorted by name. Files whose names the store would refuse are not listed. */
	async list(): Promise<NotebookSummary[]> {
		let entries;
		try {
			entries = await readdir(this.folder, { withFileTypes: true });
		} catch (error) {
			if (codeOf(error) === 'ENOENT') return [];
			throw error;
		}
		const names = entries
			.filter((entry) => entry.name.endsWith('.md') && (entry.isFile() || entry.isSymbolicLink()))
			.map((entry) => entry.name.slice(0, -3))
			.filter((name) => NOTEBOOK_NAME_PATTERN.test(name))
			.sort();
		const summaries: NotebookSummary[] = [];
		for (const name of names) {
			try {
				const path = await this.existingPath(name);
				const info = await stat(path);
				// A link to a folder named `x.md` is not a notebook (and must not fail the list).
				if (!info.isFile()) continue;
				if (info.size > NOTEBOOK_MAX_BYTES) {
					const problem = new NotebookTooLargeError(name, info.size, NOTEBOOK_MAX_BYTES).message;
					summaries.push({ name, title: null, size: info.size, mtimeMs: info.mtimeMs, problem });
					continue;
				}
				summaries.push({ name, title: frontMatterTitle(decoder.decode(await readPrefix(path, TITLE_BYTES))), size: info.size, mtimeMs: info.mtimeMs });
			} catch (error) {
				// Deleted between readdir and read, or a link pointing out of the folder: skip it.
				if (error instanceof NotebookNotFoundError || error instanceof InvalidNotebookNameError) continue;
				throw error;
			}
		}
		return summaries;
	}

	async read(name: string): Promise<NotebookFile> {
		// Under the lock: a save in progress briefly has the file set aside (replace-if-unchanged.ts).
		const bytes = await this.lock.run([name], () => this.readBytes(name));
		if (bytes === null) throw new NotebookNotFoundError(name);
		return { name, text: decodeNotebook(bytes, `${name}.md`), version: versionOf(bytes) };
	}

	/**
	 * Saves `text` if the file on disk is still `expectedVersion`; otherwise throws a
	 * ConflictError carrying what is on disk now. Returns the new version. The check and the
	 * replacement are one compare-and-swap against other programs too (replace-if-unchanged.ts):
	 * an edit made on disk while this save runs stays on disk and this save is refused; the
	 * caller still holds its text, so both versions survive and the conflict is reported.
	 */
	async write(name: string, text: string, expectedVersion: string): Promise<{ version: string }> {
		const path = notebookPath(this.folder, name);
		requireText(text);
		requireSize(name, text, 'save');
		return this.lock.run([name], async () => {
			const current = await this.readBytes(name);
			const currentVersion = current === null ? null : versionOf(current);
			if (currentVersion !== expectedVersion) throw conflict(name, expectedVersion, current, undefined, current === null ? await this.renamedTo(name) : null);
			const bytes = encoder.encode(text);
			const version = versionOf(bytes);
			if (version === currentVersion) return { version };
			// Markers a page would write back as text: refused, whichever client sends them.
			const markers = findConflictMarkers(text);
			if (markers) throw new NotebookConflictMarkersError(name, conflictMarkersMessage(markers));
			const result = await replaceIfUnchanged(path, bytes, {
				isExpected: (onDisk) => versionOf(onDisk) === expectedVersion,
				keepFolder: join(this.folder, TRASH)
			});
			if (!result.replaced) throw conflict(name, expectedVersion, result.current, result.keptAs);
			return { version };
		});
	}

	/** Creates a new notebook; NotebookExistsError if the name is taken. */
	async create(name: string, text: string): Promise<{ version: string }> {
		const path = notebookPath(this.folder, name);
		requireText(text);
		requireSize(name, text, 'create');
		return this.lock.run([name], async () => {
			await mkdir(this.folder, { recursive: true });
			const bytes = encoder.encode(text);
			if (!(await createFileAtomic(path, bytes))) throw new NotebookExistsError(name);
			return { version: versionOf(bytes) };
		});
	}

	/** Renames a notebook; NotebookExistsError if `newName` is taken (nothing is replaced). */
	async rename(oldName: string, newName: string): Promise<void> {
		const from = notebookPath(this.folder, oldName);
		const to = notebookPath(this.folder, newName);
		if (oldName === newName) {
			await this.existingPath(oldName);
			return;
		}
		await this.lock.run([oldName, newName], async () => {
			await this.existingPath(oldName);
			if (!(await moveNoClobber(from, to))) throw new NotebookExistsError(newName);
			this.renames.set(oldName, newName);
			this.renames.delete(newName);
		});
	}

	/**
	 * Moves the notebook to `.trash/<name>-<timestamp>.md` and returns that path, relative to the
	 * folder. With `expectedVersion`, refuses (ConflictError) to trash a file changed since.
	 */
	async delete(name: string, expectedVersion?: string): Promise<{ trashedAs: string }> {
		const from = notebookPath(this.folder, name);
		return this.lock.run([name], async () => {
			// A file over the size limit is trashed unread (it can never have been opened, so no
			// version to compare): deleting is how the user gets rid of it from the page.
			const current = await this.readBytes(name).catch((error) => {
				if (error instanceof NotebookTooLargeError && expectedVersion === undefined) return undefined;
				throw error;
			});
			if (current === null) throw new NotebookNotFoundError(name);
			if (current !== undefined && expectedVersion !== undefined && versionOf(current) !== expectedVersion) {
				throw new ConflictError(name, expectedVersion, versionOf(current), decoder.decode(current));
			}
			const trash = await trashFolder(this.folder);
			const stamp = new Date().toISOString().replace(/[:.]/g, '-');
			for (let attempt = 0; ; attempt++) {
				const fileName = `${name}-${stamp}${attempt === 0 ? '' : `-${attempt}`}.md`;
				if (await moveNoClobber(from, join(trash, fileName))) return { trashedAs: `${TRASH}/${fileName}` };
			}
		});
	}

	/**
	 * Where a notebook this server renamed is now (following later renames), when that file is
	 * there; null when it was not renamed here (deleted, or moved by another program).
	 */
	private async renamedTo(name: string): Promise<string | null> {
		let now = name;
		for (let hops = 0; hops < 100 && this.renames.has(now); hops++) now = this.renames.get(now)!;
		if (now === name) return null;
		return (await this.readBytes(now).catch(() => null)) === null ? null : now;
	}

	/**
	 * The file's bytes, or null when it does not exist; NotebookTooLargeError, before anything is
	 * read, when it is over NOTEBOOK_MAX_BYTES (a FIFO or device is refused by readAtMost).
	 */
	private async readBytes(name: string): Promise<Uint8Array | null> {
		try {
			const path = await this.existingPath(name);
			const { size } = await stat(path);
			if (size > NOTEBOOK_MAX_BYTES) throw new NotebookTooLargeError(name, size, NOTEBOOK_MAX_BYTES);
			// Grown since the stat: read no further than the limit and one byte (read-at-most.ts).
			const { bytes, over } = await readAtMost(path, NOTEBOOK_MAX_BYTES);
			if (over) throw new NotebookTooLargeError(name, bytes.byteLength, NOTEBOOK_MAX_BYTES, { atLeast: true });
			return bytes;
		} catch (error) {
			if (error instanceof NotebookNotFoundError || codeOf(error) === 'ENOENT') return null;
			throw error;
		}
	}

	/**
	 * The notebook's path after resolving symbolic links, refused when that lands outside the
	 * folder (a link planted in notebooks/ must not expose or overwrite other files).
	 */
	private async existingPath(name: string): Promise<string> {
		const path = notebookPath(this.folder, name);
		let real: string;
		try {
			real = await realpath(path);
		} catch (error) {
			if (codeOf(error) === 'ENOENT') throw new NotebookNotFoundError(name);
			throw error;
		}
		const realFolder = await realpath(this.folder);
		if (!isInside(realFolder, real)) {
			throw new InvalidNotebookNameError(name, 'is a link to a file outside the notebooks folder');
		}
		return path;
	}
}

function conflict(name: string, expectedVersion: string, current: Uint8Array | null, keptAs?: string, renamedTo: string | null = null): ConflictError {
	const error = new ConflictError(name, expectedVersion, current === null ? null : versionOf(current), current === null ? null : decoder.decode(current), renamedTo);
	if (keptAs !== undefined) error.message += `; an intermediate version was kept as ${keptAs.split(/[\\/]/).slice(-2).join('/')}`;
	return error;
}

/** A text the store would refuse to read back is refused when saved (same limit, in UTF-8 bytes). */
function requireSize(name: string, text: string, as: 'save' | 'create'): void {
	const size = textOverLimit(text, NOTEBOOK_MAX_BYTES);
	if (size !== null) throw new NotebookTooLargeError(name, size, NOTEBOOK_MAX_BYTES, { as });
}

/** The first `limit` bytes of the file (fewer when it is shorter). */
async function readPrefix(path: string, limit: number): Promise<Uint8Array> {
	// O_NONBLOCK: a FIFO swapped in after the listing's stat never holds a thread.
	const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const buffer = new Uint8Array(limit);
		const { bytesRead } = await handle.read(buffer, 0, limit, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Request bodies are untyped: `undefined` must not be saved as the text "undefined". */
function requireText(text: unknown): asserts text is string {
	if (typeof text !== 'string') throw new TypeError(`notebook text must be a string, got ${typeof text}`);
}

function codeOf(error: unknown): string | undefined {
	return (error as { code?: string } | null)?.code;
}
