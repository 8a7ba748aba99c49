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
