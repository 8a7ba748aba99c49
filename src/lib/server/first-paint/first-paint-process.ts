// Records first paints in a child process (child.ts on Deno, from the `deno` npm package): read
// access and no network, as `covw notebook run`, and none of the server's keys in its environment; at a low CPU priority (nice 10), so it yields
// to the server and to the page it works for. One child answers requests one at a time and is
// let go after IDLE_MS without one (its engine's memory goes with it). Null when Deno or the
// script is not there, or the child fails or runs over the time limit: the page then runs the
// notebook itself.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ChildRequest } from './child.ts';
import { CHILD_HEAP_MB } from './child-limits.ts';
import type { Recording } from './record-notebook.ts';

const TIME_LIMIT_MS = 60_000;
const IDLE_MS = 30_000;

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

/** What the child's environment keeps: Deno's own settings (cache, temp), locale, the folder rules' COVW_*. */
const CHILD_ENV = /^(PATH|HOME|USER|LANG|LANGUAGE|LC_[A-Z]+|TZ|TMPDIR|TMP|TEMP|XDG_CACHE_HOME|DENO_DIR|DENO_NO_UPDATE_CHECK|DENO_V8_FLAGS|NODE_ENV|COVW_(ROOT|DATA|NOTEBOOKS|RUNS|CACHE))$/;

/**
 * The child's environment: what Deno and the folder rules read, and nothing else — it runs
 * someone else's notebook and needs no API key, so the server's keys (OPENAI_API_KEY, any
 * apiKeyEnv) never reach it.
 */
export function childEnvironment(env: Record<string, string | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined && CHILD_ENV.test(name)) out[name] = value;
	out.NO_COLOR = '1';
	return out;
}

interface Child {
	process: ChildProcessWithoutNullStreams;
	buffer: string;
	waiting: ((line: string | null) => void) | null;
}

export class ChildRecorder {
	private child: Child | null = null;
	private idle: ReturnType<typeof setTimeout> | undefined;
	/** How many child processes were started (tests read it). */
	started = 0;

	private start(): Child | null {
		const where = locate();
		if (!where) return null;
		const proc = spawn(where.deno, ['run', '--quiet', '--no-prompt', `--v8-flags=--max-old-space-size=${CHILD_HEAP_MB}`, '--allow-read', '--allow-env', '--allow-sys=cpus', where.script], {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: childEnvironment(process.env)
		});
		this.started++;
		try {
			if (proc.pid !== undefined) setPriority(proc.pid, 10);
		} catch {
			// not permitted here: it runs at the server's priority
		}
		const child: Child = { process: proc, buffer: '', waiting: null };
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (text: string) => {
			child.buffer += text;
			const end = child.buffer.indexOf('\n');
			if (end < 0) return;
			const line = child.buffer.slice(0, end);
			child.buffer = child.buffer.slice(end + 1);
			const waiting = child.waiting;
			child.waiting = null;
			waiting?.(line);
		});
		proc.stderr.resume();
		const gone = () => {
			if (this.child === child) this.child = null;
			const waiting = child.waiting;
			child.waiting = null;
			waiting?.(null);
		};
		proc.on('error', gone);
		proc.on('close', gone);
		proc.stdin.on('error', () => {}); // a child that died: 'close' reports it
		return child;
	}

	/** One recording; requests must not overlap (FirstPaint runs them one at a time). */
	record(request: ChildRequest): Promise<Recording | null> {
		clearTimeout(this.idle);
		this.child ??= this.start();
		const child = this.child;
		if (!child) return Promise.resolve(null);
		return new Promise<Recording | null>((done) => {
			const timer = setTimeout(() => child.process.kill(), TIME_LIMIT_MS);
			child.waiting = (line) => {
				clearTimeout(timer);
				this.idle = setTimeout(() => this.stop(), IDLE_MS);
				this.idle.unref?.();
				try {
					done(line === null ? null : (JSON.parse(line) as Recording | null));
				} catch {
					done(null);
				}
			};
			child.process.stdin.write(JSON.stringify(request) + '\n');
		});
	}

	/** Lets the child go (it exits when its input ends). */
	stop(): void {
		clearTimeout(this.idle);
		const child = this.child;
		this.child = null;
		child?.process.stdin.end();
	}
}

/** One recording in a child of its own, stopped afterwards (tests; the app keeps one: index.ts). */
export async function recordInChild(request: ChildRequest): Promise<Recording | null> {
	const recorder = new ChildRecorder();
	try {
		return await recorder.record(request);
	} finally {
		recorder.stop();
	}
}
