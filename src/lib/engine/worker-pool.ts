// Per endpoint, a pool of workers pulls units from a queue: about twice the endpoint's
// concurrency, so slots stay busy while some units sit in backoff, and memory stays bounded
// however many units there are. A cancel (CancelledError) ends a worker quietly; any other
// error is fatal: it aborts `stop`, so every worker stops, and is returned.
import { CancelledError } from './adaptive-limit.ts';
import type { WorkUnit } from './types.ts';

export async function runWorkerPool(
	units: readonly WorkUnit[],
	concurrencyOf: (endpoint: string) => number,
	stop: AbortController,
	runOne: (unit: WorkUnit) => Promise<void>
): Promise<{ fatal: unknown }> {
	const queues = new Map<string, WorkUnit[]>();
	for (const u of units) {
		if (!queues.has(u.endpoint)) queues.set(u.endpoint, []);
		queues.get(u.endpoint)!.push(u);
	}
	let fatal: unknown = null;
	const workers: Promise<void>[] = [];
	for (const [name, queue] of queues) {
		let next = 0;
		const count = Math.min(queue.length, concurrencyOf(name) * 2);
		for (let w = 0; w < count; w++) {
			workers.push(
				(async () => {
					while (!stop.signal.aborted && next < queue.length) {
						const unit = queue[next++];
						try {
							await runOne(unit);
						} catch (e) {
							if (e instanceof CancelledError) return;
							fatal ??= e;
							stop.abort();
							return;
						}
					}
				})()
			);
		}
	}
	await Promise.all(workers);
	return { fatal };
}
