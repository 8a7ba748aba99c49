// bin/covw, the sh launcher: it must start Deno with exactly the permission flags bin/permissions.js
// computes (what `node bin/covw.js` passes), the same environment, and the CLI's arguments
// untouched — whatever quotes, spaces or `$` they hold — from wherever it is called (npm links
// it from node_modules/.bin). A copy of the launcher in a temporary checkout whose
// node_modules/deno/deno is a stand-in: it runs the real Deno for the flags stage
// (bin/covw-flags.js) and, for the CLI itself, prints what it was given instead of running it.
// Then the real launcher end to end: `exec` makes Deno the launched process, and a SIGTERM to it
// cancels a run cleanly (against the local TEST DOUBLE, tests/support/openai-test-server.ts).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENO_V8_FLAGS, permissionsFor } from '../../../bin/permissions.js';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const REAL_DENO = join(ROOT, 'node_modules/deno/deno');

const work = tempDir('covw-sh-launcher-');
// A checkout with a space and a quote in its path: the launcher quotes it everywhere.
const fake = join(work.path, "check out's");
afterAll(() => work.remove());

beforeAll(() => {
	for (const file of ['bin/covw', 'bin/covw-flags.js', 'bin/covw-flags.import-map.json', 'bin/posix-path.js', 'bin/permissions.js', 'src/lib/node/folder-rules.js', 'package.json']) {
		mkdirSync(dirname(join(fake, file)), { recursive: true });
		copyFileSync(join(ROOT, file), join(fake, file));
	}
	chmodSync(join(fake, 'bin/covw'), 0o755);
	mkdirSync(join(fake, 'node_modules/deno'), { recursive: true });
	// The stand-in Deno: the flags stage runs for real; the CLI's start prints its environment and
	// arguments, NUL-separated.
	const standIn = join(fake, 'node_modules/deno/deno');
	writeFileSync(
		standIn,
		[
			'#!/bin/sh',
			`case "$8" in */bin/covw-flags.js) exec '${REAL_DENO}' "$@" ;; esac`,
			`printf '%s\\0' "COVW_ROOT=$COVW_ROOT" "NO_COLOR=\${NO_COLOR-(unset)}" "COVW_LAUNCHER_PID=\${COVW_LAUNCHER_PID-(unset)}" "$@"`,
			''
		].join('\n')
	);
	chmodSync(standIn, 0o755);
});

/** What the stand-in Deno was started with: its environment's three variables and its arguments. */
function launch(launcher: string, args: string[], env: Record<string, string>, cwd: string) {
	const out = execFileSync(launcher, args, { cwd, env, encoding: 'utf8' });
	const words = out.split('\0').slice(0, -1);
	return { env: words.slice(0, 3), argv: words.slice(3) };
}

/** What bin/covw.js would start Deno with, for the fake checkout. */
function expected(args: string[], env: Record<string, string>, cwd: string): string[] {
	const flags: string[] = permissionsFor(args, { root: fake, cwd, env });
	return ['run', '--quiet', '--no-prompt', DENO_V8_FLAGS, ...flags, join(fake, 'src/cli/main.ts'), ...args];
}

describe('bin/covw (the sh launcher)', () => {
	const cwd = () => join(work.path, 'cwd');
	beforeAll(() => {
		mkdirSync(cwd(), { recursive: true });
		writeFileSync(join(cwd(), 'covw.config.json'), JSON.stringify({ endpoints: { a: { baseURL: 'http://10.1.2.3:8000/v1', models: { m: {} } }, b: { replicas: ['http://10.9.9.9:81/v1'], models: { m: {} } } } }));
		// A config with a byte-order mark: Node's JSON.parse refuses it, so no endpoint is granted;
		// the Deno stage must read it the same way.
		writeFileSync(join(cwd(), 'bom.json'), `\uFEFF${JSON.stringify({ endpoints: { c: { baseURL: 'http://10.7.7.7:1/v1', models: { m: {} } } } })}`);
	});

	const shapes: [string, string[]][] = [
		['run with the working folder\'s config', ['run', 'detection', '--model', 'a/m', '--samples', '4']],
		['run with --config', ['run', 'completion', '--model', 'c/m', '--config=bom.json']],
		['run without a config file', ['run', 'completion', '--model', 'm', '--config', 'missing.json']],
		['an LLM judge', ['judge', 'r1', '--judge', 'a/m']],
		['the analyzers (subprocesses, temp folder)', ['judge', 'r1', '--judge', 'analyzers']],
		['an ensemble', ['judge', 'r1', '--judge', 'ensemble:any:rules+cppcheck+a/m']],
		['export with quotes, spaces and $ in the path', ['export', 'sft', '--out', "out dir/it's $HOME `x`.jsonl"]],
		['data import', ['data', 'import', 'somewhere', '--out', 'a\nb']],
		['evolve', ['evolve', '--model', 'a/m']],
		['a listing', ['runs']],
		['no arguments', []]
	];
	for (const [name, args] of shapes) {
		it(`passes bin/permissions.js's flags and the arguments unchanged: ${name}`, () => {
			const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work.path, COVW_RUNS: join(work.path, "runs 'x'"), COVW_LAUNCHER_PID: '1', TMPDIR: join(work.path, 'tmp/') };
			const got = launch(join(fake, 'bin/covw'), args, env, cwd());
			expect(got.argv).toEqual(expected(args, env, cwd()));
			// As bin/covw.js: COVW_ROOT is the checkout, NO_COLOR set (empty when unset); and no
			// launcher pid (Deno replaces the launcher: there is none to watch).
			expect(got.env).toEqual([`COVW_ROOT=${fake}`, 'NO_COLOR=', 'COVW_LAUNCHER_PID=(unset)']);
		});
	}

	it('finds its checkout through a link (as npm links node_modules/.bin/covw), and keeps NO_COLOR', () => {
		const bin = join(work.path, 'elsewhere/node_modules/.bin');
		mkdirSync(bin, { recursive: true });
		symlinkSync(join('..', '..', '..', "check out's", 'bin', 'covw'), join(bin, 'covw'));
		expect(readlinkSync(join(bin, 'covw')).startsWith('..')).toBe(true);
		const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', OPENAI_BASE_URL: 'http://10.4.4.4:9/v1' };
		const args = ['run', 'repair', '--model', 'm'];
		const got = launch(join(bin, 'covw'), args, env, cwd());
		expect(got.argv).toEqual(expected(args, env, cwd()));
		expect(got.env[0]).toBe(`COVW_ROOT=${fake}`);
		expect(got.env[1]).toBe('NO_COLOR=1');
	});
});

describe('bin/covw end to end', () => {
	let server: TestServer;
	let itemsFile: string;
	beforeAll(async () => {
		server = await startTestServer({ rules: ANSWER_RULES, latencyMs: 400 });
		itemsFile = writeItemsFile(join(work.path, 'data'));
	});
	afterAll(async () => server.close());

	it('prints the help as node bin/covw.js does', () => {
		const sh = spawnSync(join(ROOT, 'bin/covw'), ['--help'], { encoding: 'utf8' });
		const node = spawnSync(process.execPath, [join(ROOT, 'bin/covw.js'), '--help'], { encoding: 'utf8' });
		expect(sh.status).toBe(0);
		expect(sh.stdout).toBe(node.stdout);
		expect(sh.stdout).toMatch(/^Usage: covw <command>/);
	});

	it('is Deno itself once started, and a SIGTERM to it cancels a run cleanly', async () => {
		const runs = join(work.path, 'runs-term');
		const child = spawn(join(ROOT, 'bin/covw'), ['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--samples', '40'], {
			cwd: work.path,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-sh', COVW_RUNS: runs, COVW_CACHE: join(work.path, 'cache-term') }
		});
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		child.stdout.on('data', () => {});
		const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
		const logged = () => {
			const id = existsSync(runs) ? readdirSync(runs)[0] : undefined;
			return id !== undefined && existsSync(join(runs, id, 'log.jsonl')) && readFileSync(join(runs, id, 'log.jsonl'), 'utf8').length > 0;
		};
		await expect.poll(() => logged() || stderr, { timeout: 60_000, interval: 100 }).toBe(true);
		// exec: the process started as the launcher is now Deno.
		expect(readlinkSync(`/proc/${child.pid}/exe`)).toBe(realpathSync(REAL_DENO));
		child.kill('SIGTERM');
		expect(await exit).toBe(1);
		expect(stderr).toMatch(/stopping: \d+ requests? in flight will be saved/);
		const id = readdirSync(runs)[0];
		expect(JSON.parse(readFileSync(join(runs, id, 'manifest.json'), 'utf8')).state).toBe('cancelled');
	}, 120_000);
});
