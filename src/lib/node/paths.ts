// Where the server and CLI find things. Each folder can be moved with an environment variable
// (tests point them at temporary folders; users at their own data). The rules themselves are in
// ./folder-rules.js, the one source that bin/permissions.js (plain Node) reads too.
import process from 'node:process';
import { projectFolders, type ProjectFolders } from './folder-rules.js';

export { projectFolders, type ProjectFolders };

/** The folders from this process's environment; COVW_ROOT defaults to the working directory. */
function folders(): ProjectFolders {
	return projectFolders((name) => process.env[name], process.cwd());
}

export function projectRoot(): string {
	return folders().root;
}
export function dataDir(): string {
	return folders().data;
}
export function notebooksDir(): string {
	return folders().notebooks;
}
export function runsDir(): string {
	return folders().runs;
}
export function cacheDir(): string {
	return folders().cache;
}
