// What `covw run` and `covw judge` share for batch runs: `--batch` (the endpoint's OpenAI Batch
// API: submit, poll, ingest; half price) and `--batch-export` (write the run_batch input for
// vLLM into the run folder, send nothing), and the lines they print.
import type { BatchMode } from '../../lib/engine/batch/run-mode.ts';
import { publicUrl } from '../../lib/engine/redact.ts';
import { CliError, type CliContext } from '../command.ts';
import { shellCommand, shellQuote } from '../shell-quote.ts';
import type { ParsedFlags } from './run-setup.ts';
import { printable } from '../../lib/core/text/printable.ts';

export const BATCH_FLAGS = { batch: 'bool', 'batch-export': 'bool' } as const;

export const BATCH_USAGE = [
	'--batch            send through the endpoint\'s Batch API (OpenAI: half price, results within',
	'                   24 h): the batch id is recorded in the run folder before polling; Ctrl-C or a',
	'                   crash leaves the batch running, and the same command picks it up again',
	'--batch-export     send nothing: write the pending units as a vLLM run_batch input file into',
	'                   the run folder; then covw batch import <run-id> <output.jsonl>'
];

export function batchModeFromFlags(command: string, ctx: CliContext, flags: ParsedFlags): BatchMode | null {
	const live = flags.bools.has('batch');
	const vllm = flags.bools.has('batch-export');
	if (live && vllm) throw new CliError(`${command}: --batch and --batch-export exclude each other`);
	if (vllm) return { via: 'vllm' };
	if (!live) return null;
	return { via: 'openai', onBatch: batchProgressLines(ctx) };
}

/** The lines a Batch API run prints as its batches are submitted, picked up again and ingested. */
export function batchProgressLines(ctx: CliContext): NonNullable<Extract<BatchMode, { via: 'openai' }>['onBatch']> {
	return (r, phase) => {
		const where = r.server ? ` to replica ${publicUrl(r.server)}` : '';
		if (phase === 'submitted') ctx.stderr(`batch ${printable(r.batch_id ?? '')}: ${r.units.length} unit(s) submitted${printable(where)}; polling (Ctrl-C stops polling, the batch goes on)\n`);
		if (phase === 'resumed') ctx.stderr(`batch ${printable(r.batch_id ?? '')}: ${r.units.length} unit(s) submitted earlier; polling (Ctrl-C stops polling, the batch goes on)\n`);
		if (phase === 'ingested') ctx.stderr(`batch ${printable(r.batch_id ?? '')}: ${printable(r.status)}, ingested\n`);
	};
}

/**
 * What the first Ctrl-C (SIGTERM, SIGHUP) says while a Batch API run polls: there are no
 * requests in flight to save or abandon — polling stops, the batch goes on at the provider (and
 * is paid for), and resuming picks it up.
 */
export function batchStopText(runId?: string): string {
	const how = runId ? shellCommand(['covw', 'batch', 'resume', runId]) : 'the same command (or covw batch resume <run-id>)';
	return `stopping: polling ends; no request is in flight — the batch goes on at the provider (and is billed), and ${how} picks it up and ingests its answers`;
}

/** The lines saying where an export went and what to do next (`model` overrides the models the export names). */
export function exportLines(
	runId: string,
	model: string | null,
	exported: { lines: number; path: string | null; models?: string[]; fromCache?: number }
): string[] {
	const cached = (exported.fromCache ?? 0) > 0 ? [`  ${exported.fromCache} unit(s) answered from the response cache: in the run, not exported`] : [];
	if (exported.lines === 0 || !exported.path) return [...cached, '  nothing to export: every unit has an answer'];
	return [...cached, `  exported ${exported.lines} unit(s) for vLLM's run_batch: ${printable(exported.path)}`, ...vllmNextLines(runId, exported.path, model ? [model] : (exported.models ?? []))];
}

/** The run_batch command for an input file and the import after it (run, judge and batch export print the same). */
export function vllmNextLines(runId: string, input: string, models: string[]): string[] {
	const lines = [
		`  next: ${printable(shellCommand(['python', '-m', 'vllm.entrypoints.openai.run_batch', '-i', input, '-o', 'output.jsonl', '--model']))} ${models.length === 1 ? printable(shellQuote(models[0])) : '<model>'}`,
		`        ${shellCommand(['covw', 'batch', 'import', runId, 'output.jsonl'])}`
	];
	// run_batch serves one model: an input asking for several needs one run_batch per model.
	if (models.length > 1) lines.splice(1, 0, `        (the lines ask for ${models.length} models: ${models.map((m) => printable(shellQuote(m))).join(', ')}; run_batch serves one per run)`);
	return lines;
}

/** The detection parsers' summary line, as `covw run detection` prints it: answers the paper and strict modes read differently, and the strict parser's unparsed count. */
export function parserModesLine(modes: { any: number; total: number; binary: number; classLabel: number; strictUnparsed: number }): string {
	return `  paper vs strict mode: ${modes.any} of ${modes.total} answer(s) read differently (binary ${modes.binary}, class ${modes.classLabel}, strict unparsed ${modes.strictUnparsed})`;
}
