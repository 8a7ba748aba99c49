// Units built as a run asks for them, instead of all before the first request: a fresh run
// (nothing logged yet) sends its first requests once its first units exist, and builds the
// others while answers are awaited (a detection run's 2,124 units take tens of ms of CPU to
// build: prompts, hashes, ids). The builder must already have checked whatever could make a
// unit fail to build (run-units.ts then has nothing to stop for mid-run). A run with rows
// already logged (a resume) needs every unit id first, and builds them all (allUnits).
import type { WorkUnit } from './types.ts';

export interface UnitSource {
	/** How many units build() gives. */
	readonly count: number;
	/** Every (endpoint, model) a unit uses: keys and model lists are checked before anything is sent. */
	readonly targets: readonly { endpoint: string; model: string }[];
	/** The units, in order, built as the iterator is advanced. */
	build(): Iterator<WorkUnit>;
}

export function isUnitSource(units: readonly WorkUnit[] | UnitSource): units is UnitSource {
	return !Array.isArray(units);
}

/** Every unit, built now (once per source: later calls give the same array). */
export function allUnits(units: WorkUnit[] | UnitSource): WorkUnit[] {
	if (!isUnitSource(units)) return units;
	let all = built.get(units);
	if (!all) {
		all = [];
		const it = units.build();
		for (let next = it.next(); !next.done; next = it.next()) all.push(next.value);
		built.set(units, all);
	}
	return all;
}

const built = new WeakMap<UnitSource, WorkUnit[]>();
