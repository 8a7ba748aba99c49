// Response cache. The key is the full request (the endpoint's base URL and the body, canonical
// JSON) PLUS the sample index: n samples of one prompt are n entries and n calls, never one
// answer served n times. Transport-only fields (stream, stream_options) are left out of the
// key: they change how an answer arrives, not what it is. Neither keys nor URLs are stored.
//
// Storage is append-only segments, cache/seg-<time>-<pid>-<rand>.jsonl, one per writing
// session (so processes never interleave writes), one line per entry:
//   {"k":"<64 hex>","t":<ms since epoch>,"c":{…completion…}}
// A crash can only cut a segment's last line, which is skipped. (One file per entry was the
// first design: creating ~1 ms-per-file on these disks made it the run's bottleneck.)
// An index of key → (segment, offset, length) is built by scanning the segments once; answers
// are read from disk on demand, so memory holds keys, not answers.
// If the folder (or this session's segment) is deleted while a run writes, the next put notices
// (the segment's path no longer names the file it writes to) and starts a new segment in a
// recreated folder: later entries are never written into a deleted file, silently lost.
// A segment is never opened through a link (atomic-file.ts openNoFollow): a segment that is a
// link (a cache folder from someone else) is skipped, its entries misses.
import { closeSync, constants, existsSync, fstatSync, mkdirSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { openNoFollow, writeFileAtomic } from './atomic-file.ts';
import type { ChatRequest, Completion } from './types.ts';

const SEGMENT = /^seg-[0-9a-z-]+\.jsonl$/;
const PREFIX = '{"k":"';

export function cacheKey(baseURL: string, request: ChatRequest, sample: number): string {
	const { stream: _stream, stream_options: _options, ...body } = request;
	return sha256Hex(canonicalJson({ base_url: baseURL.replace(/\/+$/, ''), body, sample }));
}

interface Located {
	segment: string;
	offset: number;
	length: number;
	/** Written at (ms since epoch). */
	t: number;
}

/** Every readable entry of every segment (a later line for the same key wins). */
function scan(dir: string, onEntry: (key: string, where: Located) => void): void {
	if (!existsSync(dir)) return;
	const decoder = new TextDecoder();
	for (const segment of readdirSync(dir).filter((n) => SEGMENT.test(n)).sort()) {
		let fd: number;
		try {
			fd = openNoFollow(join(dir, segment), constants.O_RDONLY);
		} catch {
			continue; // a link, or gone meanwhile: its entries are misses
		}
		try {
			const chunk = new Uint8Array(1 << 20);
			let carry = new Uint8Array(0);
			let base = 0; // file offset of carry[0]
			for (;;) {
				const n = readSync(fd, chunk, 0, chunk.length, base + carry.length);
				if (n === 0) break;
				const buf = new Uint8Array(carry.length + n);
				buf.set(carry);
				buf.set(chunk.subarray(0, n), carry.length);
				let start = 0;
				for (let i = 0; i < buf.length; i++) {
					if (buf[i] !== 10) continue;
					const line = buf.subarray(start, i);
					const head = decoder.decode(line.subarray(0, 96));
					// Fixed layout written by put(): {"k":"<64 hex>","t":<digits>,"c":…}
					const m = /^\{"k":"([0-9a-f]{64})","t":(\d+),"c":/.exec(head);
					if (m && line[line.length - 1] === 125 /* } */) {
						onEntry(m[1], { segment, offset: base + start, length: line.length, t: Number(m[2]) });
					}
					start = i + 1;
				}
				carry = buf.slice(start);
				base += start;
			}
			// Whatever is left has no newline: a write cut by a crash. Skipped.
		} finally {
			closeSync(fd);
		}
	}
}

export class ResponseCache {
	#index: Map<string, Located> | null = null;
	readonly #readFds = new Map<string, number>();
	#writer: { fd: number; segment: string; size: number; ino: number; dev: number } | null = null;

	constructor(readonly dir: string) {}

	#load(): Map<string, Located> {
		if (!this.#index) {
			const index = new Map<string, Located>();
			scan(this.dir, (key, where) => index.set(key, where));
			this.#index = index;
		}
		return this.#index;
	}

	/** The cached answer, or null (a missing or unreadable entry is a miss, never an error). */
	get(key: string): Completion | null {
		const where = this.#load().get(key);
		if (!where) return null;
		try {
			let fd = this.#readFds.get(where.segment);
			if (fd === undefined) {
				fd = openNoFollow(join(this.dir, where.segment), constants.O_RDONLY);
				this.#readFds.set(where.segment, fd);
			}
			const buf = new Uint8Array(where.length);
			readSync(fd, buf, 0, where.length, where.offset);
			const entry = JSON.parse(new TextDecoder().decode(buf)) as { k: string; c: Completion };
			return entry.k === key && typeof entry.c?.text === 'string' ? entry.c : null;
		} catch {
			return null;
		}
	}

	put(key: string, completion: Completion): void {
		if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`cache key must be 64 hex chars (got "${key}")`);
		const index = this.#load();
		if (this.#writer && !this.#segmentStillThere(this.#writer)) {
			// Deleted under us (folder or file): what we wrote there is gone, and so would the rest be.
			closeSync(this.#writer.fd);
			for (const [k, where] of index) if (where.segment === this.#writer.segment) index.delete(k);
			this.#writer = null;
		}
		if (!this.#writer) {
			mkdirSync(this.dir, { recursive: true });
			const segment = `seg-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.jsonl`;
			const fd = openNoFollow(join(this.dir, segment), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL);
			const st = fstatSync(fd);
			this.#writer = { fd, segment, size: st.size, ino: st.ino, dev: st.dev };
		}
		const t = Date.now();
		const line = new TextEncoder().encode(`${PREFIX}${key}","t":${t},"c":${JSON.stringify(completion)}}\n`);
		let written = 0;
		while (written < line.length) written += writeSync(this.#writer.fd, line, written, line.length - written);
		index.set(key, { segment: this.#writer.segment, offset: this.#writer.size, length: line.length - 1, t });
		this.#writer.size += line.length;
	}

	#segmentStillThere(writer: { segment: string; ino: number; dev: number }): boolean {
		try {
			const st = statSync(join(this.dir, writer.segment));
			return st.ino === writer.ino && st.dev === writer.dev;
		} catch {
			return false;
		}
	}

	/** Releases file handles; the cache stays usable (it reopens on demand). */
	close(): void {
		for (const fd of this.#readFds.values()) closeSync(fd);
		this.#readFds.clear();
		if (this.#writer) closeSync(this.#writer.fd);
		this.#writer = null;
		this.#index = null;
	}
}

export interface CacheStats {
	/** Distinct keys. */
	entries: number;
	/** Bytes on disk (superseded duplicates and cut lines included, until a prune). */
	bytes: number;
	oldest: string | null;
	newest: string | null;
}

function latestEntries(dir: string): Map<string, Located> {
	const index = new Map<string, Located>();
	scan(dir, (key, where) => index.set(key, where));
	return index;
}

function segmentBytes(dir: string): number {
	if (!existsSync(dir)) return 0;
	return readdirSync(dir).filter((n) => SEGMENT.test(n)).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}

export function cacheStats(dir: string): CacheStats {
	const index = latestEntries(dir);
	let oldest = Infinity;
	let newest = -Infinity;
	for (const e of index.values()) {
		oldest = Math.min(oldest, e.t);
		newest = Math.max(newest, e.t);
	}
	return {
		entries: index.size,
		bytes: segmentBytes(dir),
		oldest: index.size ? new Date(oldest).toISOString() : null,
		newest: index.size ? new Date(newest).toISOString() : null
	};
}

export interface PruneOptions {
	/** Remove entries written more than this long ago. */
	olderThanMs?: number;
	/** Then remove the oldest entries until the cache fits in this many bytes. */
	maxBytes?: number;
	now?: number;
}

/**
 * Rewrites the cache as one segment holding the entries kept (superseded duplicates and cut
 * lines always go). Run it while no run is writing to this cache: a live writer's segment
 * would be removed under it, and what it writes next would be lost (misses, not errors).
 */
export function pruneCache(dir: string, options: PruneOptions = {}): { removed: number; freedBytes: number } {
	const now = options.now ?? Date.now();
	const before = segmentBytes(dir);
	const index = latestEntries(dir);
	const byAge = [...index.entries()].sort((a, b) => a[1].t - b[1].t);
	let kept = byAge.filter(([, e]) => options.olderThanMs === undefined || now - e.t <= options.olderThanMs);
	let keptBytes = kept.reduce((sum, [, e]) => sum + e.length + 1, 0);
	while (options.maxBytes !== undefined && keptBytes > options.maxBytes && kept.length > 0) {
		keptBytes -= kept[0][1].length + 1;
		kept = kept.slice(1);
	}
	const oldSegments = existsSync(dir) ? readdirSync(dir).filter((n) => SEGMENT.test(n)) : [];
	if (kept.length > 0) {
		const out = new Uint8Array(keptBytes);
		let at = 0;
		const fds = new Map<string, number>();
		try {
			for (const [, e] of kept) {
				let fd = fds.get(e.segment);
				if (fd === undefined) fds.set(e.segment, (fd = openNoFollow(join(dir, e.segment), constants.O_RDONLY)));
				readSync(fd, out, at, e.length, e.offset);
				out[at + e.length] = 10;
				at += e.length + 1;
			}
		} finally {
			for (const fd of fds.values()) closeSync(fd);
		}
		// "seg-0…" sorts first, so a later writer's lines still win over it.
		const name = `seg-0-pruned-${Date.now().toString(36)}.jsonl`;
		writeFileAtomic(join(dir, name), out);
		for (const n of oldSegments) if (n !== name) rmSync(join(dir, n), { force: true });
	} else {
		for (const n of oldSegments) rmSync(join(dir, n), { force: true });
	}
	return { removed: index.size - kept.length, freedBytes: before - segmentBytes(dir) };
}
