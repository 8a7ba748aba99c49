// Optional timestamps of a run's phases (items loaded, units built, first request sent, each
// answer logged, judged…) for bench/cli-run.js: `COVW_PHASES=1 covw run …` prints them as one
// JSON line on stderr at exit (src/cli/main.ts). Off unless a recorder is installed, so a mark
// costs one null check; the engine never reads the clock for it otherwise.

/** Wall-clock milliseconds (epoch), comparable across processes. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface PhaseRecord {
	/** First and latest time each phase was marked (epoch ms). */
	first: Record<string, number>;
	last: Record<string, number>;
	/**
	 * The process's CPU time (user + system, ms) at the first mark of each phase. Only the first:
	 * reading it is a getrusage(2) call (~10–20 µs), and at two marks per request (request,
	 * answer) that was 4–8% of the CPU of a run's requests phase (V8 --prof of
	 * bench/cli-run.js's run), so the figure measured itself. The CPU at the last answer is
	 * about that at the next phase's first mark (pool-done).
	 */
	cpuFirst: Record<string, number>;
	count: Record<string, number>;
}

let record: PhaseRecord | null = null;
let cpuMs: () => number = () => 0;

/** Starts recording marks (the CLI does when COVW_PHASES is set); returns the record it fills. */
export function recordPhases(cpu?: () => number): PhaseRecord {
	if (cpu) cpuMs = cpu;
	record ??= { first: {}, last: {}, cpuFirst: {}, count: {} };
	return record;
}

/** Marks a phase now (a no-op unless recording). */
export function markPhase(name: string): void {
	if (record === null) return;
	const at = wallNow();
	if (record.first[name] === undefined) {
		record.first[name] = at;
		record.cpuFirst[name] = cpuMs();
	}
	record.last[name] = at;
	record.count[name] = (record.count[name] ?? 0) + 1;
}
