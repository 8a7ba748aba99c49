// One unit's request, sent until it is answered or given up on: attempts go through the
// endpoint's AdaptiveLimit; 5xx, timeouts, resets, cut streams and malformed bodies are retried
// with backoff + jitter (or the server's retry-after) within maxAttempts, 429s within their own
// budget; other 4xx are not retried. The failed attempts of a unit together get at most
// UNIT_BUDGET_TIMEOUTS × the attempt timeout: an endpoint that drips its answer (1 byte/s, just
// under the timeout each time) makes an 'endpoint too slow' error row after about 3 attempts,
// not 12 minutes of them. The waits the server asks for (retry-after, at most
// MAX_RETRY_AFTER_MS each, failure.ts) count in that budget too: an endpoint that keeps saying
// "come back in a minute" ends the unit instead of holding it for 30 minutes.
// Only the network is in here: what is done with an answer (cache, log) happens after this
// returns, so a local failure there can never be mistaken for a failed request and re-send it.
import { type AdaptiveLimit, CancelledError } from './adaptive-limit.ts';
import { backoffDelay, type RetryPolicy, sleep } from './backoff.ts';
import { chatAttempt, SAMPLE_HEADER, UNIT_HEADER } from './chat-client.ts';
import type { Endpoint } from './config.ts';
import { CallFailure } from './failure.ts';
import { type Replica, replicasOf } from './replicas.ts';
import type { Completion, WorkUnit } from './types.ts';

export type RequestOutcome =
	| { kind: 'answer'; completion: Completion; attempts: number; latency_ms: number }
	| { kind: 'failed'; failure: CallFailure; reason: string; attempts: number; latency_ms: number };

export interface RequestOptions {
	endpoint: Endpoint;
	limit: AdaptiveLimit;
	policy: RetryPolicy;
	/** Aborting it cancels the request: sendWithRetries then throws CancelledError. */
	signal: AbortSignal;
	/** Called as each attempt is sent (for the run's request count). */
	onAttempt?: () => void;
	/** The random source of backoff jitter. */
	random?: () => number;
}

const elapsed = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** The time a unit's failed attempts may take together, in attempt timeouts. */
export const UNIT_BUDGET_TIMEOUTS = 3;

export async function sendWithRetries(unit: WorkUnit, options: RequestOptions): Promise<RequestOutcome> {
	const { endpoint, limit, policy, signal } = options;
	let attempts = 0;
	let failures = 0;
	let rateLimited = 0;
	// Time spent in failed attempts and in the waits the server asked for (not in our own backoff
	// or waiting for a slot): the unit's budget.
	let failedMs = 0;
	let askedMs = 0;
	const budgetMs = UNIT_BUDGET_TIMEOUTS * endpoint.timeoutMs;
	// Replicas that failed this unit (connection, timeout, 5xx): its retries go elsewhere.
	const failedOn = new Set<Replica>();
	for (;;) {
		const slot = await limit.acquire(signal);
		attempts++;
		options.onAttempt?.();
		const t0 = performance.now();
		// Several servers for this endpoint: the least loaded that is not drained (replicas.ts).
		const replicas = replicasOf(endpoint);
		const replica = replicas?.pick(failedOn) ?? null;
		let failure: CallFailure;
		try {
			const completion = await chatAttempt(endpoint, unit.request, {
				signal,
				headers: { [UNIT_HEADER]: unit.id, [SAMPLE_HEADER]: String(unit.sample) },
				baseURL: replica?.url
			});
			if (replica) replicas!.release(replica, 'ok');
			limit.release(slot, 'ok');
			return { kind: 'answer', completion, attempts, latency_ms: elapsed(t0) };
		} catch (e) {
			failure = e instanceof CallFailure ? e : new CallFailure('connection', String(e));
			const down = failure.kind === 'connection' || failure.kind === 'timeout' || failure.kind === 'server';
			if (replica) replicas!.release(replica, down ? 'down' : 'other', failure.message);
			if (replica && down) failedOn.add(replica);
			limit.release(slot, failure.kind === 'rate_limited' ? 'rate_limited' : 'failed', failure.retryAfterMs);
		}
		if (failure.kind === 'cancelled') throw new CancelledError();
		const latency = elapsed(t0);
		// A timed-out attempt took its whole timeout (a timer may fire a hair early).
		failedMs += failure.kind === 'timeout' ? Math.max(latency, endpoint.timeoutMs) : latency;
		if (failure.kind === 'rate_limited') rateLimited++;
		else failures++;
		const exhausted = failure.kind === 'rate_limited' ? rateLimited >= policy.maxRateLimitedAttempts : failures >= policy.maxAttempts;
		if (!failure.retryable || exhausted) {
			const why = failure.retryable ? `gave up after ${attempts} attempt(s): ` : 'not retryable: ';
			return { kind: 'failed', failure, reason: `${failure.kind}: ${why}${failure.message}`, attempts, latency_ms: latency };
		}
		// The next wait, if the server asked for it, counts before it is taken: one that would end
		// past the budget is not waited out.
		const asked = failure.retryAfterMs ?? 0;
		if (failedMs + askedMs + asked >= budgetMs) {
			const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
			const waits = askedMs + asked > 0 ? ` and the server asked to wait ${s(askedMs + asked)} between them` : '';
			const reason = `endpoint too slow: ${attempts} attempt(s) took ${s(failedMs)} together${waits}, the unit's budget is ${s(budgetMs)} (${UNIT_BUDGET_TIMEOUTS} × the ${s(endpoint.timeoutMs)} attempt timeout); last: ${failure.kind}: ${failure.message}`;
			return { kind: 'failed', failure, reason, attempts, latency_ms: latency };
		}
		askedMs += asked;
		const delay = failure.retryAfterMs ?? backoffDelay(failure.kind === 'rate_limited' ? rateLimited : failures, policy, options.random);
		await sleep(delay, signal);
	}
}
