// One abort listener per signal, however many requests wait on it. A run's stop signal is
// watched by every request in flight and every worker waiting for a slot (about twice the
// concurrency); an EventTarget scans its listeners on every add and remove (to refuse a
// duplicate), so at concurrency 64 each request paid four scans of ~128 listeners (~2% of a
// run's CPU in its requests phase, V8 --prof of bench/cli-run.js). Here each signal gets one
// listener, which calls the callbacks registered for it, in the order they were registered;
// registering and removing one is a Set operation.
// As with addEventListener: a callback registered on a signal already aborted is never called
// (callers check `signal.aborted` first), and each callback runs at most once.

const fanouts = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` when `signal` aborts; returns the function that unregisters it. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
	let callbacks = fanouts.get(signal);
	if (!callbacks) {
		const set = new Set<() => void>();
		callbacks = set;
		fanouts.set(signal, set);
		signal.addEventListener(
			'abort',
			() => {
				const all = [...set];
				set.clear();
				for (const f of all) f();
			},
			{ once: true }
		);
	}
	const registered = callbacks;
	registered.add(callback); // the same function twice is one registration, as with addEventListener
	return () => void registered.delete(callback);
}

/**
 * A graceful stop that comes with a run's cancel signal (a first Ctrl-C): once `drain` aborts,
 * nothing new is started — no unit, no attempt (a retry's backoff and a wait for a slot end
 * quietly: an attempt not yet sent costs nothing) — while the requests already on the wire run
 * to their answer (or their own timeout) and are logged. Aborting the cancel signal itself
 * (a second Ctrl-C) still abandons them. Once drained with nothing on the wire, `idle` is called
 * (the caller aborts the cancel signal then: the steps after a run — its judge, an evolve's next
 * step — see a cancelled run, as before). The engine finds the stop from the signal it was given
 * (gracefulStopOf), so every layer between the caller and the scheduler passes the one signal.
 */
export class GracefulStop {
	/** Attempts on the wire (chat-client.ts). */
	inFlight = 0;
	constructor(
		readonly drain: AbortSignal,
		private readonly idle: () => void
	) {
		onAbort(drain, () => this.#checkIdle());
	}
	attemptStarted(): void {
		this.inFlight++;
	}
	attemptEnded(): void {
		this.inFlight--;
		this.#checkIdle();
	}
	#checkIdle(): void {
		if (this.drain.aborted && this.inFlight === 0) this.idle();
	}
}

const graceful = new WeakMap<AbortSignal, GracefulStop>();

/** Gives `signal` a graceful stop: `drain` as above, `idle` once it is drained and nothing is on the wire. */
export function attachDrain(signal: AbortSignal, drain: AbortSignal, idle: () => void): GracefulStop {
	const state = new GracefulStop(drain, idle);
	graceful.set(signal, state);
	return state;
}

/** The graceful stop that came with `signal`, if any. */
export function gracefulStopOf(signal: AbortSignal | null | undefined): GracefulStop | undefined {
	return signal ? graceful.get(signal) : undefined;
}

/** The scheduler's own stop signal inherits its caller's drain (and in-flight count). */
export function inheritDrain(from: AbortSignal | null | undefined, to: AbortSignal): void {
	const state = gracefulStopOf(from);
	if (state) graceful.set(to, state);
}

/** Calls `callback` when `signal` aborts or its drain does (the first of the two); returns the unregister function. */
export function onAbortOrDrain(signal: AbortSignal, callback: () => void): () => void {
	const drain = gracefulStopOf(signal)?.drain;
	if (!drain) return onAbort(signal, callback);
	let called = false;
	const once = () => {
		if (called) return;
		called = true;
		offA();
		offB();
		callback();
	};
	const offA = onAbort(signal, once);
	const offB = onAbort(drain, once);
	return () => {
		offA();
		offB();
	};
}

/** Whether `signal` is aborted or its drain is: nothing new may start. */
export function stopsStarting(signal: AbortSignal | null | undefined): boolean {
	return !!signal && (signal.aborted || !!gracefulStopOf(signal)?.drain.aborted);
}
