/**
 * Runs tasks one at a time per key, in arrival order. Makes read-compare-write of one notebook
 * atomic with respect to other requests in this process (two tabs saving at once). It cannot
 * lock out other processes; the version check narrows that window to one rename.
 */
export class KeyedLock {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(keys: string[], task: () => Promise<T>): Promise<T> {
		// Take several keys in sorted order so two multi-key tasks cannot wait on each other.
		const sorted = [...new Set(keys)].sort();
		const previous = sorted.map((key) => this.tails.get(key) ?? Promise.resolve());
		const result = Promise.allSettled(previous).then(task);
		const tail = result.catch(() => {});
		for (const key of sorted) this.tails.set(key, tail);
		try {
			return await result;
		} finally {
			for (const key of sorted) if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}
}
