// The inside of the judge worker thread (judge-worker.ts starts it): builds a direct judge's
// units from the registry — the same judge, targets and context give the same unit ids as on the
// server's side — loads what the judge loads (the tree-sitter WASM) once, then computes the
// units the server asks for, one message back per row. It writes nothing: the server writes
// the rows, through the one run session. This module is loaded twice: imported by the server
// (for its own URL, JUDGE_WORKER_URL, which in the built server is its chunk's file) and run as
// the worker's script, where workerData says so.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { unitId } from '../../engine/canonical-json.ts';
import type { VerdictUnit } from '../../judges/judge.ts';
import type { JudgeTarget } from '../../judges/target.ts';
import { describeJudge } from '../../judges/registry.ts';

/** This module's file, the worker's script (built: its own chunk; dev and tests: the .ts source). */
export const JUDGE_WORKER_URL: string = import.meta.url;

/** What the server hands the worker when it starts. */
export interface JudgeWorkerData {
	covwJudgeWorker: 1;
	judge: string;
	targets: readonly JudgeTarget[];
	sourceRunId: string | null;
	timeLimitMs?: number;
	/** Tests only: a crash planted at a unit (throw: an uncaught error; exit: process.exit(3)). */
	fault?: { at: string; kind: 'throw' | 'exit' } | null;
	/** Dev and tests: the .ts entry the bootstrap imports (judge-worker-dev.mjs). */
	entry?: string;
}

/** Server → worker: compute these units, in order. */
export interface ComputeMessage {
	type: 'compute';
	ids: string[];
}

/** Worker → server. */
export type WorkerMessage =
	| { type: 'ready'; units: number; loadMs: number }
	| { type: 'row'; id: string; out: ReturnType<VerdictUnit['compute']>; ms: number };

async function serve(data: JudgeWorkerData): Promise<void> {
	const port = parentPort!;
	const t0 = performance.now();
	const { judge, error } = describeJudge(data.judge);
	if (!judge || error) throw new Error(error ?? `no judge "${data.judge}"`);
	if (judge.execution.via !== 'direct') throw new Error(`judge "${data.judge}" does not compute directly (it runs via ${judge.execution.via})`);
	const units = await judge.execution.units(data.targets, { sourceRunId: data.sourceRunId, unitId, timeLimitMs: data.timeLimitMs });
	const byId = new Map(units.map((u) => [u.id, u]));
	port.on('message', (message: ComputeMessage) => {
		if (message?.type !== 'compute') return;
		for (const id of message.ids) {
			const unit = byId.get(id);
			if (!unit) throw new Error(`the server asked for unit ${id}, which judge "${data.judge}" did not make from these targets`);
			if (data.fault?.at === id) {
				if (data.fault.kind === 'exit') process.exit(3);
				throw new Error(`planted crash at unit ${id}`);
			}
			const start = performance.now();
			const out = unit.compute();
			port.postMessage({ type: 'row', id, out, ms: performance.now() - start } satisfies WorkerMessage);
		}
	});
	port.postMessage({ type: 'ready', units: units.length, loadMs: performance.now() - t0 } satisfies WorkerMessage);
}

if (!isMainThread && (workerData as JudgeWorkerData | null)?.covwJudgeWorker === 1) {
	serve(workerData as JudgeWorkerData).catch((e) => {
		// an uncaught error ends the thread: the server sees it as the worker's 'error' event
		setImmediate(() => {
			throw e;
		});
	});
}
