// A direct judge's verdicts computed while the run it judges is still going (the detection
// parsers of a detection run): each answer is turned into its verdict units, and those are
// computed, as it is logged, in the time the run spends waiting on the network. At the end,
// runJudge takes the units of every target whose answer was seen here (unit ids, rows and
// timings exactly as computing them then would give) and builds only the others, so the
// judge run after a run costs its writing, not its computing.
// Only for direct judges whose units are per target (the units of a list of targets are
// the units of each target in turn), which the parsers' are.
import { unitId } from '../engine/canonical-json.ts';
import type { ResultRow } from '../engine/types.ts';
import type { DirectUnit } from './direct-run.ts';
import type { JudgeDescriptor } from '../judges/judge.ts';
import { type JudgeTarget, targetOfRow } from './judge-targets.ts';

type DirectExecution = Extract<JudgeDescriptor['execution'], { via: 'direct' }>;

export class VerdictsAhead {
	readonly #units = new Map<string, { target: JudgeTarget; units: DirectUnit[] }>();
	readonly #execution: DirectExecution;
	readonly #sourceRunId: string;
	/** False once the judge's units turn out not to be computable here (async units). */
	#usable = true;

	constructor(execution: DirectExecution, sourceRunId: string) {
		this.#execution = execution;
		this.#sourceRunId = sourceRunId;
	}

	/** A row the run just logged: an answer's verdicts are computed now. Never throws (the run goes on). */
	add(row: ResultRow): void {
		if (!this.#usable || row.status !== 'ok') return;
		try {
			const target = targetOfRow(row);
			const made = this.#execution.units([target], { sourceRunId: this.#sourceRunId, unitId });
			if (made instanceof Promise) {
				// A judge that loads something first: left to runJudge.
				this.#usable = false;
				made.catch(() => {});
				return;
			}
			const units = made.map((unit): DirectUnit => {
				const t0 = performance.now();
				const out = unit.compute();
				return { ...unit, compute: () => out, computeSteps: undefined, latency_ms: Math.round((performance.now() - t0) * 10) / 10 };
			});
			this.#units.set(target.target_id, { target, units });
		} catch {
			// Left to runJudge, which computes this target again and fails (or not) as it always did.
		}
	}

	/**
	 * The units of these targets, in order: computed ones for the targets seen here with the
	 * same answer and fields, fresh (not yet computed) ones for the others.
	 */
	async unitsFor(targets: readonly JudgeTarget[]): Promise<DirectUnit[]> {
		const out: DirectUnit[] = [];
		const rest: JudgeTarget[] = [];
		const flush = async () => {
			if (rest.length === 0) return;
			out.push(...(await this.#execution.units(rest, { sourceRunId: this.#sourceRunId, unitId })));
			rest.length = 0;
		};
		for (const target of targets) {
			const seen = this.#usable ? this.#units.get(target.target_id) : undefined;
			if (seen && sameTarget(seen.target, target)) {
				await flush();
				out.push(...seen.units);
			} else {
				rest.push(target);
			}
		}
		await flush();
		return out;
	}
}

/** Every field equal (targets are flat: strings, numbers, nulls). */
function sameTarget(a: JudgeTarget, b: JudgeTarget): boolean {
	const keys = Object.keys(a) as (keyof JudgeTarget)[];
	return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
