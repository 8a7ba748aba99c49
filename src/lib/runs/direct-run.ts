// Runs whose verdicts need no endpoint (the rule judge, the detection answer parsers) are
// written in the same shape as engine runs — runs/<id>/manifest.json + log.jsonl, one ResultRow
// per unit — through the same RunSession, so listing, resuming and the run tables treat every
// run alike.
import { RunSession } from '../engine/run-session.ts';
import type { Manifest } from '../engine/manifest.ts';
import type { MetaValue, ResultRow, RowStatus } from '../engine/types.ts';

/** One unit of a direct run: its id and a function computing its row (called only if not yet logged). */
export interface DirectUnit {
	id: string;
	sample: number;
	meta: Record<string, MetaValue | boolean>;
	compute(): { status: RowStatus; response: string | null; error: string | null; fields?: Record<string, MetaValue | boolean> };
	/** The same row a step at a time (a generator yielding between passes): writeDirectRunSliced gives the event loop turns between steps. */
	computeSteps?(): Generator<void, ReturnType<DirectUnit['compute']>>;
	/** Set when compute ran earlier (its result kept): how long it took then, for the row. */
	latency_ms?: number;
}

export interface DirectRunResult {
	manifest: Manifest;
	/** Units computed in this call (the rest were already in the log). */
	computed: number;
}

const DIRECT_CHUNK = 512;
/** Rows computed this long (ms) after the last write are written even short of a chunk: a stop of the process loses little. */
export const DIRECT_FLUSH_MS = 2000;

export interface DirectRunOptions {
	runsDir: string;
	runId: string;
	kind: string;
	params: Record<string, unknown>;
	datasetHash: string | null;
	units: DirectUnit[];
	onWarning?: (message: string) => void;
	/** When computing the units began (the run's start, not the moment its rows are written). */
	startedAt?: Date;
	/** Pending rows older than this (ms) are written at the next row (default DIRECT_FLUSH_MS). */
	flushMs?: number;
}

export function writeDirectRun(options: DirectRunOptions): DirectRunResult {
	const run = openDirectRun(options);
	try {
		for (const unit of options.units) run.step(unit);
	} catch (e) {
		run.fail();
		throw e;
	}
	return run.finish();
}

/** Computing since the last turn given to the event loop longer than this (ms), writeDirectRunSliced gives it one. */
export const DIRECT_SLICE_MS = 50;

/**
 * writeDirectRun for units that compute in the caller's process (the rule judge inside the web
 * server): once DIRECT_SLICE_MS have gone by since the event loop's last turn, it gets one
 * (requests, timers, other runs' answers) — between units, and between the steps of a unit
 * that computes in steps (computeSteps: the rule judges' passes). So the loop is held at most
 * a slice plus one step (one pass of the judge on one program; its time limit bounds that).
 * A row's latency is its own compute time, the turns given away aside. Cancel (`signal`) is
 * looked at on every turn: the rows computed so far are written and the run ends `cancelled`
 * (a unit cut off between its steps is left for the resume).
 */
export async function writeDirectRunSliced(options: DirectRunOptions & { sliceMs?: number; signal?: AbortSignal }): Promise<DirectRunResult> {
	const sliceMs = options.sliceMs ?? DIRECT_SLICE_MS;
	const { signal } = options;
	const run = openDirectRun(options);
	let since = performance.now();
	/** A turn for the event loop when the slice is used up; true once the run was cancelled (the signal, served during a turn). */
	const turn = async (): Promise<boolean> => {
		if (performance.now() - since >= sliceMs) {
			await new Promise<void>((resolve) => setTimeout(resolve, 0));
			since = performance.now();
		}
		return signal?.aborted === true;
	};
	let cancelled = signal?.aborted === true;
	try {
		for (const unit of options.units) {
			if (cancelled) break;
			if (unit.computeSteps && unit.latency_ms === undefined && !run.isFinished(unit)) {
				const steps = unit.computeSteps();
				let spent = 0;
				let out: ReturnType<DirectUnit['compute']> | undefined;
				for (;;) {
					const t0 = performance.now();
					const step = steps.next();
					spent += performance.now() - t0;
					if (step.done) {
						out = step.value;
						break;
					}
					if (await turn()) {
						// cancelled half-way through this unit: it is dropped (computed again on resume)
						steps.return(undefined as never);
						cancelled = true;
						break;
					}
				}
				if (out) run.record(unit, out, spent);
			} else run.step(unit);
			if (await turn()) cancelled = true;
		}
	} catch (e) {
		run.fail();
		throw e;
	}
	// a cancelled run keeps every row it computed (written now) and ends `cancelled`; a resume computes the rest
	return run.finish(cancelled ? 'cancelled' : 'completed');
}

/** A unit's row as its compute() returns it. */
export type DirectOut = ReturnType<DirectUnit['compute']>;

/**
 * Computes a direct run's units somewhere else than the caller's event loop (the web server's
 * worker thread, server/runs/judge-worker.ts), handing each row back as it is computed.
 */
export interface DirectComputer {
	/**
	 * Computes `units` (those not in the log yet, in order) and calls `onRow` with each row as it
	 * comes back, with its compute time (ms). Resolves 'completed' once every unit has its row,
	 * 'cancelled' once `signal` aborted (rows not back by then are dropped: a resume computes them);
	 * rejects when the computer itself fails (the rows already handed over are kept).
	 */
	compute(units: readonly DirectUnit[], onRow: (unit: DirectUnit, out: DirectOut, computeMs: number) => void, signal?: AbortSignal): Promise<'completed' | 'cancelled'>;
}

/**
 * writeDirectRun with the rows computed by `computer` (a worker thread) instead of here: the
 * same session, chunks, flushes and manifest as writeDirectRunSliced — the run folder has the
 * same shape whichever computed it — while the caller's event loop only writes rows.
 */
export async function writeDirectRunWith(options: DirectRunOptions & { signal?: AbortSignal; computer: DirectComputer }): Promise<DirectRunResult> {
	const run = openDirectRun(options);
	let state: 'completed' | 'cancelled';
	try {
		const pending = options.units.filter((u) => !run.isFinished(u));
		state = options.signal?.aborted ? 'cancelled' : await options.computer.compute(pending, run.record, options.signal);
	} catch (e) {
		run.fail();
		throw e;
	}
	return run.finish(state);
}

function openDirectRun(options: DirectRunOptions) {
	const session = RunSession.open({
		runsDir: options.runsDir,
		runId: options.runId,
		kind: options.kind,
		params: options.params,
		datasetHash: options.datasetHash,
		unitIds: options.units.map((u) => u.id),
		onWarning: options.onWarning,
		startedAt: options.startedAt
	});
	let computed = 0;
	// Rows are written in chunks (one write each), not one write per row: a direct run computes
	// thousands of rows in a burst. A kill loses at most the unwritten chunk (or DIRECT_FLUSH_MS of
	// work), recomputed on resume.
	// Also written once the oldest pending row is flushMs old, so a slow run (the tree judge on
	// big programs) keeps its log close to what it computed.
	const pending: ResultRow[] = [];
	const flushMs = options.flushMs ?? DIRECT_FLUSH_MS;
	let lastFlush = performance.now();
	const flush = () => {
		session.appendMany(pending);
		computed += pending.length;
		pending.length = 0;
		lastFlush = performance.now();
	};
	const record = (unit: DirectUnit, out: ReturnType<DirectUnit['compute']>, computeMs: number) => {
		const row: ResultRow = {
			unit_id: unit.id,
			sample: unit.sample,
			status: out.status,
			response: out.response,
			error: out.error,
			latency_ms: unit.latency_ms ?? Math.round(computeMs * 10) / 10,
			tokens_in: null,
			tokens_out: null,
			cached: false,
			attempts: 0,
			finished_at: new Date().toISOString(),
			meta: { ...unit.meta, ...(out.fields ?? {}) }
		};
		pending.push(row);
		if (pending.length >= DIRECT_CHUNK || performance.now() - lastFlush >= flushMs) flush();
	};
	return {
		isFinished: (unit: DirectUnit) => session.isFinished(unit.id),
		record,
		step(unit: DirectUnit) {
			if (session.isFinished(unit.id)) return;
			const t0 = performance.now();
			const out = unit.compute();
			record(unit, out, performance.now() - t0);
		},
		/** The rows computed before a failing unit are kept, as when each was written at once. */
		fail() {
			try {
				if (pending.length > 0) flush();
			} catch {
				// The first error says what went wrong.
			}
			session.abandon('failed');
		},
		finish(state: 'completed' | 'cancelled' = 'completed'): DirectRunResult {
			try {
				flush();
			} catch (e) {
				session.abandon('failed');
				throw e;
			}
			return { manifest: session.finish(state), computed };
		}
	};
}
