// Per endpoint, a pool of workers pulls units from a queue: about twice the endpoint's
// concurrency, so slots stay busy while some units sit in backoff, and memory stays bounded
// however many units there are. A cancel (CancelledError) ends a worker quietly; any other
// error is fatal: it aborts `stop`, so every worker stops, and is returned. A graceful stop
// (abort-fanout.ts: a drain that came with the stop signal) ends each worker once its unit is
// done: no unit starts after it, the units in flight finish and are logged.
// The units come as a list, or as one endpoint's stream built while the run goes
// (unit-source.ts): a worker then takes the next unit as it is built.
import { stopsStarting } from './abort-fanout.ts';
import { CancelledError } from './adaptive-limit.ts';
import type { WorkUnit } from './types.ts';

/** One endpoint's units, handed out one at a time (undefined once there are no more). */
export interface UnitStream {
	endpoint: string;
	/** How many units next() gives in all (sizes the pool). */
	count: number;
	next(): WorkUnit | undefined;
}

export async function runWorkerPool(
	units: readonly WorkUnit[] | UnitStream,
	concurrencyOf: (endpoint: string) => number,
	stop: AbortController,
	runOne: (unit: WorkUnit) => Promise<void>
): Promise<{ fatal: unknown }> {
	const queues = new Map<string, UnitStream>();
	if ('next' in units) queues.set(units.endpoint, units);
	else {
		const lists = new Map<string, WorkUnit[]>();
		for (const u of units) {
			if (!lists.has(u.endpoint)) lists.set(u.endpoint, []);
			lists.get(u.endpoint)!.push(u);
		}
		for (const [endpoint, list] of lists) {
			let at = 0;
			queues.set(endpoint, { endpoint, count: list.length, next: () => (at < list.length ? list[at++] : undefined) });
		}
	}
	let fatal: unknown = null;
	const workers: Promise<void>[] = [];
	for (const [name, queue] of queues) {
		const count = Math.min(queue.count, concurrencyOf(name) * 2);
		for (let w = 0; w < count; w++) {
			workers.push(
				(async () => {
					while (!stopsStarting(stop.signal)) {
						let unit: WorkUnit | undefined;
						try {
							unit = queue.next();
							if (unit === undefined) return;
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
