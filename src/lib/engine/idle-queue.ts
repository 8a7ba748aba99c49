// Work that need not be done the moment an answer arrives (a detection run's parser verdicts of
// each answer, computed ahead of the judge run): queued, and done once no new item has come
// for `quietMs` — in the gaps between the answers a run gets — or at once when `maxPending`
// items wait, or when the owner flushes. Done inline, it sat between one answer and the
// handling of the next: answers that arrive together (64 at a time from a server whose
// latency is steady, bench/cli-run.js) each waited for the work of all those before them.
// Items are handled in the order they were pushed; `handle` must not throw.

export interface IdleQueueOptions {
	/** How long no new item must have come before the queue is worked off (ms). */
	quietMs?: number;
	/** Worked off at once when this many wait (bounds memory and delay under a steady stream). */
	maxPending?: number;
}

export class IdleQueue<T> {
	readonly #handle: (item: T) => void;
	readonly #quietMs: number;
	readonly #maxPending: number;
	#items: T[] = [];
	#timer: ReturnType<typeof setTimeout> | null = null;
	#lastPush = 0;

	constructor(handle: (item: T) => void, options: IdleQueueOptions = {}) {
		this.#handle = handle;
		this.#quietMs = options.quietMs ?? 3;
		this.#maxPending = options.maxPending ?? 256;
	}

	get pending(): number {
		return this.#items.length;
	}

	push(item: T): void {
		this.#items.push(item);
		this.#lastPush = performance.now();
		if (this.#items.length >= this.#maxPending) this.flush();
		// One timer at a time: when it fires early (an item came since), it waits the rest.
		else if (this.#timer === null) this.#arm(this.#quietMs);
	}

	/** Handles every waiting item now. */
	flush(): void {
		this.#clear();
		const items = this.#items;
		this.#items = [];
		for (const item of items) this.#handle(item);
	}

	/** Drops the waiting items and the timer (an owner that stops early). */
	dispose(): void {
		this.#clear();
		this.#items = [];
	}

	#arm(ms: number): void {
		this.#timer = setTimeout(this.#fire, ms);
	}

	readonly #fire = (): void => {
		this.#timer = null;
		const quiet = performance.now() - this.#lastPush;
		if (quiet < this.#quietMs) this.#arm(this.#quietMs - quiet);
		else this.flush();
	};

	#clear(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
