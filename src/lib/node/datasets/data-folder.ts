import { join } from 'node:path';
import { findDataFiles, openDataFile, RefusedDataFileError, type DataFileRef } from './find-data-files.ts';
import { DATA_LIMITS, fileLimit, type DataLimits } from './limits.ts';
import { byteSize, byteSizeExact } from '../../core/text/byte-size.ts';
import { loadDataFile, type LoadedTable } from './load-table.ts';
import { DataFileError, type TableInfo } from './table-info.ts';
import { tableNameFor } from './table-name.ts';

/** `<project>/datasets`: where the workbench looks for tables unless told otherwise. */
export function defaultDataRoot(projectRoot: string): string {
	return join(projectRoot, 'datasets');
}

export class UnknownTableError extends Error {
	constructor(readonly table: string) {
		super(`no table named "${table}" in the data folder`);
		this.name = 'UnknownTableError';
	}
}

interface CacheEntry {
	size: number;
	mtimeMs: number;
	result: Promise<LoadedTable | { error: string }>;
}

interface Listed {
	info: TableInfo;
	ref?: DataFileRef;
}

/**
 * The data folder as a set of tables. Parsed files are cached on (path, size, mtimeMs), so a
 * page reload re-reads no unchanged file; every `scan()` walks the folder again, so new,
 * removed and changed files show up. A file that fails to load is listed with its error and
 * does not stop the others.
 *
 * Parsing runs on the calling thread: a very large CSV holds the event loop while it parses
 * (once; afterwards it is served from the cache).
 */
export class DataFolder {
	private readonly cache = new Map<string, CacheEntry>();
	private listed = new Map<string, Listed>();

	constructor(
		readonly root: string,
		readonly limits: DataLimits = DATA_LIMITS
	) {}

	/** Every table, sorted by file path. Table-name clashes: the first file keeps the name. */
	async scan(): Promise<TableInfo[]> {
		const refs = await findDataFiles(this.root);
		const owners = new Map<string, string>();
		const listed = new Map<string, Listed>();
		const infos: TableInfo[] = [];
		const seenPaths = new Set<string>();

		for (const ref of refs) {
			seenPaths.add(ref.absolutePath);
			const name = tableNameFor(ref.relativePath);
			const owner = owners.get(name);
			if (owner !== undefined) {
				infos.push({
					name,
					file: ref.relativePath,
					rows: 0,
					columns: [],
					error: `${ref.relativePath}: table name "${name}" is already taken by ${owner}; rename one of the two files`
				});
				continue; // not parsed: it could not be served under its name anyway
			}
			owners.set(name, ref.relativePath);
			const loaded = await this.load(ref);
			const info: TableInfo =
				'error' in loaded
					? { name, file: ref.relativePath, rows: 0, columns: [], error: loaded.error }
					: { name, file: ref.relativePath, rows: loaded.rows, columns: loaded.columns, ...(loaded.warnings ? { warnings: loaded.warnings } : {}) };
			infos.push(info);
			listed.set(name, { info, ref });
		}
		for (const path of this.cache.keys()) if (!seenPaths.has(path)) this.cache.delete(path);
		this.listed = listed;
		return infos;
	}

	/**
	 * The table's Arrow IPC stream bytes, current as of now: the file is re-checked (stat) and
	 * re-parsed if it changed since the last scan. The same Uint8Array is handed to every
	 * caller: do not modify it (copy it first if a consumer detaches or transfers buffers).
	 * Throws UnknownTableError, or DataFileError when the file does not load.
	 */
	async ipcStream(name: string): Promise<Uint8Array> {
		let entry = this.listed.get(name);
		if (!entry) {
			await this.scan();
			entry = this.listed.get(name);
		}
		if (!entry?.ref) throw new UnknownTableError(name);
		let loaded: LoadedTable | { error: string };
		try {
			loaded = await this.load(entry.ref);
		} catch (error) {
			if ((error as { code?: string }).code !== 'ENOENT') throw error;
			this.listed.delete(name); // removed since the last scan
			throw new UnknownTableError(name);
		}
		if ('error' in loaded) throw new DataFileError(loaded.error);
		return loaded.ipcStream;
	}

	/** Parses a file unless the cache holds it at this size and mtime. */
	private async load(ref: DataFileRef): Promise<LoadedTable | { error: string }> {
		let handle;
		try {
			// Checked at open time: a link out of the data folder is never read.
			handle = await openDataFile(this.root, ref);
		} catch (error) {
			if (error instanceof RefusedDataFileError) return { error: error.message };
			throw error;
		}
		try {
			// Stat through the open handle so the stat and the bytes describe the same file.
			const { size, mtimeMs } = await handle.stat();
			// Before a byte is read: a file the reader cannot take fails at once, not after reading it.
			const limit = fileLimit(this.limits, ref.format);
			if (size > limit.bytes) {
				const [shownSize, shownLimit] = sizeAndLimit(size, limit.bytes);
				return { error: `${ref.relativePath}: ${shownSize} is over the limit of ${shownLimit} for ${limit.what}` };
			}
			const cached = this.cache.get(ref.absolutePath);
			if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return await cached.result;
			const limits = this.limits;
			const result = handle.readFile().then(
				(buffer) => parseOrError(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), ref, limits),
				(error: Error) => ({ error: `${ref.relativePath}: cannot read (${error.message})` })
			);
			this.cache.set(ref.absolutePath, { size, mtimeMs, result });
			return await result;
		} finally {
			await handle.close();
		}
	}
}

/** A size and its limit in words, with exact byte counts when the words alone would be the same ("500 MiB … of 500 MiB"). */
function sizeAndLimit(size: number, limit: number): [string, string] {
	const [a, b] = [byteSize(size), byteSize(limit)];
	return a === b ? [byteSizeExact(size), byteSizeExact(limit)] : [a, b];
}

function parseOrError(bytes: Uint8Array, ref: DataFileRef, limits: DataLimits): LoadedTable | { error: string } {
	const limit = fileLimit(limits, ref.format);
	if (bytes.byteLength > limit.bytes) {
		// Grew between the stat and the read.
		return { error: `${ref.relativePath}: over the limit of ${byteSize(limit.bytes)} for ${limit.what}` };
	}
	try {
		return loadDataFile(bytes, ref.format, ref.relativePath, limits);
	} catch (error) {
		if (error instanceof DataFileError) return { error: error.message };
		// Anything else is our bug or a resource limit; still one table, not the whole folder.
		return { error: `${ref.relativePath}: could not be loaded (${(error as Error).message})` };
	}
}
