import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Creates `path` (it must not exist) with `data`, flushed to disk; on failure nothing is left. */
export async function writeFlushed(path: string, data: Uint8Array): Promise<void> {
	const handle = await open(path, 'wx');
	try {
		await handle.writeFile(data);
		await handle.sync();
	} catch (error) {
		await handle.close().catch(() => {});
		await unlink(path).catch(() => {});
		throw error;
	}
	await handle.close();
}

/**
 * Writes `data` to a temporary file next to `path` and flushes it to disk. The temp name
 * starts with a dot (hidden from listings) and ends in .tmp (ignored by git).
 */
async function writeTemp(path: string, data: Uint8Array): Promise<string> {
	const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
	await writeFlushed(temp, data);
	return temp;
}

/**
 * Creates `path` with `data` only if nothing is there: returns false, leaving the existing
 * file alone, otherwise. `link` fails with EEXIST atomically, which `rename` (it replaces) and
 * an exists-check followed by a write (a race) cannot give.
 */
export async function createFileAtomic(path: string, data: Uint8Array): Promise<boolean> {
	const temp = await writeTemp(path, data);
	try {
		return await moveNoClobber(temp, path);
	} finally {
		await unlink(temp).catch(() => {});
	}
}

/**
 * Gives `from` the new name `to` unless `to` exists (then returns false and changes nothing).
 * Hard link + unlink: atomic no-clobber. Where the file system has no hard links, falls back
 * to a check then a rename, which another process could race.
 */
export async function moveNoClobber(from: string, to: string): Promise<boolean> {
	if (!(await linkNoClobber(from, to))) return false;
	await unlink(from).catch((error) => {
		if ((error as { code?: string }).code !== 'ENOENT') throw error; // the rename fallback moved it
	});
	await syncDirectory(dirname(to));
	return true;
}

/**
 * Gives `from`'s file the name `to` as well, unless `to` exists (then false). A hard link is an
 * atomic no-clobber; where the file system has none, a check then a rename (which another
 * process could race), after which `from` is gone.
 */
export async function linkNoClobber(from: string, to: string): Promise<boolean> {
	try {
		await link(from, to);
		return true;
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'EEXIST') return false;
		if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
		if (await exists(to)) return false;
		await rename(from, to);
		return true;
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		const handle = await open(path, 'r');
		await handle.close();
		return true;
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return false;
		throw error;
	}
}

/** Makes a rename durable. Best effort: some platforms cannot open or fsync a directory. */
export async function syncDirectory(folder: string): Promise<void> {
	try {
		const handle = await open(folder, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// Windows and some file systems refuse; the rename itself is still atomic.
	}
}
