// One source for the folder rules (issue 8 item 6): the server (node/paths.ts), the CLI
// (run-setup.ts) and the Deno permissions the launcher grants (bin/permissions.js) agree on
// every folder, and no other file reads the folder variables itself.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { permissionsFor } from '../../../bin/permissions.js';
import { runFolders } from '../../../src/cli/commands/run-setup.ts';
import { cacheDir, dataDir, notebooksDir, projectFolders, projectRoot, runsDir } from '../../../src/lib/node/paths.ts';
import { fakeContext } from '../cli/fake-context.ts';

const repo = resolve(import.meta.dirname, '../../..');
const VARS = ['COVW_ROOT', 'COVW_DATA', 'COVW_NOTEBOOKS', 'COVW_RUNS', 'COVW_CACHE'];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
	for (const v of VARS) {
		if (saved[v] === undefined) delete process.env[v];
		else process.env[v] = saved[v];
	}
});

const settings: Array<Record<string, string>> = [
	{},
	{ COVW_RUNS: '/data/runs' },
	{ COVW_CACHE: '/var/cache/covw', COVW_DATA: '/data/sets' },
	{ COVW_RUNS: 'relative/runs', COVW_NOTEBOOKS: '/nb' }
];

describe('the folder rules', () => {
	it('default to folders under the project root', () => {
		expect(projectFolders(() => undefined, '/p')).toEqual({
			root: '/p',
			data: '/p/datasets',
			notebooks: '/p/notebooks',
			runs: '/p/runs',
			cache: '/p/cache'
		});
	});

	it.each(settings)('are the same for the server, the CLI and the Deno permissions: %o', (env) => {
		// bin/covw.js starts the CLI with COVW_ROOT = the checkout, whatever the caller had.
		const root = '/checkout';
		for (const v of VARS) delete process.env[v];
		Object.assign(process.env, env, { COVW_ROOT: root });
		const server = { runs: runsDir(), cache: cacheDir(), data: dataDir(), notebooks: notebooksDir(), root: projectRoot() };
		const cli = runFolders(fakeContext([], { root, cwd: process.cwd(), env: { ...env, COVW_ROOT: root } }));
		expect(cli).toMatchObject({ runsDir: server.runs, cacheDir: server.cache, dataDir: server.data });
		const writes = (args: string[]) => permissionsFor(args, { root, cwd: process.cwd(), env }).find((f: string) => f.startsWith('--allow-write='));
		expect(writes(['cache', 'prune'])).toBe(`--allow-write=${server.cache}`);
		expect(writes(['run', 'completion', '--model', 'm'])).toBe(`--allow-write=${server.runs},${server.cache}`);
	});

	it('are read from the environment in folder-rules.js only', () => {
		const reads = /(env\(['"]|env\.|process\.env\.|env\[['"])COVW_(ROOT|DATA|NOTEBOOKS|RUNS|CACHE)\b/;
		// Known places that read one variable for their own purpose, not a folder rule of their own:
		const allowed = new Set([
			'src/cli/main.ts', // the CLI's default root (COVW_ROOT, else the working directory): folder-rules' defaultRoot
			'src/cli/commands/notebook.ts', // `notebook run` lets --data override COVW_DATA (owned by 'security')
			'bin/start.js', // sets COVW_ROOT for the server, reads nothing
			'src/lib/node/folder-rules.js' // the rules
		]);
		const offenders = [...files(join(repo, 'src')), ...files(join(repo, 'bin'))]
			.map((f) => relative(repo, f))
			.filter((f) => !allowed.has(f) && reads.test(readFileSync(join(repo, f), 'utf8')));
		expect(offenders).toEqual([]);
	});
});

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : /\.(ts|js|svelte)$/.test(name) ? [path] : [];
	});
}
