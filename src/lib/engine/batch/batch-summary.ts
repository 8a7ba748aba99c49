// What a batch run's folder says of it, for whoever shows the run (the run page, `covw runs
// show`): how it was sent (the Batch API, or a vLLM export), its batches as last recorded (id,
// status when last polled, units, ingested), the price it pays, and the exact command that picks
// it up again. Read from runs/<id>/batch/batches.json only: no network, nothing written.
import { join } from 'node:path';
import { BatchStore } from './batch-store.ts';
import { priceNoteOf } from './price-factor.ts';

export interface BatchSummary {
	via: 'openai' | 'vllm';
	/** "batch price (½ of list)" for a Batch API run; null for a vLLM export (no provider price). */
	price_note: string | null;
	batches: { seq: number; batch_id: string | null; status: string; units: number; ingested: boolean; updated_at: string }[];
	/** Why the record could not be read (it stays on disk: it names batches already paid for); else null. */
	unreadable: string | null;
	/** The command that goes on with the run from where it stopped. */
	resume: string;
	/** The command that shows its batches (and, for the Batch API, asks the provider how far they are). */
	status: string;
}

/** A batch run's summary from its params (`batch: true` or `"vllm"`) and folder; null for any other run. */
export function batchSummary(runsDir: string, runId: string, params: Record<string, unknown> | undefined): BatchSummary | null {
	const mode = params?.batch;
	if (mode !== true && mode !== 'vllm') return null;
	const via = mode === true ? 'openai' : 'vllm';
	let batches: BatchSummary['batches'] = [];
	let unreadable: string | null = null;
	try {
		batches = new BatchStore(join(runsDir, runId)).records.map((r) => ({
			seq: r.seq,
			batch_id: r.via === 'openai' ? r.batch_id : null,
			status: r.status,
			units: Array.isArray(r.units) ? r.units.length : 0,
			ingested: r.ingested === true,
			updated_at: r.updated_at
		}));
	} catch (e) {
		unreadable = (e as Error).message;
	}
	return {
		via,
		price_note: priceNoteOf(params),
		batches,
		unreadable,
		resume: via === 'openai' ? batchResumeLine(runId) : `covw batch import ${runId} output.jsonl   (the output of vLLM's run_batch on its input, batch/input-<n>.jsonl; covw batch export ${runId} --vllm <file> writes the units still missing)`,
		status: via === 'openai' ? `covw batch status ${runId} --refresh` : `covw batch status ${runId}`
	};
}

/** The command that resumes a Batch API run from its folder alone (a run id is plain: no quoting needed). */
export function batchResumeLine(runId: string): string {
	return `covw batch resume ${runId}`;
}

/** Why the workbench does not resume a batch run itself, and the command that does (one sentence, no HTML). */
export function batchNotResumableHere(runId: string, params: Record<string, unknown> | undefined): string | null {
	if (params?.batch === true)
		return `a Batch API run: batch runs resume from the CLI (the page would send its units live, at the full price, beside a batch that may still be running): ${batchResumeLine(runId)}`;
	if (params?.batch === 'vllm') return `a vLLM batch export: its answers come in with covw batch import ${runId} <output.jsonl> (covw batch export ${runId} --vllm <file> writes the units still missing)`;
	return null;
}
