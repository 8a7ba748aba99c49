// runs/<run_id>/manifest.json: what the run was (params, dataset hash, endpoints without keys),
// when it ran, and what came of it (status counts, tokens, cost). Rewritten atomically at the
// start and the end of each session, so readers never see half a file. A manifest still saying
// "running" with no live writer means the process died; resuming fixes it. The end of a session
// (writeFinalManifest) falls back to overwriting the file in place when the atomic replace
// fails — a full disk has no room for the temporary file, but the old file's blocks are there.
import { closeSync, constants, fsyncSync, ftruncateSync, writeSync } from 'node:fs';
import { type CheckedFolder, openNoFollow, readFileNoFollow, writeFileAtomic } from './atomic-file.ts';
import type { DrainedReplica } from './replicas.ts';
import type { ResultRow } from './types.ts';

export const MANIFEST_FILE = 'manifest.json';

export type RunState = 'running' | 'completed' | 'cancelled' | 'failed';

export interface StatusCounts {
	total: number;
	ok: number;
	error: number;
	unparsed: number;
	/** Answers with no program in them (generation runs); absent in manifests written before it existed. */
	no_code?: number;
	/** Units with no row yet. */
	pending: number;
	/** Rows served from the cache. */
	cached: number;
}

export interface TokenTotals {
	/** Tokens actually sent and received (cache hits excluded). */
	in: number;
	out: number;
	/** Tokens of answers served from the cache (not paid again). */
	cached_in: number;
	cached_out: number;
}

export interface Manifest {
	run_id: string;
	kind: string;
	params: Record<string, unknown>;
	dataset_hash: string | null;
	endpoints: unknown[];
	state: RunState;
	started_at: string;
	/** Start of each session (the first, then each resume). */
	sessions: string[];
	finished_at: string | null;
	counts: StatusCounts;
	tokens: TokenTotals;
	/** USD, for models with prices in the config; null when no unit had a price. */
	cost_usd: number | null;
	log_warnings: string[];
	/** false: the run was created without the response cache (--no-cache), and every later command on it (resume, batch export/import) leaves the cache alone; absent otherwise. */
	response_cache?: false;
	/** Replicas drained during the run (replicas.ts), every session's, each with the session it was drained in; absent when none was. */
	replicas_drained?: DrainedReplicaRecord[];
}

/** A drained replica as a manifest keeps it: `session` is the start of the session it was drained in (one of `sessions`). */
export type DrainedReplicaRecord = DrainedReplica & { session?: string };

/**
 * The drained replicas a session's manifest keeps: the earlier sessions' (from the manifest it
 * resumed; an entry written before entries named their session belongs to that manifest's last
 * session), then this session's, tagged with its start. A resume never drops an earlier drain.
 */
export function keptDrains(previous: Manifest | null, sessionStart: string, drained: readonly DrainedReplica[]): DrainedReplicaRecord[] {
	const last = previous?.sessions?.[previous.sessions.length - 1] ?? previous?.started_at;
	const earlier = (previous?.replicas_drained ?? []).map((d) => (d.session || !last ? d : { ...d, session: last }));
	return [...earlier, ...drained.map((d) => ({ ...d, session: sessionStart }))];
}

/** `within`: the run folder the manifest must be written in (atomic-file.ts openNoFollow). */
export function writeManifest(path: string, manifest: Manifest, within?: CheckedFolder): void {
	writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n', { within });
}

/**
 * The manifest that ends a session: atomically if possible, else overwritten in place (not
 * atomic, but the state it records is true, where the old file would say "running" forever).
 * Throws the atomic write's error when both fail.
 */
export function writeFinalManifest(path: string, manifest: Manifest, within?: CheckedFolder): void {
	try {
		writeManifest(path, manifest, within);
		return;
	} catch (atomicError) {
		try {
			const bytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n');
			const fd = openNoFollow(path, constants.O_RDWR, 0o644, within);
			try {
				for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at);
				ftruncateSync(fd, bytes.length);
				fsyncSync(fd);
			} finally {
				closeSync(fd);
			}
		} catch {
			throw atomicError;
		}
	}
}

/** A manifest bigger than this is refused unread (one is a few kB; a planted huge file must not fill memory). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** The manifest, or null when there is none; throws naming the file when it is unreadable, too big or a link. */
export function readManifest(path: string, within?: CheckedFolder): Manifest | null {
	let bytes: Uint8Array;
	try {
		bytes = readFileNoFollow(path, MAX_MANIFEST_BYTES, within);
	} catch (e) {
		if ((e as { code?: string }).code === 'ENOENT') return null;
		throw e;
	}
	try {
		return JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
	} catch (e) {
		throw new Error(`${path}: manifest is not valid JSON (${(e as Error).message})`);
	}
}

export interface Price {
	inputPer1M: number;
	outputPer1M: number;
}

/** Counts, tokens and cost over one final row per unit. */
export function summarize(
	final: Iterable<ResultRow>,
	total: number,
	priceOf: (row: ResultRow) => Price | null
): { counts: StatusCounts; tokens: TokenTotals; cost_usd: number | null } {
	// no_code only appears once a run has such a row, so manifests of runs without one stay as they were.
	const counts: StatusCounts = { total, ok: 0, error: 0, unparsed: 0, pending: 0, cached: 0 };
	const tokens: TokenTotals = { in: 0, out: 0, cached_in: 0, cached_out: 0 };
	let cost: number | null = null;
	let rows = 0;
	for (const row of final) {
		rows++;
		counts[row.status] = (counts[row.status] ?? 0) + 1;
		if (row.cached) {
			counts.cached++;
			tokens.cached_in += row.tokens_in ?? 0;
			tokens.cached_out += row.tokens_out ?? 0;
			continue;
		}
		tokens.in += row.tokens_in ?? 0;
		tokens.out += row.tokens_out ?? 0;
		const price = priceOf(row);
		if (price) {
			cost = (cost ?? 0) + ((row.tokens_in ?? 0) * price.inputPer1M + (row.tokens_out ?? 0) * price.outputPer1M) / 1e6;
		}
	}
	counts.pending = Math.max(0, total - rows);
	return { counts, tokens, cost_usd: cost };
}
