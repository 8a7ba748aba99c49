import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to a temporary file next to `path` and flushes it to disk. The temp name
 * starts with a dot (hidden from listings) and ends in .tmp (ignored by git).
 */
async function writeTemp(path: string, data: Uint8Array): Promise<string> {
	const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
	const handle = await open(temp, 'wx');
	try {
		await handle.writeFile(data);
		await handle.sync();
	} catch (error) {
		await handle.close().catch(() => {});
		await unlink(temp).catch(() => {});
		throw error;
	}
	await handle.close();
	return temp;
}

/**
 * Replaces `path` with `data` atomically: readers see the old file or the new one, never a
 * mix, and a crash leaves the old file (plus at most a stray .tmp file).
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
	const temp = await writeTemp(path, data);
	try {
		await rename(temp, path);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
	await syncDirectory(dirname(path));
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
	try {
		await link(from, to);
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'EEXIST') return false;
		if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
		if (await exists(to)) return false;
		await rename(from, to);
		await syncDirectory(dirname(to));
		return true;
	}
	await unlink(from);
	await syncDirectory(dirname(to));
	return true;
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
async function syncDirectory(folder: string): Promise<void> {
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
