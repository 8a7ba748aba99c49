import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidNotebookNameError } from './notebook-errors.ts';

/**
 * A notebook name is the file's stem: lower-case letters, digits, `_` and `-`, starting with a
 * letter or digit, at most 64 characters. This whitelist is the path-traversal guard: no `.`,
 * `/`, `\`, `%`, NUL or drive letter can get through, whether a URL was decoded or not.
 */
export const NOTEBOOK_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function checkNotebookName(name: unknown): string {
	if (typeof name !== 'string') throw new InvalidNotebookNameError(name, 'not a string');
	if (!NOTEBOOK_NAME_PATTERN.test(name)) {
		throw new InvalidNotebookNameError(
			name,
			'use 1-64 characters: a-z, 0-9, "_" or "-", starting with a letter or digit (no extension, no path)'
		);
	}
	return name;
}

/**
 * The absolute path of notebook `name` in `folder`. Checks the name, then checks the resolved
 * path once more (defence in depth: a later change to the pattern must not open a hole).
 */
export function notebookPath(folder: string, name: unknown): string {
	const checked = checkNotebookName(name);
	const base = resolve(folder);
	const path = resolve(base, `${checked}.md`);
	if (!isInside(base, path)) throw new InvalidNotebookNameError(name, 'resolves outside the notebooks folder');
	return path;
}

/** True when `path` is strictly inside `folder` (both absolute, already resolved). */
export function isInside(folder: string, path: string): boolean {
	const rel = relative(folder, path);
	return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
