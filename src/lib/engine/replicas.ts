// Replicas: several servers answering for one endpoint (the same model behind each, e.g. vLLM
// on several GPUs: config `"replicas": ["http://a/v1", "http://b/v1"]`). Each request goes to
// the replica with the fewest requests outstanding (ties: the one sent fewer so far), so a
// slow replica gets less. A replica that fails — connection errors, timeouts, 5xx — `failures`
// times within `windowMs` is drained: skipped for `cooldownMs`, then tried again on probation
// by ONE request at a time (one more failure drains it again, for twice as long each time up to
// MAX_COOLDOWN_FACTOR× the cool-down; a success clears it). A unit's retry goes to a replica
// that has not failed it (`pick(avoid)`), so a replica down for good costs a unit at most one
// attempt and never its answer. When every replica is drained, the one back soonest is used
// rather than none. Only the network's health counts: a 4xx or a 429
// says nothing about the replica being down (429s have the endpoint's AdaptiveLimit).
// Each replica counts its failures and drains; a run marks the counts when it starts
// (replicaMark) and reports the replicas drained since (drainedSince) in its manifest, so a down
// replica is said in the CLI's summary and in `covw runs show`, not only absorbed.
import type { Endpoint } from './config.ts';
import { publicUrl } from './redact.ts';

export interface ReplicaPolicy {
	windowMs: number;
	failures: number;
	cooldownMs: number;
}

export const DEFAULT_REPLICA_POLICY: ReplicaPolicy = { windowMs: 30_000, failures: 3, cooldownMs: 30_000 };

/** A replica drained again and again waits at most this many cool-downs before its next probe. */
export const MAX_COOLDOWN_FACTOR = 8;

export type ReplicaOutcome = 'ok' | 'down' | 'other';

export class Replica {
	outstanding = 0;
	sent = 0;
	drainedUntil = 0;
	probation = false;
	/** Drains in a row without a success in between (each doubles the cool-down, capped). */
	streak = 0;
	readonly failuresAt: number[] = [];
	/** Every 'down' outcome so far, the times it was drained, and the last failure's reason. */
	failures = 0;
	drains = 0;
	lastError: string | null = null;
	/** When its latest drain began (the set's clock, ms), 0 before any. */
	drainedAt = 0;
	constructor(readonly url: string) {}
}

export class ReplicaSet {
	readonly replicas: Replica[];

	constructor(
		urls: readonly string[],
		readonly policy: ReplicaPolicy = DEFAULT_REPLICA_POLICY,
		private now: () => number = Date.now
	) {
		if (urls.length === 0) throw new Error('a replica set needs at least one URL');
		this.replicas = urls.map((u) => new Replica(u));
	}

	/**
	 * The replica for the next request (counted as outstanding until `release`). `avoid`: the
	 * replicas that already failed this unit, skipped while another one is live.
	 */
	pick(avoid?: ReadonlySet<Replica>): Replica {
		const t = this.now();
		// Live: not drained; one on probation takes a single probe request at a time.
		const live = this.replicas.filter((r) => r.drainedUntil <= t && !(r.probation && r.outstanding > 0));
		const fresh = avoid && avoid.size > 0 ? live.filter((r) => !avoid.has(r)) : live;
		const pool = fresh.length > 0 ? fresh : live.length > 0 ? live : [this.replicas.reduce((a, b) => (b.drainedUntil < a.drainedUntil ? b : a))];
		let best = pool[0];
		for (const r of pool) if (r.outstanding < best.outstanding || (r.outstanding === best.outstanding && r.sent < best.sent)) best = r;
		best.outstanding++;
		best.sent++;
		return best;
	}

	release(replica: Replica, outcome: ReplicaOutcome, reason?: string): void {
		replica.outstanding = Math.max(0, replica.outstanding - 1);
		const t = this.now();
		if (outcome === 'ok') {
			replica.failuresAt.length = 0;
			replica.probation = false;
			replica.streak = 0;
			return;
		}
		if (outcome !== 'down') return;
		replica.failures++;
		if (reason !== undefined) replica.lastError = reason;
		if (replica.drainedUntil > t) return; // already drained: in-flight failures are old news
		if (replica.drainedUntil > 0 && replica.probation) return this.#drain(replica, t);
		replica.failuresAt.push(t);
		while (replica.failuresAt.length > 0 && replica.failuresAt[0] <= t - this.policy.windowMs) replica.failuresAt.shift();
		if (replica.failuresAt.length >= this.policy.failures) this.#drain(replica, t);
	}

	/** URLs drained right now. */
	drained(): string[] {
		const t = this.now();
		return this.replicas.filter((r) => r.drainedUntil > t).map((r) => r.url);
	}

	/** The replicas drained right now, with what the set knows of each (a run's live view). */
	drainedNow(): DrainedNow[] {
		const t = this.now();
		return this.replicas
			.filter((r) => r.drainedUntil > t)
			.map((r) => ({
				url: r.url,
				for_ms: this.policy.cooldownMs * Math.min(MAX_COOLDOWN_FACTOR, 2 ** Math.max(0, r.streak - 1)),
				back_in_ms: r.drainedUntil - t,
				failures: r.failures,
				drains: r.drains,
				last_error: r.lastError
			}));
	}

	#drain(replica: Replica, t: number): void {
		replica.drainedAt = t;
		replica.drainedUntil = t + this.policy.cooldownMs * Math.min(MAX_COOLDOWN_FACTOR, 2 ** replica.streak);
		replica.streak++;
		replica.drains++;
		replica.failuresAt.length = 0;
		replica.probation = true;
	}
}

const sets = new WeakMap<Endpoint, ReplicaSet>();

/** The endpoint's replica set (one per Endpoint object, so drains carry across its runs); null for one server. */
export function replicasOf(endpoint: Endpoint, policy?: ReplicaPolicy): ReplicaSet | null {
	if (endpoint.replicas.length < 2) return null;
	let set = sets.get(endpoint);
	if (!set) {
		set = new ReplicaSet(endpoint.replicas, policy ?? endpoint.replicaPolicy ?? DEFAULT_REPLICA_POLICY);
		sets.set(endpoint, set);
	}
	return set;
}

/** A replica drained right now (ReplicaSet.drainedNow): its URL as configured (credentials and all). */
export interface DrainedNow {
	url: string;
	/** The length of its current drain (the cool-down, doubled per drain in a row). */
	for_ms: number;
	/** Until its next probe. */
	back_in_ms: number;
	/** Failed attempts (connection, timeout, 5xx) sent to it so far, and its drains so far. */
	failures: number;
	drains: number;
	/** Its last failure, unredacted. */
	last_error: string | null;
}

/** A replica drained during a run: which, how often, and why (for the manifest and the CLI). */
export interface DrainedReplica {
	endpoint: string;
	/** The replica's URL without credentials. */
	url: string;
	/** Failed attempts (connection, timeout, 5xx) sent to it during the run. */
	failures: number;
	/** Times it was drained during the run. */
	drains: number;
	last_error: string | null;
	/**
	 * While a session goes (a "running" manifest only, run-session.ts watchDrains): the start of
	 * its current drain (ISO time) when it is drained right now; absent once it is back, and in
	 * every manifest that ends a session.
	 */
	drained_since?: string;
}

/** Counts at the start of a run, per replica of the endpoints it uses. */
export type ReplicaMark = { endpoint: Endpoint; replica: Replica; failures: number; drains: number }[];

export function replicaMark(endpoints: Iterable<Endpoint>): ReplicaMark {
	const mark: ReplicaMark = [];
	for (const endpoint of endpoints) {
		for (const replica of replicasOf(endpoint)?.replicas ?? []) mark.push({ endpoint, replica, failures: replica.failures, drains: replica.drains });
	}
	return mark;
}

/**
 * A failure reason without the credentials of any URL in it (`http://user:pass@host` →
 * `http://host`): fetch's own message quotes a replica URL with credentials whole, and the
 * Redactor only knows the configured keys.
 */
export function withoutUserinfo(text: string): string {
	// Up to the LAST @ before the host's end: a password may hold a raw '@' (user:p@ss@host).
	return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1');
}

/**
 * The replicas drained since the mark; `redact` cleans the failure reasons. `now` (the sets'
 * clock, ms): also say since when each one drained right now is (`drained_since`), for a running
 * manifest.
 */
export function drainedSince(mark: ReplicaMark, redact: (text: string) => string = (t) => t, now?: number): DrainedReplica[] {
	return mark
		.filter((m) => m.replica.drains > m.drains)
		.map((m) => ({
			endpoint: m.endpoint.name,
			url: publicUrl(m.replica.url),
			failures: m.replica.failures - m.failures,
			drains: m.replica.drains - m.drains,
			last_error: m.replica.lastError === null ? null : redact(withoutUserinfo(m.replica.lastError)),
			...(now !== undefined && m.replica.drainedUntil > now ? { drained_since: new Date(m.replica.drainedAt).toISOString() } : {})
		}));
}

/** One line per drained replica, for a run's summary. */
export function drainedReplicaLines(drained: readonly (DrainedReplica & { session?: string })[] | undefined): string[] {
	return (drained ?? []).map(
		(d) =>
			`replica ${d.url} of endpoint "${d.endpoint}" drained ${d.drains}× after ${d.failures} failed attempt(s)${d.session ? ` in the session started ${d.session}` : ''}${d.last_error ? ` (last: ${d.last_error})` : ''}`
	);
}
