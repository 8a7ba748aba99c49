// Concurrency gate for one endpoint, adaptive on rate limits (AIMD, as TCP does): a 429 halves
// the limit and pauses new requests for the server's retry-after; every success adds 1/limit,
// so the limit climbs back by about one per window of successes, up to the configured maximum.
// Only the first 429 of a "window" halves: requests already in flight when the limit dropped
// were sent at the old rate, so their 429s are not fresh evidence.

import { onAbortOrDrain, stopsStarting } from './abort-fanout.ts';
import { MAX_RETRY_AFTER_MS } from './failure.ts';

export interface Slot {
	/** The decrease epoch the request started in. */
	readonly epoch: number;
}

export type SlotOutcome = 'ok' | 'rate_limited' | 'failed';

export class CancelledError extends Error {
	constructor() {
		super('cancelled');
	}
}

interface Waiter {
	resolve: (slot: Slot) => void;
	reject: (e: Error) => void;
	/** Stops watching the cancel signal (abort-fanout.ts). */
	unwatch?: () => void;
}

export class AdaptiveLimit {
	#limit: number;
	#inFlight = 0;
	#epoch = 0;
	#pausedUntil = 0;
	#wakeTimer: ReturnType<typeof setTimeout> | null = null;
	readonly #waiters: Waiter[] = [];

	constructor(
		readonly max: number,
		readonly min = 1,
		private now: () => number = Date.now
	) {
		if (!(max >= 1)) throw new Error(`concurrency must be at least 1 (got ${max})`);
		this.#limit = max;
	}

	/** Current limit (whole requests). */
	get limit(): number {
		return Math.max(this.min, Math.floor(this.#limit));
	}
	get inFlight(): number {
		return this.#inFlight;
	}
	get pausedForMs(): number {
		return Math.max(0, this.#pausedUntil - this.now());
	}

	/** A slot for one attempt; a cancel, or a graceful stop's drain (abort-fanout.ts), ends the wait. */
	acquire(signal?: AbortSignal): Promise<Slot> {
		if (stopsStarting(signal)) return Promise.reject(new CancelledError());
		return new Promise<Slot>((resolve, reject) => {
			const waiter: Waiter = { resolve, reject };
			if (signal) {
				waiter.unwatch = onAbortOrDrain(signal, () => {
					const i = this.#waiters.indexOf(waiter);
					if (i >= 0) this.#waiters.splice(i, 1);
					reject(new CancelledError());
				});
			}
			this.#waiters.push(waiter);
			this.#pump();
		});
	}

	release(slot: Slot, outcome: SlotOutcome, retryAfterMs: number | null = null): void {
		this.#inFlight--;
		if (outcome === 'ok') {
			this.#limit = Math.min(this.max, this.#limit + 1 / Math.max(1, this.#limit));
		} else if (outcome === 'rate_limited') {
			if (slot.epoch === this.#epoch) {
				this.#limit = Math.max(this.min, Math.floor(this.#limit / 2));
				this.#epoch++;
			}
			if (retryAfterMs !== null && retryAfterMs > 0) {
				// Never longer than MAX_RETRY_AFTER_MS, whoever passes the delay.
				this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
			}
		}
		this.#pump();
	}

	#pump(): void {
		const wait = this.#pausedUntil - this.now();
		if (wait > 0) {
			if (this.#waiters.length > 0 && this.#wakeTimer === null) {
				this.#wakeTimer = setTimeout(() => {
					this.#wakeTimer = null;
					this.#pump();
				}, wait);
			}
			return;
		}
		while (this.#waiters.length > 0 && this.#inFlight < this.limit) {
			const waiter = this.#waiters.shift()!;
			waiter.unwatch?.();
			this.#inFlight++;
			waiter.resolve({ epoch: this.#epoch });
		}
	}
}
