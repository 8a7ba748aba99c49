// How a run's units are sent: live (runUnits, one request each), through the OpenAI Batch API
// (runBatchUnits), or exported for vLLM's run_batch (prepareBatchExport, nothing sent). The
// run kinds (generation, LLM judge) call this one function, so a batch run is the same run
// with `batch` in its params: true for the Batch API (priced at half), "vllm" for an export.
import { type LiveRunOptions, runUnits, type RunUnitsResult } from '../run-units.ts';
import { allUnits } from '../unit-source.ts';
import type { BatchRunOptions } from './batch-run.ts';

export type BatchMode =
	| { via: 'openai'; poll?: BatchRunOptions['poll']; onBatch?: BatchRunOptions['onBatch'] }
	| { via: 'vllm' };

export interface ModeResult extends RunUnitsResult {
	/** vLLM export: the run_batch input of the pending units. */
	exported?: { lines: number; text: string; path: string | null; models?: string[]; fromCache?: number };
}

/** The params entry a batch mode adds (nothing for a live run, so live run ids stay as they were). */
export function batchParams(mode: BatchMode | null | undefined): { batch?: true | 'vllm' } {
	if (!mode) return {};
	return { batch: mode.via === 'openai' ? true : 'vllm' };
}

export async function runUnitsInMode(options: LiveRunOptions, mode: BatchMode | null | undefined): Promise<ModeResult> {
	if (!mode) return runUnits(options);
	// The batch machinery (and Arrow, for its compaction) is loaded only for a batch run; it
	// takes every unit at once (a unit source's are built here).
	const { prepareBatchExport, runBatchUnits } = await import('./batch-run.ts');
	const all = { ...options, units: allUnits(options.units) };
	if (mode.via === 'vllm') return prepareBatchExport(all);
	return runBatchUnits({ ...all, poll: mode.poll, onBatch: mode.onBatch });
}
