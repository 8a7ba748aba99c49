// Runs started from the workbench: one live run per generation run id (starting it twice joins
// the running one), progress fanned out to listeners (the SSE streams), cancel by AbortSignal.
// A run is the server's work, not the tab's: closing the tab does not stop it.
// Cancel is graceful, as Ctrl-C in the CLI: the first starts nothing new and lets the requests
// already sent finish and be logged (paid answers are kept; abort-fanout.ts); a second abandons them.
import { attachDrain } from '../../engine/abort-fanout.ts';
import type { RunPlan } from '../../notebook/executor.ts';
import type { RunSpec } from '../../notebook/run-spec.ts';
import { HttpError } from '../http.ts';
import type { ProjectRuns, RunPhaseProgress } from './project-runs.ts';

export type LiveState = 'running' | 'completed' | 'cancelled' | 'failed';

export interface RunEvent {
	state: LiveState;
	plan: RunPlan;
	phase: RunPhaseProgress['phase'] | null;
	progress: RunPhaseProgress['progress'] | null;
	error: string | null;
	warnings: string[];
	/** Cancelled once: nothing new starts, the requests in flight are being finished and saved (a second cancel abandons them). */
	stopping?: boolean;
}

interface LiveRun {
	event: RunEvent;
	controller: AbortController;
	/** The graceful stop of the first cancel (abort-fanout.ts). */
	drain?: AbortController;
	listeners: Set<(event: RunEvent) => void>;
}

/** Whether two plans start the same runs (a second Start of the same spec joins the first). */
function samePlan(a: RunPlan, b: RunPlan): boolean {
	return a.judgeRunId === b.judgeRunId && a.kind === b.kind && a.sourceRunId === b.sourceRunId && a.referenceRunId === b.referenceRunId;
}

/** Progress events are sent at most this often per run; state changes always go out. */
const PROGRESS_INTERVAL_MS = 500;

export class RunManager {
	private readonly live = new Map<string, LiveRun>();

	constructor(private readonly runs: ProjectRuns) {}

	async start(spec: RunSpec): Promise<RunEvent> {
		const plan = await this.runs.plan(spec);
		const existing = this.live.get(plan.generationRunId);
		if (existing?.event?.state === 'running') {
			// The same runs: joined. Another judge (or kind) over the same generation would be dropped
			// silently by joining: refused instead, saying what to do.
			if (samePlan(existing.event.plan, plan)) return existing.event;
			throw new HttpError(
				409,
				`a run of generation ${plan.generationRunId} is already going${existing.event.plan.judgeRunId ? ` (judged by run ${existing.event.plan.judgeRunId})` : ''}: this spec's ${plan.judgeRunId ? `judge run ${plan.judgeRunId}` : 'runs'} was not started; start it again when that run ends`
			);
		}
		const run: LiveRun = {
			event: { state: 'running', plan, phase: null, progress: null, error: null, warnings: [], stopping: false },
			controller: new AbortController(),
			drain: new AbortController(),
			listeners: existing?.listeners ?? new Set()
		};
		attachDrain(run.controller.signal, run.drain!.signal, () => run.controller.abort());
		this.live.set(plan.generationRunId, run);
		let lastSent = 0;
		const publish = (force: boolean) => {
			const now = Date.now();
			if (!force && now - lastSent < PROGRESS_INTERVAL_MS) return;
			lastSent = now;
			for (const listener of run.listeners) listener(run.event);
		};
		void this.runs
			.start(spec, {
				signal: run.controller.signal,
				onProgress: ({ phase, progress }) => {
					run.event = { ...run.event, phase, progress };
					publish(progress.done === progress.total);
				},
				onWarning: (message) => {
					run.event = { ...run.event, warnings: [...run.event.warnings.slice(-19), message] };
				}
			})
			.then(
				() => (run.event = { ...run.event, state: run.controller.signal.aborted || run.drain!.signal.aborted ? 'cancelled' : 'completed' }),
				(error: unknown) => (run.event = { ...run.event, state: 'failed', error: error instanceof Error ? error.message : String(error) })
			)
			.finally(() => publish(true));
		publish(true);
		return run.event;
	}

	get(generationRunId: string): RunEvent | null {
		return this.live.get(generationRunId)?.event ?? null;
	}

	/**
	 * Cancel stops a running run gracefully (see above): nothing new starts, the requests in flight
	 * are saved. Only `abandon` (the "Abandon them" button) aborts those — never a second plain
	 * cancel, so a double click or a second tab cannot throw away paid answers.
	 */
	cancel(generationRunId: string, options: { abandon?: boolean } = {}): boolean {
		const run = this.live.get(generationRunId);
		if (run?.event?.state !== 'running') return false;
		if (options.abandon || !run.drain) run.controller.abort();
		else if (!run.drain.signal.aborted) {
			run.drain.abort();
			run.event = { ...run.event, stopping: true };
			for (const listener of run.listeners) listener(run.event);
		}
		return true;
	}

	/** Calls `listener` with every event of the run from now on; returns the unsubscribe. */
	subscribe(generationRunId: string, listener: (event: RunEvent) => void): () => void {
		let run = this.live.get(generationRunId);
		if (!run) {
			// Listening before the run starts (a page opened first): keep the listener for it.
			run = { event: null as unknown as RunEvent, controller: new AbortController(), listeners: new Set() };
			this.live.set(generationRunId, run);
		}
		run.listeners.add(listener);
		const entry = run;
		return () => {
			entry.listeners.delete(listener);
			// A page that watched a run nobody started leaves nothing behind.
			if (!entry.event && entry.listeners.size === 0 && this.live.get(generationRunId) === entry) {
				this.live.delete(generationRunId);
			}
		};
	}
}
