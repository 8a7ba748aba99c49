// The notebooks' trash (`notebooks/.trash/`: deleted notebooks, and a file's version a save
// would have overwritten). Created with its own `.gitignore` ("*") so `git add notebooks` never
// commits what was thrown away; an existing .gitignore there is left as it is.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TRASH = '.trash';

/** Makes the trash folder (with its .gitignore) if needed; returns its path. */
export async function trashFolder(notebooksFolder: string): Promise<string> {
	return ensureTrash(join(notebooksFolder, TRASH));
}

/** `trash` is the trash folder's own path. */
export async function ensureTrash(trash: string): Promise<string> {
	await mkdir(trash, { recursive: true });
	await writeFile(join(trash, '.gitignore'), '# deleted and overwritten notebooks: not for git\n*\n', { flag: 'wx' }).catch((error) => {
		if ((error as { code?: string }).code !== 'EEXIST') throw error;
	});
	return trash;
}
