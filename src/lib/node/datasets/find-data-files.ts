import { constants } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileKind } from '../../engine/atomic-file.ts';

export type DataFileFormat = 'csv' | 'jsonl' | 'arrow';

export interface DataFileRef {
	/** Relative to the data folder, forward slashes. */
	relativePath: string;
	absolutePath: string;
	format: DataFileFormat;
	/**
	 * Set when the file is listed but will not be read: a symbolic link that leads out of the
	 * data folder (to /proc/self/environ, ~/.ssh, …). Someone else's data folder must not make
	 * the workbench serve the files of whoever opens it.
	 */
	refused?: string;
}

export const LINK_OUT_OF_FOLDER = 'is a link to a file outside the data folder; links out of the data folder are not followed (copy the file in instead)';

const FORMAT_BY_EXTENSION: Record<string, DataFileFormat> = {
	csv: 'csv',
	jsonl: 'jsonl',
	arrow: 'arrow',
	arrows: 'arrow'
};

export function formatOf(fileName: string): DataFileFormat | undefined {
	const dot = fileName.lastIndexOf('.');
	if (dot <= 0) return undefined;
	return FORMAT_BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}

/**
 * Every data file under `root`, sorted by relative path so that table-name clashes are
 * always resolved the same way (the first in this order wins).
 *
 * Skipped: the top-level `templates/` folder (prompt templates, not tables), every dot-file
 * and dot-folder (`.git`, editor temp files, our own `.trash`). Symbolic links to files inside
 * the data folder are followed; a link to a file outside it is listed with `refused` set and
 * never read; symbolic links to folders are not followed (no cycles, no wandering out).
 * A missing root yields no files rather than an error: a fresh clone may have no datasets/.
 */
export async function findDataFiles(root: string): Promise<DataFileRef[]> {
	const found: DataFileRef[] = [];
	let realRoot: string;
	try {
		realRoot = await realpath(root);
	} catch (error) {
		if (isMissing(error)) return found;
		throw error;
	}
	await walk(realRoot, root, '', found);
	found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
	return found;
}

async function walk(realRoot: string, absoluteDir: string, relativeDir: string, found: DataFileRef[]): Promise<void> {
	let entries;
	try {
		entries = await readdir(absoluteDir, { withFileTypes: true });
	} catch (error) {
		if (relativeDir === '' && isMissing(error)) return;
		throw error;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue;
		const absolutePath = join(absoluteDir, entry.name);
		const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
		if (entry.isDirectory()) {
			if (relativeDir === '' && entry.name === 'templates') continue;
			await walk(realRoot, absolutePath, relativePath, found);
			continue;
		}
		const format = formatOf(entry.name);
		if (!format) continue;
		if (entry.isSymbolicLink()) {
			const target = await realpath(absolutePath).catch(() => undefined);
			if (target === undefined) continue; // dangling
			if (!isInside(realRoot, target)) {
				found.push({ relativePath, absolutePath, format, refused: LINK_OUT_OF_FOLDER });
				continue;
			}
			if (!(await stat(target).catch(() => undefined))?.isFile()) continue;
		} else if (!entry.isFile()) {
			continue;
		}
		found.push({ relativePath, absolutePath, format });
	}
}

/** True when `path` is strictly inside `folder` (both absolute, links resolved). */
function isInside(folder: string, path: string): boolean {
	const rel = relative(folder, path);
	return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A data file the folder's rules forbid reading (a link out of it, not a regular file). */
export class RefusedDataFileError extends Error {
	constructor(relativePath: string, reason: string) {
		super(`${relativePath} ${reason}`);
		this.name = 'RefusedDataFileError';
	}
}

/**
 * Opens a data file for reading, checked at open time (the folder may have changed since it
 * was listed): the path's links are resolved, the result must lie inside the data folder, and
 * the file itself is opened without following a link (O_NOFOLLOW) so it cannot be swapped for
 * one in between. Throws RefusedDataFileError, or the file system's error (ENOENT, …).
 */
export async function openDataFile(root: string, ref: DataFileRef): Promise<FileHandle> {
	if (ref.refused !== undefined) throw new RefusedDataFileError(ref.relativePath, ref.refused);
	const [realRoot, real] = await Promise.all([realpath(root), realpath(ref.absolutePath)]);
	if (!isInside(realRoot, real)) throw new RefusedDataFileError(ref.relativePath, LINK_OUT_OF_FOLDER);
	// O_NONBLOCK: a FIFO put in the file's place since it was listed must not hold the open (the
	// open waits for a writer); it is then refused below as not a regular file.
	const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
	try {
		const st = await handle.stat();
		if (!st.isFile()) throw new RefusedDataFileError(ref.relativePath, `${fileKind(st)}, not a regular file`);
	} catch (error) {
		await handle.close();
		throw error;
	}
	return handle;
}

function isMissing(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === 'ENOENT';
}
