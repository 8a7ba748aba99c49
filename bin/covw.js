#!/usr/bin/env node
// `covw`: runs the TypeScript CLI (src/cli/main.ts) on Deno, from the `deno` npm package, with
// the narrowest permissions each command needs. Node only launches it: Node 20 cannot run
// TypeScript, and Deno's permission flags are how the CLI promises to read, write and connect
// only where it says.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DENO_V8_FLAGS, permissionsFor } from './permissions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The checkout's own node_modules/deno first (one stat); else wherever Node resolves the package.
const local = join(root, 'node_modules/deno/deno');
const denoBinary = existsSync(local) ? local : join(dirname(createRequire(import.meta.url).resolve('deno/package.json')), 'deno');

const args = process.argv.slice(2);
const flags = permissionsFor(args, { root, cwd: process.cwd(), env: process.env });
// DENO_V8_FLAGS: the young generation's size (see bin/permissions.js).
const child = spawn(
	denoBinary,
	['run', '--quiet', '--no-prompt', DENO_V8_FLAGS, ...flags, join(root, 'src/cli/main.ts'), ...args],
	{ stdio: 'inherit', env: { ...process.env, COVW_ROOT: root, COVW_LAUNCHER_PID: String(process.pid), NO_COLOR: process.env.NO_COLOR ?? '' } }
);
// A signal sent to this launcher alone (kill <pid>, a scheduler) reaches Deno, which cancels the
// run cleanly; one sent to the whole group (Ctrl-C, timeout) reaches it twice, and the CLI takes
// the second as the same request.
// Under nohup (SIGHUP ignored) a hang-up is neither forwarded nor taken: this launcher swallows
// it, as nohup means, and the CLI does the same (COVW_SIGHUP_IGNORED, passed on in env). Only the
// sh launcher (bin/covw, which `exec`s this file when no Deno is beside the checkout) can tell:
// Node resets every signal to its default before any script runs, so this process's own
// /proc/self/status never shows the ignored SIGHUP — `nohup node bin/covw.js …` cannot be told
// from a plain start, and a hang-up stops that run gracefully (nohup bin/covw is the way).
const sighupIgnored = process.env.COVW_SIGHUP_IGNORED === '1';
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => (signal === 'SIGHUP' && sighupIgnored ? undefined : child.kill(signal)));
child.on('error', (error) => {
	console.error(`covw: could not start Deno (${denoBinary}): ${error.message}`);
	process.exit(2);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
