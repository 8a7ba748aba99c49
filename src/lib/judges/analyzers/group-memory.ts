// The memory watchdog's eyes (run-process.ts): the resident memory of whole process groups.
// One sampler serves every group being watched: every SAMPLE_MS while any is, it reads each
// process's group and resident set once, sums them per watched group and calls back a group past
// its limit. Read from /proc/<pid>/stat (fields pgrp and rss) where this process may read /proc
// (Node on Linux); else from one `ps -A -o pgid=,rss=` per sample: Deno allows /proc only with
// --allow-all, so the CLI gets ps in its --allow-run, and macOS has ps but no /proc. Where neither
// works nothing is watched (memoryWatchMethod() says 'none').

import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { which } from './which.ts';

/** Time between two samples of the watched groups. */
export const SAMPLE_MS = 200;

export type MemoryWatchMethod = 'proc' | 'ps' | 'none';

/** Resident bytes per process group, for the groups asked about (a group with no process: absent). */
type Reader = (groups: ReadonlySet<number>) => Promise<Map<number, number>>;

interface Watch {
	pgid: number;
	limitBytes: number;
	onOver: (residentBytes: number) => void;
}

const watches = new Set<Watch>();
let timer: ReturnType<typeof setTimeout> | null = null;
let sampling = false;
let chosen: { method: MemoryWatchMethod; read: Reader | null } | null = null;

/** Work done so far, for bench/analyzer-memory-watch.ts: samples taken and the CPU time they cost this process. */
export const samplerCost = { samples: 0, cpuMicros: 0 };

/**
 * Watches the process group `pgid` until the returned stop() is called: once its processes
 * together hold more than `limitBytes` resident, `onOver` is called (once) with their sum.
 */
export function watchGroupMemory(pgid: number, limitBytes: number, onOver: (residentBytes: number) => void): () => void {
	const watch: Watch = { pgid, limitBytes, onOver };
	watches.add(watch);
	schedule();
	return () => {
		watches.delete(watch);
		if (watches.size === 0 && timer !== null) {
			clearTimeout(timer);
			timer = null;
		}
	};
}

/** How groups are measured here (chosen on first use): /proc, ps, or not at all. */
export function memoryWatchMethod(): MemoryWatchMethod {
	return choose().method;
}

/** One sample of the given groups now (resident bytes each; 0 for a group with no process), read as `via` says. */
export async function groupMemory(groups: readonly number[], via: MemoryWatchMethod = memoryWatchMethod()): Promise<Map<number, number>> {
	const read = via === 'proc' ? procReader() : via === 'ps' ? psReader() : null;
	if (!read) throw new Error(`the memory of process groups cannot be read here ${via === 'none' ? '' : `through ${via}`}`.trim());
	const sums = await read(new Set(groups));
	return new Map(groups.map((g) => [g, sums.get(g) ?? 0]));
}

function schedule(): void {
	if (timer !== null || sampling || watches.size === 0) return;
	timer = setTimeout(() => void tick(), SAMPLE_MS);
}

async function tick(): Promise<void> {
	timer = null;
	const { read } = choose();
	if (!read || watches.size === 0) return; // no way to measure: nothing is capped
	sampling = true;
	let sums: Map<number, number> | null = null;
	try {
		sums = await read(new Set([...watches].map((w) => w.pgid)));
	} catch {
		// a failed sample (ps killed, /proc busy): the next one decides
	} finally {
		sampling = false;
	}
	if (sums) {
		for (const w of [...watches]) {
			const resident = sums.get(w.pgid) ?? 0;
			if (resident > w.limitBytes) {
				watches.delete(w);
				w.onOver(resident);
			}
		}
	}
	schedule();
}

function choose(): { method: MemoryWatchMethod; read: Reader | null } {
	if (chosen) return chosen;
	const proc = procReader();
	if (proc) return (chosen = { method: 'proc', read: proc });
	const ps = psReader();
	// ps may exist yet not be allowed to run (Deno without it in --allow-run): a first call tells
	if (ps && psWorks()) return (chosen = { method: 'ps', read: ps });
	return (chosen = { method: 'none', read: null });
}

// ---- /proc ----

let pageSize: number | null = null;
const statBuffer = Buffer.alloc(1024);

/** A reader over /proc, or null when /proc cannot be read here. */
function procReader(): Reader | null {
	try {
		readdirSync('/proc');
		pageSize ??= measurePageSize();
	} catch {
		return null;
	}
	const page = pageSize;
	return async (groups) => {
		const cpu = process.cpuUsage();
		const sums = new Map<number, number>();
		for (const name of readdirSync('/proc')) {
			const c = name.charCodeAt(0);
			if (c < 48 || c > 57) continue; // not a process
			const fields = statFields(name);
			if (!fields) continue; // gone meanwhile
			if (!groups.has(fields.pgrp)) continue;
			sums.set(fields.pgrp, (sums.get(fields.pgrp) ?? 0) + fields.rssPages * page);
		}
		const used = process.cpuUsage(cpu);
		samplerCost.samples++;
		samplerCost.cpuMicros += used.user + used.system;
		return sums;
	};
}

/** pgrp (field 5) and rss in pages (field 24) of /proc/<pid>/stat, or null when the process is gone. */
function statFields(pid: string): { pgrp: number; rssPages: number } | null {
	let fd: number;
	try {
		fd = openSync(`/proc/${pid}/stat`, 'r');
	} catch {
		return null;
	}
	try {
		const n = readSync(fd, statBuffer, 0, statBuffer.length, 0);
		const text = statBuffer.toString('latin1', 0, n);
		// the name (field 2) is in parentheses and may hold spaces and ')': fields 3.. follow the last ')'
		const rest = text.slice(text.lastIndexOf(')') + 2).split(' ', 22);
		const pgrp = Number(rest[2]);
		const rssPages = Number(rest[21]);
		return Number.isFinite(pgrp) && Number.isFinite(rssPages) ? { pgrp, rssPages } : null;
	} catch {
		return null;
	} finally {
		closeSync(fd);
	}
}

/** Bytes per page: this process's resident set in kB (/proc/self/status) over its pages (/proc/self/statm). */
function measurePageSize(): number {
	const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
	const kb = Number(/^VmRSS:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1]);
	if (!(pages > 0) || !(kb > 0)) return 4096;
	return 2 ** Math.round(Math.log2((kb * 1024) / pages));
}

// ---- ps ----

let psPath: string | null | undefined;

/** A reader through `ps` found on PATH, or null when there is none. */
function psReader(): Reader | null {
	psPath ??= which('ps');
	const ps = psPath;
	if (!ps) return null;
	return (groups) =>
		new Promise((resolve, reject) => {
			const started = Date.now();
			try {
				execFile(ps, ['-A', '-o', 'pgid=,rss='], { timeout: 5_000, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } }, (error, stdout) => {
					samplerCost.samples++;
					samplerCost.cpuMicros += (Date.now() - started) * 1000; // wall time of ps: an upper bound of its CPU
					if (error) return reject(error);
					const sums = new Map<number, number>();
					for (const line of stdout.split('\n')) {
						const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
						if (!m) continue;
						const pgid = Number(m[1]);
						if (groups.has(pgid)) sums.set(pgid, (sums.get(pgid) ?? 0) + Number(m[2]) * 1024); // ps: kB
					}
					resolve(sums);
				});
			} catch (error) {
				reject(error); // not allowed to run it (Deno)
			}
		});
}

/** Whether ps runs here (it may be on PATH yet not allowed: Deno without it in --allow-run). */
function psWorks(): boolean {
	if (typeof (globalThis as { Deno?: unknown }).Deno === 'undefined') return true;
	const deno = (globalThis as unknown as { Deno: { permissions: { querySync(d: { name: 'run'; command: string }): { state: string } } } }).Deno;
	try {
		return deno.permissions.querySync({ name: 'run', command: psPath! }).state === 'granted';
	} catch {
		return false;
	}
}

