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
import { permissionsFor } from './permissions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The checkout's own node_modules/deno first (one stat); else wherever Node resolves the package.
const local = join(root, 'node_modules/deno/deno');
const denoBinary = existsSync(local) ? local : join(dirname(createRequire(import.meta.url).resolve('deno/package.json')), 'deno');

const args = process.argv.slice(2);
const flags = permissionsFor(args, { root, cwd: process.cwd(), env: process.env });
// A smaller young generation: V8 otherwise grows it to tens of MB while a run allocates
// answers, rows and requests, and keeps those pages (peak RSS of `covw run detection
// --samples 4`, bench/cli-run.js: ~180 MB with the default, ~142 MB with 2 MB, for ~0.1 s more
// CPU of ~1.6 s, as more scavenges run; the live heap stays under 70 MB). --optimize-for-size
// would give ~110 MB but costs ~25% more CPU. Since requests skip the openai client's
// per-request objects (src/lib/engine/chat-fetch.ts), 4 MB gives 115–130 MB (2 MB: 127–135,
// as more objects survive into the old generation; 16 MB: ~140) and fewer scavenges.
const v8 = '--v8-flags=--max-semi-space-size=4';
const child = spawn(
	denoBinary,
	['run', '--quiet', '--no-prompt', v8, ...flags, join(root, 'src/cli/main.ts'), ...args],
	{ stdio: 'inherit', env: { ...process.env, COVW_ROOT: root, COVW_LAUNCHER_PID: String(process.pid), NO_COLOR: process.env.NO_COLOR ?? '' } }
);
// A signal sent to this launcher alone (kill <pid>, a scheduler) reaches Deno, which cancels the
// run cleanly; one sent to the whole group (Ctrl-C, timeout) reaches it twice, and the CLI takes
// the second as the same request.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
	console.error(`covw: could not start Deno (${denoBinary}): ${error.message}`);
	process.exit(2);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
