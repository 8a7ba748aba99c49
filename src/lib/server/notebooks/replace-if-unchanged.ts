// Compare-and-swap for a file that other programs (editors, git) may write at any moment.
//
// POSIX has no "rename if the target is still X". Checking the version and then renaming a
// new file over the path loses any edit made in between (issue 9 item 6). Instead:
//   1. the new bytes go to a temp file and are flushed (slow; nothing else is touched yet);
//   2. the current file is renamed aside — from then on no one can write it by its path;
//   3. what was set aside is checked against the expected version;
//   4. the new file is linked in only if nothing appeared at the path meanwhile (no-clobber).
// An edit that had started before step 2 shows in step 3 (an O_TRUNC open already emptied the
// file); an edit made after step 2 creates a new file at the path and makes step 4 fail. Either
// way the other program's version stays at the path and the caller is told (`lost`), with
// what is on disk now; the caller still holds its own text. For the moment between steps 2
// and 4, other readers find no file at the path.
import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';
import { ensureTrash } from './trash-folder.ts';
import { basename, dirname, join } from 'node:path';
import { linkNoClobber, syncDirectory, writeFlushed } from './atomic-file.ts';

export type ReplaceResult =
	| { replaced: true }
	/** `current`: the bytes at the path now (null: no file); `keptAs`: where an intermediate version was kept. */
	| { replaced: false; current: Uint8Array | null; keptAs?: string };

export interface ReplaceOptions {
	/** Whether the set-aside bytes are the version the caller expected. */
	isExpected(bytes: Uint8Array): boolean;
	/** Where to keep a version that would otherwise be lost (two edits racing one save). */
	keepFolder: string;
}

const hidden = (path: string, tag: string) => join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${tag}`);

export async function replaceIfUnchanged(path: string, data: Uint8Array, options: ReplaceOptions): Promise<ReplaceResult> {
	const temp = hidden(path, 'tmp');
	await writeFlushed(temp, data);
	const aside = hidden(path, 'prev');
	try {
		try {
			await rename(path, aside);
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return { replaced: false, current: await readOrNull(path) };
			throw error;
		}
		const previous = await readRegularFileAsync(aside);
		if (!options.isExpected(previous)) {
			// Changed since the caller read it: put that version back where it was.
			if (await linkNoClobber(aside, path)) return { replaced: false, current: await readOrNull(path) };
			// …and yet another version appeared at the path meanwhile: keep both of theirs.
			const keptAs = await keep(aside, path, options.keepFolder);
			return { replaced: false, current: await readOrNull(path), keptAs };
		}
		if (!(await linkNoClobber(temp, path))) {
			// A new file appeared at the path after the set-aside: it stays, ours is refused.
			return { replaced: false, current: await readOrNull(path) };
		}
		await syncDirectory(dirname(path));
		return { replaced: true };
	} finally {
		await unlink(temp).catch(() => {});
		await unlink(aside).catch(() => {});
	}
}

async function keep(from: string, path: string, folder: string): Promise<string> {
	await ensureTrash(folder);
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	for (let attempt = 0; ; attempt++) {
		const target = join(folder, `${basename(path, '.md')}-${stamp}-overwritten${attempt ? `-${attempt}` : ''}.md`);
		if (await linkNoClobber(from, target)) return target;
	}
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
	try {
		return await readRegularFileAsync(path);
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return null;
		throw error;
	}
}
