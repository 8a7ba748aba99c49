// Records a first paint in a child process (child.ts on Deno, from the `deno` npm package):
// read access and no network, as `covw notebook run`; the headless engine's memory goes away
// with the process. Null when Deno or the script is not there, or the child fails or runs over
// the time limit: the page then runs the notebook itself.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ChildRequest } from './child.ts';
import type { Recording } from './record-notebook.ts';

const TIME_LIMIT_MS = 60_000;

/** The app's checkout (where node_modules/deno is) and the child script in it, or null. */
function locate(): { deno: string; script: string } | null {
	try {
		const denoPackage = createRequire(import.meta.url).resolve('deno/package.json');
		const root = resolve(dirname(denoPackage), '../..');
		const deno = join(dirname(denoPackage), 'deno');
		const script = join(root, 'src/lib/server/first-paint/child.ts');
		return existsSync(deno) && existsSync(script) ? { deno, script } : null;
	} catch {
		return null;
	}
}

export function recordInChild(request: ChildRequest): Promise<Recording | null> {
	const where = locate();
	if (!where) return Promise.resolve(null);
	return new Promise((done) => {
		const child = spawn(where.deno, ['run', '--quiet', '--no-prompt', '--allow-read', '--allow-env', '--allow-sys=cpus', where.script], {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: { ...process.env, NO_COLOR: '1' }
		});
		const out: Buffer[] = [];
		child.stdout.on('data', (d: Buffer) => out.push(d));
		child.stderr.resume();
		const timer = setTimeout(() => child.kill(), TIME_LIMIT_MS);
		child.on('error', () => done(null));
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code !== 0) return done(null);
			try {
				done(JSON.parse(Buffer.concat(out).toString('utf8')) as Recording | null);
			} catch {
				done(null);
			}
		});
		child.stdin.end(JSON.stringify(request));
	});
}
