// Records first paints in a child process (child.ts on Deno, from the `deno` npm package): read
// access and no network, as `covw notebook run`, and none of the server's keys in its environment; at a low CPU priority (nice 10), so it yields
// to the server and to the page it works for. One child answers requests one at a time and is
// let go after IDLE_MS without one (its engine's memory goes with it). Null when Deno or the
// script is not there, or the child fails or runs over the time limit: the page then runs the
// notebook itself. Its resident memory is capped (CHILD_RSS_LIMIT_MB, sampled by the analyzers'
// watchdog); killed past it, the recording is made again with the statement it ran recorded as
// an Out of Memory Error on its cell, as for DuckDB's own.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ChildRequest } from './child.ts';
import { CHILD_HEAP_MB, CHILD_RSS_LIMIT_MB } from './child-limits.ts';
import type { Recording } from './record-notebook.ts';
import { watchGroupMemory } from '../../judges/analyzers/group-memory.ts';
import { killProcessGroup } from '../../judges/analyzers/kill-group.ts';

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
	/** The statement the child said it runs now (its `{"running": sql}` lines). */
	running: string | null;
	/** Killed past its memory cap, while running this statement. */
	overMemory: { sql: string | null } | null;
}

/** How many times a recording is tried again after the child was killed past its memory cap. */
const MEMORY_RETRIES = 3;

/** What the cell shows for a statement that took the child past its memory cap (the page replays it as DuckDB's own Out of Memory Error). */
export function overMemoryMessage(limitMb = CHILD_RSS_LIMIT_MB): string {
	return `Out of Memory Error: this query took the server's first-paint process past its memory limit of ${limitMb} MB, so it was stopped; ▶ Run runs it in this page`;
}

export class ChildRecorder {
	private child: Child | null = null;
	private idle: ReturnType<typeof setTimeout> | undefined;
	/** How many child processes were started (tests read it). */
	started = 0;

	/** rssLimitMb: the child's resident memory cap (tests set a small one). */
	constructor(private readonly rssLimitMb = CHILD_RSS_LIMIT_MB) {}

	private start(): Child | null {
		const where = locate();
		if (!where) return null;
		const proc = spawn(where.deno, ['run', '--quiet', '--no-prompt', `--v8-flags=--max-old-space-size=${CHILD_HEAP_MB}`, '--allow-read', '--allow-env', '--allow-sys=cpus', where.script], {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: childEnvironment(process.env),
			// A process group of its own: its resident memory is watched as a group and the group
			// killed past CHILD_RSS_LIMIT_MB (the analyzers' watchdog, judges/analyzers/group-memory.ts).
			detached: true
		});
		this.started++;
		try {
			if (proc.pid !== undefined) setPriority(proc.pid, 10);
		} catch {
			// not permitted here: it runs at the server's priority
		}
		const child: Child = { process: proc, buffer: '', waiting: null, running: null, overMemory: null };
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (text: string) => {
			child.buffer += text;
			for (let end = child.buffer.indexOf('\n'); end >= 0; end = child.buffer.indexOf('\n')) {
				const line = child.buffer.slice(0, end);
				child.buffer = child.buffer.slice(end + 1);
				if (line.startsWith('{"running":')) {
					try {
						child.running = (JSON.parse(line) as { running: string }).running;
					} catch {
						child.running = null;
					}
					continue;
				}
				child.running = null;
				const waiting = child.waiting;
				child.waiting = null;
				waiting?.(line);
			}
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

	/**
	 * One recording; requests must not overlap (FirstPaint runs them one at a time). A child
	 * killed past its memory cap is replaced, and the recording tried again with the statement it
	 * was running recorded as failing (its cell then shows why, as for DuckDB's own Out of Memory
	 * Error), a few times at most.
	 */
	async record(request: ChildRequest): Promise<Recording | null> {
		const failing = [...(request.failing ?? [])];
		for (let tries = 0; ; tries++) {
			const { recording, overMemory } = await this.recordOnce({ ...request, ...(failing.length ? { failing } : {}) });
			if (!overMemory) return recording;
			if (!overMemory.sql || tries >= MEMORY_RETRIES || failing.some((f) => f.sql === overMemory.sql)) return null;
			failing.push({ sql: overMemory.sql, message: overMemoryMessage(this.rssLimitMb) });
		}
	}

	private recordOnce(request: ChildRequest): Promise<{ recording: Recording | null; overMemory: { sql: string | null } | null }> {
		clearTimeout(this.idle);
		this.child ??= this.start();
		const child = this.child;
		if (!child) return Promise.resolve({ recording: null, overMemory: null });
		return new Promise((resolve) => {
			const done = (recording: Recording | null) => resolve({ recording, overMemory: child.overMemory });
			const timer = setTimeout(() => child.process.kill(), TIME_LIMIT_MS);
			const pid = child.process.pid;
			const stopWatch =
				pid === undefined
					? () => {}
					: watchGroupMemory(pid, this.rssLimitMb * 1024 * 1024, () => {
							child.overMemory = { sql: child.running };
							killProcessGroup(pid, () => child.process.kill('SIGKILL'));
						});
			child.waiting = (line) => {
				clearTimeout(timer);
				stopWatch();
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
export async function recordInChild(request: ChildRequest, rssLimitMb = CHILD_RSS_LIMIT_MB): Promise<Recording | null> {
	const recorder = new ChildRecorder(rssLimitMb);
	try {
		return await recorder.record(request);
	} finally {
		recorder.stop();
	}
}
