// A run's progress as its rows come in: status counts, tokens and requests, tallied one row at
// a time (recounting every row per event would be quadratic), plus each endpoint's limit and
// the replicas it has drained right now (so the progress line shows a drain while it lasts).
import type { AdaptiveLimit } from './adaptive-limit.ts';
import { publicUrl } from './redact.ts';
import { withoutUserinfo, type DrainedNow, type ReplicaSet } from './replicas.ts';
import type { ResultRow } from './types.ts';

export interface EndpointProgress {
	name: string;
	limit: number;
	in_flight: number;
	paused_ms: number;
	/** Its replicas drained right now (URLs without credentials); absent for one server. */
	drained?: string[];
	/** The same replicas with what the engine knows of each (the workbench's live view); absent for one server. */
	drained_replicas?: DrainedReplicaNow[];
}

/**
 * A replica drained right now, as a live view shows it: ReplicaSet.drainedNow's fields, with its
 * URL without credentials and query string and its last failure redacted.
 */
export type DrainedReplicaNow = DrainedNow;

/** A replica's URL for a live view: no credentials, no query string (publicUrl keeps the harmless part of the query). */
export function replicaLiveUrl(url: string): string {
	return publicUrl(url).replace(/[?#].*$/, '');
}

export interface Progress {
	run_id: string;
	total: number;
	/** Units with a row (this session or an earlier one). */
	done: number;
	ok: number;
	error: number;
	unparsed: number;
	/** Answers without a program (generation runs). */
	no_code?: number;
	cached: number;
	/** Requests sent this session (attempts, retries included). */
	requests: number;
	/** Tokens of answers not served from the cache. */
	tokens_in: number;
	tokens_out: number;
	elapsed_ms: number;
	endpoints: EndpointProgress[];
}

export class ProgressTally {
	/** Requests sent this session. */
	requests = 0;
	readonly #t = { done: 0, ok: 0, error: 0, unparsed: 0, no_code: 0, cached: 0, tokens_in: 0, tokens_out: 0 };
	readonly #started = performance.now();

	constructor(
		readonly runId: string,
		readonly total: number,
		readonly limits: Map<string, AdaptiveLimit>,
		/** Each endpoint's replica set (replicas.ts), null for one server. */
		readonly replicaSets: Map<string, ReplicaSet | null> = new Map(),
		/** Cleans a drained replica's last failure (the config's Redactor); without it, the failure is not given. */
		readonly redact: ((text: string) => string) | null = null
	) {}

	/** A unit's row replaced `previous` (or was its first). */
	replace(previous: ResultRow | undefined, row: ResultRow): void {
		if (previous) this.#count(previous, -1);
		this.#count(row, 1);
	}

	#count(row: ResultRow, sign: 1 | -1): void {
		const t = this.#t;
		t.done += sign;
		t[row.status] += sign;
		if (row.cached) t.cached += sign;
		else {
			t.tokens_in += sign * (row.tokens_in ?? 0);
			t.tokens_out += sign * (row.tokens_out ?? 0);
		}
	}

	snapshot(): Progress {
		const t = this.#t;
		return {
			run_id: this.runId,
			total: this.total,
			done: t.done,
			ok: t.ok,
			error: t.error,
			unparsed: t.unparsed,
			no_code: t.no_code,
			cached: t.cached,
			requests: this.requests,
			tokens_in: t.tokens_in,
			tokens_out: t.tokens_out,
			elapsed_ms: performance.now() - this.#started,
			endpoints: [...this.limits].map(([name, l]) => {
				const set = this.replicaSets.get(name);
				if (!set) return { name, limit: l.limit, in_flight: l.inFlight, paused_ms: l.pausedForMs };
				const now = set.drainedNow();
				return {
					name,
					limit: l.limit,
					in_flight: l.inFlight,
					paused_ms: l.pausedForMs,
					drained: now.map((d) => publicUrl(d.url)),
					drained_replicas: now.map((d) => ({ ...d, url: replicaLiveUrl(d.url), last_error: d.last_error === null || this.redact === null ? null : this.redact(withoutUserinfo(d.last_error)) }))
				};
			})
		};
	}
}
