// Work that need not be done the moment an answer arrives (a detection run's parser verdicts of
// each answer, computed ahead of the judge run; the next units, built ahead in run-units.ts):
// done once nothing new has come for `quietMs` — in the gaps between the answers a run gets —
// or at once when `maxPending` items wait, or when the owner flushes. Done inline, it sat
// between one answer and the handling of the next: answers that arrive together (64 at a time
// from a server whose latency is steady, bench/cli-run.js) each waited for the work of all
// those before them. IdleQueue handles items in the order they were pushed (`handle` must not
// throw); QuietTimer is the bare "call once things are quiet".

export interface IdleQueueOptions {
	/** How long no new item must have come before the queue is worked off (ms). */
	quietMs?: number;
	/** Worked off at the latest this long after the first item waiting came (a stream that never goes quiet). */
	maxWaitMs?: number;
	/** Worked off at once when this many wait (bounds memory and delay under a steady stream). */
	maxPending?: number;
}

export class IdleQueue<T> {
	readonly #handle: (item: T) => void;
	readonly #maxPending: number;
	readonly #quiet: QuietTimer;
	#items: T[] = [];

	constructor(handle: (item: T) => void, options: IdleQueueOptions = {}) {
		this.#handle = handle;
		this.#maxPending = options.maxPending ?? 256;
		this.#quiet = new QuietTimer(() => this.flush(), options.quietMs ?? 3, options.maxWaitMs ?? 25);
	}

	get pending(): number {
		return this.#items.length;
	}

	push(item: T): void {
		this.#items.push(item);
		if (this.#items.length >= this.#maxPending) this.flush();
		else this.#quiet.poke();
	}

	/** Handles every waiting item now. */
	flush(): void {
		this.#quiet.cancel();
		const items = this.#items;
		this.#items = [];
		for (const item of items) this.#handle(item);
	}

	/** Drops the waiting items and the timer (an owner that stops early). */
	dispose(): void {
		this.#quiet.cancel();
		this.#items = [];
	}
}

/**
 * Calls `fn` once `quietMs` have passed since the latest poke, or `maxWaitMs` since the first
 * poke it has not yet answered, whichever comes first. One timer at a time, not one per poke:
 * when it fires early (poked since), it waits the rest.
 */
export class QuietTimer {
	readonly #fn: () => void;
	readonly #quietMs: number;
	readonly #maxWaitMs: number;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#firstPoke = 0;
	#lastPoke = 0;

	constructor(fn: () => void, quietMs: number, maxWaitMs = Infinity) {
		this.#fn = fn;
		this.#quietMs = quietMs;
		this.#maxWaitMs = maxWaitMs;
	}

	poke(): void {
		this.#lastPoke = performance.now();
		if (this.#timer === null) {
			this.#firstPoke = this.#lastPoke;
			this.#timer = setTimeout(this.#fire, this.#quietMs);
		}
	}

	cancel(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	readonly #fire = (): void => {
		this.#timer = null;
		const now = performance.now();
		const quietLeft = this.#quietMs - (now - this.#lastPoke);
		const waitLeft = this.#maxWaitMs - (now - this.#firstPoke);
		if (quietLeft > 0 && waitLeft > 0) this.#timer = setTimeout(this.#fire, Math.min(quietLeft, waitLeft));
		else this.#fn();
	};
}
