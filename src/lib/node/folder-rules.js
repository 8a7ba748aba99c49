// The project's folder rules, in one place: where the data, notebooks, runs and response cache
// live, each movable with an environment variable (tests point them at temporary folders, users
// at their own data). Plain JavaScript typed with JSDoc because bin/permissions.js — run by
// Node 20 before Deno starts, and Node 20 cannot import TypeScript — must grant exactly these
// folders. The server reads them through ./paths.ts, the CLI through
// src/cli/commands/run-setup.ts; neither spells a rule again.
import { resolve } from 'node:path';

/**
 * @typedef {object} ProjectFolders
 * @property {string} root       COVW_ROOT, else the default root given
 * @property {string} data       COVW_DATA, else <root>/datasets
 * @property {string} notebooks  COVW_NOTEBOOKS, else <root>/notebooks
 * @property {string} runs       COVW_RUNS, else <root>/runs
 * @property {string} cache      COVW_CACHE, else <root>/cache
 */

/**
 * The folders, as absolute paths (relative settings are taken from the working directory).
 * @param {(name: string) => string | undefined} env  reads an environment variable
 * @param {string} defaultRoot  the project root when COVW_ROOT is not set
 * @returns {ProjectFolders}
 */
export function projectFolders(env, defaultRoot) {
	const root = resolve(env('COVW_ROOT') ?? defaultRoot);
	/** @param {string} name @param {string} folder */
	const folder = (name, folder) => resolve(env(name) ?? resolve(root, folder));
	return {
		root,
		data: folder('COVW_DATA', 'datasets'),
		notebooks: folder('COVW_NOTEBOOKS', 'notebooks'),
		runs: folder('COVW_RUNS', 'runs'),
		cache: folder('COVW_CACHE', 'cache')
	};
}
