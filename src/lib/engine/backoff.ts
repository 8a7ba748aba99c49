// Retry timing: exponential backoff with jitter, and sleeps that a cancel cuts short.
import { onAbortOrDrain, stopsStarting } from './abort-fanout.ts';
import { CancelledError } from './adaptive-limit.ts';

export interface RetryPolicy {
	/** Attempts per unit for 5xx, timeouts, resets and malformed bodies (from the endpoint). */
	maxAttempts: number;
	/** 429s count against their own, larger budget: a busy endpoint is not a broken unit. */
	maxRateLimitedAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts'> = {
	maxRateLimitedAttempts: 30,
	baseDelayMs: 500,
	maxDelayMs: 30_000
};

/**
 * Delay before retry number `retry` (1 = first retry): base·2^(retry-1), capped, then
 * "equal jitter" (half fixed, half random) so synchronized failures spread out but never
 * retry instantly.
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
	return ceiling / 2 + random() * (ceiling / 2);
}

/** Waits `ms`; a cancel, or a graceful stop's drain (abort-fanout.ts: no new attempt after it), ends the wait with CancelledError. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (stopsStarting(signal)) return Promise.reject(new CancelledError());
	return new Promise((resolve, reject) => {
		const unwatch = signal
			? onAbortOrDrain(signal, () => {
					clearTimeout(timer);
					reject(new CancelledError());
				})
			: null;
		const timer = setTimeout(() => {
			unwatch?.();
			resolve();
		}, ms);
	});
}
