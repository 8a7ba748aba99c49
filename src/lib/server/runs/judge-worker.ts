// A page-started direct judge run (the rule judge, the detection answer parsers, an ensemble's
// direct members) computes its verdicts in a worker thread, so the web server's event loop only
// writes rows: one pass of the rule judge on a hostile program can take seconds, and every other
// request of the workbench (other tabs, SSE, the notebook API) would wait for it.
// One worker per run (judge-worker-entry.ts: it loads the judge and its tree-sitter WASM itself;
// its start-up is measured by bench/judge-worker.js), ended when the run ends. The rows come back
// one message each and are written by runs/direct-run.ts writeDirectRunWith — the same session,
// chunks and manifest as a run computed in process, so the run folder has the same shape.
// - A unit that does not come back within the judge's time limit plus WORKER_GRACE_MS (the judge
//   stops itself at its limit; this is for a pass that does not) gets its worker terminated: the
//   unit is an error row naming the limit — no verdict — and the run goes on with a fresh worker.
// - The worker's heap is bounded (resourceLimits, WORKER_MEMORY_MB): a unit that runs it out of
//   memory is an error row naming the bound, and the run goes on with a fresh worker.
// - Cancel (the run's signal; the first and the second Stop both end in it for a direct run, which
//   has no request in flight to wait for) terminates the worker at once: the rows back by then are
//   written, the unit in progress is left for the resume, the run ends cancelled.
// - Any other end of the worker (an uncaught error, an exit) fails the run with an error naming
//   the judge and the unit; the rows already back are kept.
import { Worker } from 'node:worker_threads';
import { DEFAULT_RULE_TIME_LIMIT_MS, formatLimit, JudgeTimeLimitError } from '../../core/judges/rules/deadline.ts';
import { onAbort } from '../../engine/abort-fanout.ts';
import type { DirectComputer, DirectOut, DirectUnit } from '../../runs/direct-run.ts';
import type { DirectComputeRequest } from '../../runs/judge-run.ts';
import type { ComputeMessage, JudgeWorkerData, WorkerMessage } from './judge-worker-entry.ts';

/** How long past the judge's own time limit a unit may take before its worker is terminated. */
export const WORKER_GRACE_MS = 5_000;
/** The worker's V8 heap (old generation), MB. The WASM parser's memory is outside it (the judge's input size limits bound that). */
export const WORKER_MEMORY_MB = 1024;

export interface JudgeWorkerOptions {
	/** Past the time limit (ms) before the worker is terminated (default WORKER_GRACE_MS). */
	graceMs?: number;
	/** How long a unit may take before its worker is terminated (default: the time limit + graceMs); tests set it below the judge's own limit. */
	killAfterMs?: number;
	/** The worker's heap bound, MB (default WORKER_MEMORY_MB). */
	memoryMb?: number;
	/** The worker's script (default: judge-worker-entry.ts's own file; bench/judge-worker.js names the built chunk). */
	entry?: string;
	/** Tests only: a crash planted in the worker at a unit. */
	fault?: JudgeWorkerData['fault'];
	/** Each worker's start-up: from `new Worker` to its judge loaded and units built (ms), and the worker's own share of it. */
	onStarted?: (startup: { ms: number; loadMs: number }) => void;
}

/** The server's way of computing a direct judge run: in worker threads (runJudge's `directComputer`). */
export function judgeWorkerComputer(options: JudgeWorkerOptions = {}): (request: DirectComputeRequest) => DirectComputer {
	return (request) => ({ compute: (units, onRow, signal) => computeInWorkers(request, options, units, onRow, signal) });
}

let entryUrl: Promise<string> | null = null;

/** The worker's script: the entry module's own file (in the built server, its chunk). */
function workerScript(): Promise<string> {
	entryUrl ??= import('./judge-worker-entry.ts').then((m) => m.JUDGE_WORKER_URL);
	return entryUrl;
}

function spawnWorker(entry: string, data: JudgeWorkerData, memoryMb: number): Worker {
	const resourceLimits = { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memoryMb / 8)) };
	// From the sources (vite dev, vitest) Node cannot load .ts: a bootstrap strips the types.
	if (entry.endsWith('.ts')) return new Worker(new URL('./judge-worker-dev.mjs', entry), { workerData: { ...data, entry }, resourceLimits });
	return new Worker(new URL(entry), { workerData: data, resourceLimits });
}

async function computeInWorkers(
	request: DirectComputeRequest,
	options: JudgeWorkerOptions,
	units: readonly DirectUnit[],
	onRow: (unit: DirectUnit, out: DirectOut, computeMs: number) => void,
	signal?: AbortSignal
): Promise<'completed' | 'cancelled'> {
	if (units.length === 0) return 'completed';
	if (signal?.aborted) return 'cancelled';
	const entry = options.entry ?? (await workerScript());
	// A Cancel while the entry loaded (the first run after a start): onAbort never fires for a
	// signal already aborted, so it is looked at again here.
	if (signal?.aborted) return 'cancelled';
	const limitMs = request.timeLimitMs ?? DEFAULT_RULE_TIME_LIMIT_MS;
	const killAfterMs = options.killAfterMs ?? limitMs + (options.graceMs ?? WORKER_GRACE_MS);
	const memoryMb = options.memoryMb ?? WORKER_MEMORY_MB;
	const data: JudgeWorkerData = {
		covwJudgeWorker: 1,
		judge: request.judge,
		targets: request.targets,
		sourceRunId: request.sourceRunId,
		timeLimitMs: request.timeLimitMs,
		fault: options.fault ?? null
	};
	/** An error row for a unit whose worker was ended under it: no verdict, the reason named. */
	// Named as the judge names its own errors ("rule judge: …" for the rule judges), so a unit the
	// worker stopped and one the judge stopped itself are one reason on the run page.
	const judgeName = /^rules(\b|-)/.test(request.judge) ? 'rule judge' : request.judge;
	const stoppedRow = (error: string): DirectOut => ({ status: 'error', response: null, error: `${judgeName}: ${error}`, fields: { vulnerable: null } });

	return new Promise((resolve, reject) => {
		let next = 0; // the first unit without its row
		let worker: Worker | null = null;
		let ready = false;
		let settled = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let unlisten = () => {};
		const end = (settle: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			unlisten();
			const w = worker;
			worker = null;
			void w?.terminate();
			settle();
		};
		const fail = (e: unknown) => end(() => reject(e));
		/** The unit in progress ended with its worker: its error row, then a fresh worker for the rest. */
		const replace = (error: string, spentMs: number) => {
			clearTimeout(timer);
			const w = worker;
			worker = null;
			void w?.terminate();
			try {
				onRow(units[next], stoppedRow(error), spentMs);
			} catch (e) {
				return fail(e);
			}
			next++;
			start();
		};
		const arm = () => {
			clearTimeout(timer);
			const since = performance.now();
			timer = setTimeout(
				// The first line is the judge's own (JudgeTimeLimitError): "Errors by reason" groups by it.
				() => replace(`${new JudgeTimeLimitError(limitMs).message}\nthe judge did not come back within ${formatLimit(killAfterMs)}: its worker thread was stopped`, performance.now() - since),
				killAfterMs
			);
		};
		const start = () => {
			if (settled) return;
			if (next >= units.length) return end(() => resolve('completed'));
			ready = false;
			const t0 = performance.now();
			let w: Worker;
			try {
				w = spawnWorker(entry, data, memoryMb);
			} catch (e) {
				return fail(new Error(`judge worker for "${request.judge}" could not start: ${(e as Error).message}`));
			}
			worker = w;
			w.on('message', (m: WorkerMessage) => {
				if (w !== worker || settled) return;
				if (m.type === 'ready') {
					ready = true;
					options.onStarted?.({ ms: performance.now() - t0, loadMs: m.loadMs });
					w.postMessage({ type: 'compute', ids: units.slice(next).map((u) => u.id) } satisfies ComputeMessage);
					arm();
					return;
				}
				const unit = units[next];
				if (m.id !== unit.id) return fail(new Error(`judge worker for "${request.judge}" answered unit ${m.id} where ${unit.id} was due`));
				try {
					onRow(unit, m.out, m.ms);
				} catch (e) {
					return fail(e);
				}
				next++;
				if (next >= units.length) end(() => resolve('completed'));
				else arm();
			});
			// An uncaught error comes before the thread's last messages (its rows); 'exit' comes after
			// them (Node drains the worker's ports first): the crash is handled there, with every row in.
			let crash: (Error & { code?: string }) | null = null;
			w.on('error', (e: Error & { code?: string }) => {
				if (w === worker) crash ??= e;
			});
			w.on('exit', (code) => {
				if (w !== worker || settled) return;
				const outOfMemory = crash?.code === 'ERR_WORKER_OUT_OF_MEMORY';
				if (outOfMemory && ready && next < units.length) {
					return replace(`judge memory limit: the judge's worker thread ran out of its ${memoryMb} MB heap on this program and was stopped; no verdict`, 0);
				}
				const where = !ready ? 'while loading the judge' : next < units.length ? `at unit ${units[next].id} (target ${String(units[next].meta.target_id ?? '?')})` : 'after its last unit';
				const kept = `${next} of ${units.length} rows were computed and kept`;
				if (crash) fail(new Error(`judge worker for "${request.judge}" failed ${where}${outOfMemory ? ` (its heap is bounded at ${memoryMb} MB)` : ''}: ${crash.message}; ${kept}`));
				else fail(new Error(`judge worker for "${request.judge}" exited (code ${code}) ${where}; ${kept}`));
			});
		};
		if (signal) unlisten = onAbort(signal, () => end(() => resolve('cancelled')));
		if (signal?.aborted) return end(() => resolve('cancelled'));
		start();
	});
}
