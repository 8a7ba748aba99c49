// `covw batch status|export|import`: the batch side of a run started with `covw run … --batch`
// or `--batch-export` (and the same for `covw judge` with an LLM judge).
//   status <run-id>                     the run's batches as recorded in its folder (no network)
//   export <run-id> --vllm <out.jsonl>  the units without an answer, as a vLLM run_batch input
//   import <run-id> <output.jsonl>      run_batch's output (the Batch API's output format) as
//                                       the run's rows: answers parsed as a live run's are, a
//                                       failed line an error row (never a verdict)
//   resume <run-id>                     a --batch run picked up from its folder (what the run
//                                       page names: it need not know the flags it was run with)
import { statSync, writeFileSync } from 'node:fs';
import { readUserText } from '../../lib/engine/atomic-file.ts';
import { join, resolve } from 'node:path';
import { batchRecords, batchServer, exportBatchRun, importBatchOutput, runBatchUnits } from '../../lib/engine/batch/batch-run.ts';
import { BatchStore, UNITS_FILE } from '../../lib/engine/batch/batch-store.ts';
import { checkResumeUnits } from '../../lib/engine/batch/resume-units.ts';
import { batchResumeLine } from '../../lib/engine/batch/batch-summary.ts';
import { priceNoteOf } from '../../lib/engine/batch/price-factor.ts';
import { MAX_BATCH_OUTPUT_BYTES, outputTooLarge } from '../../lib/engine/batch/batch-lines.ts';
import type { BatchRecord } from '../../lib/engine/batch/batch-store.ts';
import { readManifest, MANIFEST_FILE } from '../../lib/engine/manifest.ts';
import { liveCounts, readRun, runStateOf } from '../../lib/runs/run-list.ts';
import { checkRunId, RunIdError } from '../../lib/engine/run-id.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { BatchApiError, RunSetupError, RunStorageError } from '../../lib/engine/run-errors.ts';
import { ConfigError } from '../../lib/engine/config.ts';
import type { ParseHook } from '../../lib/engine/run-units.ts';
import { parseGeneration } from '../../lib/runs/generation-parse.ts';
import { parseJudgeVerdict } from '../../lib/runs/judge-parse.ts';
import { PARSER_JUDGE, runJudge } from '../../lib/runs/judge-run.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { cancelOnInterrupt, loadConfig, openCache, type ParsedFlags, parseFlags, runFolders } from './run-setup.ts';
import { batchProgressLines, batchStopText, parserModesLine, vllmNextLines } from './batch-flags.ts';
import { clientFor } from '../../lib/engine/chat-client.ts';
import type { EngineConfig } from '../../lib/engine/config.ts';
import { classifyFailure } from '../../lib/engine/failure.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';
import { answersCutRows, answersCutText } from '../../lib/engine/types.ts';

const USAGE = [
	'Usage: covw batch status <run-id> [--refresh] [--config <file>]',
	'       covw batch export <run-id> --vllm <out.jsonl> [--config <file>] [--no-cache]',
	'       covw batch import <run-id> <vllm-output.jsonl>',
	'       covw batch resume <run-id> [--config <file>] [--no-cache]',
	'',
	'For runs started with covw run … --batch / --batch-export (or covw judge … with an LLM judge).',
	'status lists the run\'s batches as recorded in runs/<run-id>/batch/batches.json (no network);',
	'  --refresh also asks the endpoint how far each open batch is (nothing is ingested: the same',
	'  covw run/judge … --batch command does that).',
	'export writes the units that have no answer yet (the response cache\'s answers go into the run',
	'  instead, unless --no-cache) as an input file for',
	'  python -m vllm.entrypoints.openai.run_batch -i <out.jsonl> -o output.jsonl --model <model>',
	'import reads that output (the OpenAI Batch API output format) into the run: each answer is',
	'  parsed as a live run\'s; a failed line is an error row, sent again by the next export.',
	'resume goes on with a --batch run from its folder alone (its recorded units and batches):',
	'  polls the batches it submitted, ingests them, and submits the units still without an answer',
	'  (the same covw run/judge … --batch command does the same).'
].join('\n');

function runArg(command: string, ctx: CliContext, positional: string[], count: number): string {
	if (positional.length !== count) throw new CliError(`batch ${command}: expected ${count === 1 ? 'a run id' : 'a run id and a file'}\n\n${USAGE}`);
	try {
		return checkRunId(positional[0]);
	} catch (e) {
		if (e instanceof RunIdError) throw new CliError(`batch ${command}: ${e.message}`);
		throw e;
	}
}

function setupErrors<T>(command: string, fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (e instanceof RunSetupError || e instanceof RunLockedError) throw new CliError(`batch ${command}: ${e.message}`);
		throw e;
	}
}

export const batchStatusCommand: Command = {
	words: ['batch', 'status'],
	summary: 'the batches of a batch run, as recorded in its folder',
	usage: USAGE,
	run: async (ctx) => {
		const flags = parseFlags('batch status', ctx.args, { refresh: 'bool', config: 'string' });
		const runId = runArg('status', ctx, flags.positional, 1);
		const { runsDir } = runFolders(ctx);
		const run = readRun(runsDir, runId, (m) => ctx.stderr(`warning: ${printable(m)}\n`));
		if (!run) throw new CliError(`batch status: no run "${runId}" in ${runsDir}`);
		const manifest = run.manifest;
		const records = setupErrors('status', () => batchRecords(runsDir, runId));
		// State and counts as `covw runs` says them (run-list.ts): from the rows, 'interrupted' when no process writes it.
		const state = runStateOf(runsDir, runId, manifest);
		const c = liveCounts(run);
		const lines = [`run ${runId} (${manifest.kind}, batch: ${JSON.stringify(manifest.params.batch ?? false)}): ${state}; ok ${c.ok}, error ${c.error}, unparsed ${c.unparsed}${c.no_code ? `, no code ${c.no_code}` : ''}, pending ${c.pending}`];
		if (records.length === 0) lines.push('  no batches recorded');
		for (const r of records) {
			const id = r.via === 'openai' ? (r.batch_id ?? '(not created yet)') : 'vLLM export';
			// A batch of a run no process polls any more: its status is the last one seen, not news.
			const seen = state === 'interrupted' && !r.ingested ? `${r.status} when last polled` : r.status;
			lines.push(`  #${r.seq} ${id}: ${r.units.length} unit(s), ${seen}${r.ingested ? ', ingested' : ''}; input ${r.input}${r.output ? `, output ${r.output}` : ''}${r.errors ? `, errors ${r.errors}` : ''} (updated ${r.updated_at.slice(0, 19).replace('T', ' ')})`);
			if (flags.bools.has('refresh') && r.via === 'openai' && r.batch_id && !r.ingested) lines.push(`      now: ${await liveStatus(ctx, flags, runId, r)}`);
		}
		ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
		return 0;
	}
};

let config: EngineConfig | null = null;

/** What the endpoint says of a batch now (one retrieve, on the replica it lives on; nothing written). */
async function liveStatus(ctx: CliContext, flags: ParsedFlags, runId: string, r: BatchRecord): Promise<string> {
	config ??= loadConfig('batch status', ctx, flags);
	const endpoint = config.endpoints.get(r.endpoint);
	if (!endpoint) return `endpoint "${r.endpoint}" is not in ${config.source}`;
	let server: string;
	try {
		// A recorded server the config does not name is not asked (the call carries the endpoint's key).
		server = batchServer(endpoint, r, runId);
	} catch (e) {
		if (e instanceof RunSetupError) return `not asked: ${e.message}`;
		throw e;
	}
	try {
		const b = await clientFor(endpoint, server).batches.retrieve(r.batch_id!);
		const c = b.request_counts;
		return `${b.status}${c ? `, ${c.completed} of ${c.total} request(s) done, ${c.failed} failed` : ''}`;
	} catch (e) {
		return `cannot ask ${endpoint.name}: ${config.redactor.text(classifyFailure(e, null, endpoint.timeoutMs).message)}`;
	}
}

export const batchExportCommand: Command = {
	words: ['batch', 'export'],
	summary: 'write the unanswered units of a batch run as a vLLM run_batch input',
	usage: USAGE,
	run: async (ctx) => {
		const flags = parseFlags('batch export', ctx.args, { vllm: 'string', config: 'string', 'no-cache': 'bool' });
		const runId = runArg('export', ctx, flags.positional, 1);
		const out = flags.strings.vllm;
		if (!out) throw new CliError('batch export: --vllm <out.jsonl> is required');
		const { runsDir } = runFolders(ctx);
		const manifest = readManifest(join(runsDir, runId, MANIFEST_FILE));
		// As covw run … --batch-export: the units the response cache answers go into the run, not the file.
		const cache = openCache(ctx, flags);
		let result;
		try {
			const kind = manifest ? PARSERS[manifest.kind] : undefined;
			result = storage('export', ctx, () =>
				setupErrors('export', () =>
					exportBatchRun({
						runsDir, runId, config: cache ? loadConfig('batch export', ctx, flags) : null, cache, parse: kind?.parse, compactTo: kind?.table ?? null,
						onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`),
						// As batch resume: units.jsonl checked against the manifest (resume-units.ts); a planted line is refused, never exported.
						checkUnits: (units, m, file) => checkResumeUnits(units, m, file, 'nothing exported')
					})
				)
			);
		} finally {
			cache?.close();
		}
		if (result === null) return 1;
		const path = resolve(ctx.cwd, out);
		try {
			writeFileSync(path, result.text);
		} catch (e) {
			throw new CliError(`batch export: ${path}: cannot write (${(e as Error).message})`);
		}
		const next = result.lines > 0 ? vllmNextLines(runId, path, result.models) : ['  nothing to export: every unit has an answer'];
		const cached = result.fromCache > 0 ? [`  ${result.fromCache} unit(s) answered from the response cache: in the run, not exported`] : [];
		// The run's own choice (made with --no-cache) holds for its later commands.
		if (cache && manifest?.response_cache === false) cached.push('  the run was made with --no-cache: the response cache is left alone for it');
		ctx.stdout(`${[`run ${runId}: ${result.lines} unit(s) written to ${printable(path)}`, ...cached, ...next].join('\n')}\n`);
		return 0;
	}
};

const PARSERS: Record<string, { parse: ParseHook; table: string }> = {
	generation: { parse: parseGeneration, table: 'generations.arrow' },
	judge: { parse: parseJudgeVerdict, table: 'verdicts.arrow' }
};

export const batchImportCommand: Command = {
	words: ['batch', 'import'],
	summary: 'read a vLLM run_batch output file into a batch run',
	usage: USAGE,
	run: async (ctx) => {
		const flags = parseFlags('batch import', ctx.args, {});
		const runId = runArg('import', ctx, flags.positional, 2);
		const file = resolve(ctx.cwd, flags.positional[1]);
		const { runsDir } = runFolders(ctx);
		const manifest = readManifest(join(runsDir, runId, MANIFEST_FILE));
		if (!manifest) throw new CliError(`batch import: no run "${runId}" in ${runsDir}`);
		const kind = PARSERS[manifest.kind];
		if (!kind) throw new CliError(`batch import: run "${runId}" is a ${manifest.kind} run; only generation and LLM judge runs are batch runs`);
		let text: string;
		try {
			// Its size first: a file over the limit is refused before a byte is read (a pipe the
			// user named is read as a stream, refused once more than the limit came).
			if (statSync(file).size > MAX_BATCH_OUTPUT_BYTES) throw new CliError(`batch import: ${printable(outputTooLarge(file))}`);
			text = readUserText(file, MAX_BATCH_OUTPUT_BYTES);
		} catch (e) {
			if (e instanceof CliError) throw e;
			if (/ is larger than /.test((e as Error).message)) throw new CliError(`batch import: ${printable(outputTooLarge(file))}`);
			throw new CliError(`batch import: ${file}: cannot read (${(e as Error).message})`);
		}
		const result = storage('import', ctx, () =>
			setupErrors('import', () =>
				importBatchOutput({
					runsDir, runId, text, file, parse: kind.parse, compactTo: kind.table, onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`),
					// As batch resume: units.jsonl checked against the manifest (resume-units.ts); each
					// output line's custom_id is looked up among the checked units only.
					checkUnits: (units, m, f) => checkResumeUnits(units, m, f, 'nothing imported')
				})
			)
		);
		if (result === null) return 1;
		const c = result.manifest.counts;
		ctx.stdout(`run ${runId}: ${result.rows} row(s) imported from ${printable(file)}; ${result.state === 'completed' ? 'completed' : 'waiting for more output'}: ok ${c.ok}, error ${c.error}, unparsed ${c.unparsed}${c.no_code ? `, no code ${c.no_code}` : ''}, pending ${c.pending}\n`);
		// Kept, but never silently normal answers: cut ones, and ones from another model (each line named in a warning above).
		if (result.cut > 0) ctx.stdout(`  ${answersCutText(result.cut)}\n`);
		if (result.otherModel > 0) ctx.stdout(`  ${result.otherModel} answer(s) from another model than their unit asked for (see the warnings above): kept; if the file is another run's output, this run's rows are wrong\n`);
		// A finished detection run is scored by the answer parsers, as `covw run detection` does.
		if (result.state === 'completed' && manifest.kind === 'generation' && manifest.params.task === 'detection') {
			const parsed = await runJudge({ runsDir, judge: PARSER_JUDGE, sourceRunId: runId, onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`) });
			ctx.stdout(`  scored by the answer parsers: run ${parsed.runId}\n`);
			// As `covw run detection` says it: "unparsed" above is the run's; the strict parser's count is here.
			if (parsed.modes) ctx.stdout(`${parserModesLine(parsed.modes)}\n`);
		}
		return c.error === 0 && c.pending === 0 ? 0 : 1;
	}
};

export const batchResumeCommand: Command = {
	words: ['batch', 'resume'],
	summary: 'go on with a Batch API run (--batch) from its folder: poll its batches, ingest, submit the rest',
	usage: USAGE,
	run: async (ctx) => {
		const flags = parseFlags('batch resume', ctx.args, { config: 'string', 'no-cache': 'bool' });
		const runId = runArg('resume', ctx, flags.positional, 1);
		const { runsDir } = runFolders(ctx);
		const runDir = join(runsDir, runId);
		const manifest = readManifest(join(runDir, MANIFEST_FILE));
		if (!manifest) throw new CliError(`batch resume: no run "${runId}" in ${runsDir}`);
		const kind = PARSERS[manifest.kind];
		if (!kind) throw new CliError(`batch resume: run "${runId}" is a ${manifest.kind} run; only generation and LLM judge runs are batch runs`);
		if (manifest.params.batch === 'vllm') throw new CliError(`batch resume: run "${runId}" is a vLLM export: covw batch export ${runId} --vllm <file> writes what is missing, covw batch import ${runId} <output.jsonl> reads vLLM's answers`);
		if (manifest.params.batch !== true) throw new CliError(`batch resume: run "${runId}" is not a Batch API run (started without --batch): resume it with the covw command that started it`);
		// The units as the run recorded them (requests included): the run goes on exactly as it began.
		// Checked against the manifest first (resume-units.ts): a planted line is refused, never sent.
		let units;
		try {
			const store = new BatchStore(runDir);
			units = store.readUnits();
			checkResumeUnits(units, manifest, store.path(UNITS_FILE));
		} catch (e) {
			throw new CliError(`batch resume: ${(e as Error).message}`);
		}
		const config = loadConfig('batch resume', ctx, flags);
		const cache = openCache(ctx, flags);
		const interrupt = cancelOnInterrupt(ctx, undefined, { stopText: batchStopText(runId) });
		try {
			const result = await runBatchUnits({
				runsDir, runId, config, units, kind: manifest.kind, params: manifest.params, datasetHash: manifest.dataset_hash,
				cache, parse: kind.parse, compactTo: kind.table, signal: interrupt.signal,
				onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`), onBatch: batchProgressLines(ctx)
			});
			const m = result.manifest;
			const note = priceNoteOf(m.params);
			const lines = [
				`run ${runId}: ${m.state}`,
				`  ${m.counts.total} unit(s): ok ${m.counts.ok}, error ${m.counts.error}, unparsed ${m.counts.unparsed}${m.counts.no_code ? `, no code ${m.counts.no_code}` : ''}, pending ${m.counts.pending}`,
				`  Batch API calls this session ${result.requests}; tokens ${m.tokens.in} in / ${m.tokens.out} out${m.cost_usd === null ? '' : `; cost $${m.cost_usd.toFixed(4)}${note ? ` (${note})` : ''}`}`
			];
			const cut = answersCutRows(result.rows.values());
			if (cut > 0) lines.push(`  ${answersCutText(cut)}`);
			if (m.state === 'cancelled') lines.push(`  polling stopped; the batch goes on at the provider: ${batchResumeLine(runId)} picks it up`);
			ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
			// A finished detection run is scored by the answer parsers, as `covw run detection` does.
			if (m.state === 'completed' && manifest.kind === 'generation' && manifest.params.task === 'detection') {
				const parsed = await runJudge({ runsDir, judge: PARSER_JUDGE, sourceRunId: runId, onWarning: (w) => ctx.stderr(`warning: ${printable(w)}\n`) });
				ctx.stdout(`  scored by the answer parsers: run ${parsed.runId}\n`);
				if (parsed.modes) ctx.stdout(`${parserModesLine(parsed.modes)}\n`);
			}
			return m.state === 'completed' && m.counts.error === 0 ? 0 : 1;
		} catch (e) {
			if (e instanceof RunStorageError || e instanceof BatchApiError) {
				ctx.stderr(`covw: batch resume: stopped: ${printable(e.message)}\n`);
				return 1;
			}
			if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError) throw new CliError(`batch resume: ${e.message}`);
			throw e;
		} finally {
			interrupt.dispose();
			cache?.close();
		}
	}
};

/** A local failure (full disk…) stops with status 1 and the message; null then. */
function storage<T>(command: string, ctx: CliContext, fn: () => T): T | null {
	try {
		return fn();
	} catch (e) {
		if (e instanceof RunStorageError) {
			ctx.stderr(`covw: batch ${command}: stopped: ${printable(e.message)}\n`);
			return null;
		}
		throw e;
	}
}
