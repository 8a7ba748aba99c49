// Batch runs: the same units as a live run (runUnits), sent through a provider's batch
// interface instead of one request each, and logged through the same run session as the same
// rows.
//
//   runBatchUnits       OpenAI Batch API: write the batch JSONL (one line per pending unit),
//                       upload it (Files API, purpose "batch"), create the batch (24h window),
//                       record its id in the run folder, then poll with backoff; when it ends,
//                       download the output and error files and ingest them per unit. Killed
//                       anywhere, the same call resumes from the record (batch-store.ts): units
//                       in a submitted batch, or finished, are never submitted again. OpenAI
//                       charges half for batch requests: cost is priced at 50%.
//   prepareBatchExport  the same JSONL for vLLM's `python -m vllm.entrypoints.openai.run_batch`
//                       (no request sent); the run waits for its output. Units the response
//                       cache answers go into the run as a live run puts them, not into the
//                       file (as --batch does).
//   importBatchOutput   an output file (vLLM's, or any file in the Batch API's output format)
//                       ingested as the run's rows.
//
// A unit whose line failed, or that a batch ended without answering, gets an error row (an
// infrastructure failure, never a verdict); running the same command again submits those anew.
//
// Replicas: a batch's files and the batch itself live on one server. A new batch is uploaded to
// the first replica that answers (one that refuses the connection or times out is skipped at
// once, said in a warning and in the manifest's replicas_drained); the record keeps that
// replica (`server`), and every later call for the batch goes there — only once that URL is
// checked to be one of the endpoint's replicas in the config (batchServer): the run folder is
// data, and the calls carry the endpoint's key. A create that fails for us (timeout, 5xx) may
// have created the batch: each retry first looks for it by its file. A Batch API call that
// still fails after its retries is a BatchApiError: the run stops, the record (batch ids
// included) is kept, and the same command resumes without submitting anything again.
import { toFile } from 'openai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../adaptive-limit.ts';
import { compactSession } from '../compact-run.ts';
import { sleep } from '../backoff.ts';
import { clientFor } from '../chat-client.ts';
import type { Endpoint } from '../config.ts';
import { classifyFailure } from '../failure.ts';
import { type Manifest, readManifest, MANIFEST_FILE, type Price, type RunState } from '../manifest.ts';
import { checkModelsServed, EndpointUnreachableError } from '../model-listing.ts';
import { cacheKey, type ResponseCache } from '../response-cache.ts';
import { BatchApiError, RunSetupError } from '../run-errors.ts';
import { publicUrl } from '../redact.ts';
import { type DrainedReplica, replicasOf } from '../replicas.ts';
import { checkRunId } from '../run-id.ts';
import { ProgressTally } from '../run-progress.ts';
import { RunSession } from '../run-session.ts';
import { answerRow, errorRow, type ParseHook, type RunUnitsOptions, type RunUnitsResult, validateUnits } from '../run-units.ts';
import type { EngineConfig } from '../config.ts';
import { ANSWER_CUT, type ResultRow, type WorkUnit } from '../types.ts';
import { BATCH_URL, batchInputLine, outputFileText } from './batch-lines.ts';
import { ANSWER_MODEL, ingestBatchOutput, type IngestContext } from './batch-ingest.ts';
import { type BatchRecord, BatchStore, UNITS_FILE } from './batch-store.ts';

/** OpenAI's limits are 50,000 requests and 200 MB per batch file; we stay under both. */
export const MAX_BATCH_LINES = 50_000;
export const MAX_BATCH_BYTES = 150 * 1024 * 1024;
import { BATCH_PRICE_FACTOR, priceFactorOf } from './price-factor.ts';

export { BATCH_PRICE_FACTOR };
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface BatchRunOptions extends Omit<RunUnitsOptions, 'retry'> {
	/** Polling: the first wait, growing ×1.5 per poll up to the cap (defaults 5 s and 60 s). */
	poll?: { firstMs?: number; maxMs?: number };
	/** Lines per batch (default and maximum 50,000). */
	maxLinesPerBatch?: number;
	/** Each batch once its id is recorded ('submitted', or 'resumed' when an earlier session did), after each poll, and once ingested. */
	onBatch?: (record: BatchRecord, phase: 'submitted' | 'resumed' | 'polled' | 'ingested') => void;
}

/** Prices of a run's rows from the config; `factor` for batch pricing. */
function priceFunction(config: EngineConfig | null, units: Map<string, WorkUnit>, factor: number) {
	return (row: ResultRow): Price | null => {
		const unit = units.get(row.unit_id);
		const p = unit && config?.endpoints.get(unit.endpoint)?.models?.[unit.request.model]?.prices;
		return p ? { inputPer1M: p.inputPer1M * factor, outputPer1M: p.outputPer1M * factor } : null;
	};
}

function openSession(options: RunUnitsOptions, units: Map<string, WorkUnit>, factor: number): RunSession {
	const { config } = options;
	return RunSession.open({
		runsDir: options.runsDir,
		runId: options.runId,
		kind: options.kind,
		params: config.redactor.value(options.params ?? {}),
		datasetHash: options.datasetHash,
		unitIds: [...units.keys()],
		endpoints: [...new Set([...units.values()].map((u) => u.endpoint))].map((n) => config.endpoints.get(n)!.toJSON()),
		priceOf: priceFunction(config, units, factor),
		fsync: options.fsync,
		onWarning: options.onWarning,
		warnForeignUnits: true,
		// --no-cache (a null cache) is the run's choice for good: recorded when it creates the run.
		responseCache: options.cache !== null
	});
}

/** Groups units by endpoint and model (one model per batch), in chunks within the limits. */
function chunks(units: WorkUnit[], maxLines: number): WorkUnit[][] {
	const groups = new Map<string, WorkUnit[]>();
	for (const u of units) {
		const key = `${u.endpoint}\u0000${u.request.model}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key)!.push(u);
	}
	const out: WorkUnit[][] = [];
	for (const group of groups.values()) {
		let current: WorkUnit[] = [];
		let bytes = 0;
		for (const u of group) {
			const size = Buffer.byteLength(batchInputLine(u));
			if (current.length > 0 && (current.length >= maxLines || bytes + size > MAX_BATCH_BYTES)) {
				out.push(current);
				current = [];
				bytes = 0;
			}
			current.push(u);
			bytes += size;
		}
		if (current.length > 0) out.push(current);
	}
	return out;
}

function compact(session: RunSession, runId: string, file: string | null | undefined): void {
	if (file !== null) compactSession(session, runId, file ?? 'generations.arrow');
}

export async function runBatchUnits(options: BatchRunOptions): Promise<RunUnitsResult> {
	const { config, units } = options;
	const runId = checkRunId(options.runId); // before anything is asked or looked up on disk
	validateUnits(units, config);
	// As in runUnits: a missing key (or no endpoint named at all) stops the run before its folder is made…
	for (const name of new Set(units.map((u) => u.endpoint))) config.endpoints.get(name)!.requireApiKey();
	// …and so does a model the endpoint does not serve (one without a model list: OPENAI_BASE_URL alone),
	// and an endpoint that does not answer at all; a run already on disk goes on with a warning.
	try {
		await checkModelsServed(config, units.map((u) => ({ endpoint: u.endpoint, model: u.request.model })));
	} catch (error) {
		if (!(error instanceof EndpointUnreachableError) || !existsSync(join(options.runsDir, runId, MANIFEST_FILE))) throw error;
		(options.onWarning ?? ((t: string) => console.warn(t)))(`${error.message.replace(/ Nothing was sent and no run folder was made:.*$/, '')} — going on with run ${runId}, which exists`);
	}
	const unitById = new Map(units.map((u) => [u.id, u]));
	// The batch record read (and each of its fields checked) before the session marks anything:
	// an unreadable one refuses the run by name and leaves its manifest as it was.
	try {
		new BatchStore(join(options.runsDir, runId));
	} catch (e) {
		throw new RunSetupError((e as Error).message);
	}
	const session = openSession(options, unitById, BATCH_PRICE_FACTOR);
	// A run created with --no-cache leaves the cache alone in every later session too.
	const cache = session.usesCache ? (options.cache ?? null) : null;
	const outer = options.signal;
	const warn = (m: string) => {
		session.warnings.push(m);
		(options.onWarning ?? ((t: string) => console.warn(t)))(m);
	};
	const tally = new ProgressTally(runId, units.length, new Map());
	try {
		const store = new BatchStore(session.runDir);
		store.writeUnits(units);
		for (const row of session.rows.values()) tally.replace(undefined, row);
		const record = (row: ResultRow) => {
			const previous = session.rows.get(row.unit_id);
			session.append(row);
			tally.replace(previous, row);
			options.onProgress?.(tally.snapshot());
		};
		const ctx: IngestContext = { session, units: unitById, parse: options.parse, cache, config, redact: (t) => config.redactor.text(t), record, warn };

		// What to send: not finished, not in a batch already, not in the cache.
		const inFlight = store.inFlight();
		const toSend: WorkUnit[] = [];
		for (const u of units) {
			if (session.isFinished(u.id) || inFlight.has(u.id)) continue;
			const endpoint = config.endpoints.get(u.endpoint)!;
			const hit = cache?.get(cacheKey(endpoint.baseURL, u.request, u.sample)) ?? null;
			if (hit) record(answerRow(u, hit, { cached: true, attempts: 0, latency_ms: 0 }, options.parse));
			else toSend.push(u);
		}
		// Each new batch's input is written and recorded ('prepared') before anything is sent.
		const maxLines = Math.min(MAX_BATCH_LINES, Math.max(1, options.maxLinesPerBatch ?? MAX_BATCH_LINES));
		for (const chunk of chunks(toSend, maxLines)) {
			const seq = store.records.reduce((m, r) => Math.max(m, r.seq), 0) + 1;
			const input = `input-${seq}.jsonl`;
			store.writeFile(input, chunk.map(batchInputLine).join(''));
			store.add({
				via: 'openai', endpoint: chunk[0].endpoint, model: chunk[0].request.model, units: chunk.map((u) => u.id), input,
				output: null, errors: null, input_file_id: null, batch_id: null, status: 'prepared', ingested: false
			});
			store.save();
		}

		const api = new BatchApi(config, outer, () => tally.requests++, options.random);
		// Every open batch's server is one the config names, checked before any call is made.
		for (const r of store.records) if (r.via === 'openai' && !r.ingested) batchServer(api.endpoint(r.endpoint), r, runId);
		for (const r of store.records) {
			if (r.via !== 'openai' || r.ingested) continue;
			const earlier = r.batch_id !== null;
			await submit(api, store, r, runId, (url, why) => {
				warn(`replica ${publicUrl(url)} of endpoint "${r.endpoint}" does not answer (${why}): batch #${r.seq} goes to another replica`);
				const d = session.drainedReplicas.find((x) => x.endpoint === r.endpoint && x.url === publicUrl(url));
				if (d) (d.failures++, d.drains++);
				else session.drainedReplicas.push({ endpoint: r.endpoint, url: publicUrl(url), failures: 1, drains: 1, last_error: why } satisfies DrainedReplica);
			});
			options.onBatch?.(r, earlier ? 'resumed' : 'submitted');
		}

		// Poll every open batch until each has ended and is ingested.
		let delay = options.poll?.firstMs ?? 5_000;
		const maxDelay = options.poll?.maxMs ?? 60_000;
		for (;;) {
			const open = store.records.filter((r) => r.via === 'openai' && !r.ingested);
			if (open.length === 0) break;
			for (const r of open) {
				const endpoint = api.endpoint(r.endpoint);
				const batch = await api.call(endpoint, (c) => c.batches.retrieve(r.batch_id!), batchServer(endpoint, r, runId));
				if (batch.status !== r.status) store.update(r, { status: batch.status });
				options.onBatch?.(r, 'polled');
				if (!TERMINAL.has(batch.status)) continue;
				await ingestBatch(api, store, r, batch, ctx, endpoint, batchServer(endpoint, r, runId));
				options.onBatch?.(r, 'ingested');
			}
			if (store.records.every((r) => r.via !== 'openai' || r.ingested)) break;
			await sleep(delay, outer);
			delay = Math.min(maxDelay, delay * 1.5);
		}

		const state: RunState = 'completed';
		compact(session, runId, options.compactTo);
		const manifest = session.finish(state);
		return { state, manifest, rows: session.rows, warnings: session.warnings, requests: tally.requests };
	} catch (e) {
		if (e instanceof CancelledError) {
			// The batches go on at the provider; the same command picks them up again.
			try {
				compact(session, runId, options.compactTo);
			} catch (c) {
				session.abandon('failed');
				throw c;
			}
			const manifest = session.finish('cancelled');
			return { state: 'cancelled', manifest, rows: session.rows, warnings: session.warnings, requests: tally.requests };
		}
		session.abandon('failed');
		throw e;
	}
}

/**
 * Drives a record to 'submitted': upload when prepared (to the first replica that answers;
 * `onSkipped` hears of each one that does not), create (or find the one created) when uploaded.
 */
async function submit(api: BatchApi, store: BatchStore, r: BatchRecord, runId: string, onSkipped: (url: string, why: string) => void): Promise<void> {
	const endpoint = api.endpoint(r.endpoint);
	if (r.batch_id) return;
	if (r.input_file_id === null) {
		// Never through a link: an input file linked to a secret would be uploaded.
		const bytes = store.readFile(r.input);
		const upload = async (c: ReturnType<typeof clientFor>) => c.files.create({ file: await toFile(bytes, r.input), purpose: 'batch' });
		if (endpoint.replicas.length < 2) {
			const file = await api.call(endpoint, upload);
			store.update(r, { input_file_id: file.id, status: 'uploaded' });
		} else {
			// Replicas not drained by this process first (replicas.ts), in the config's order.
			const drained = new Set(replicasOf(endpoint)?.drained() ?? []);
			const order = [...endpoint.replicas.filter((u) => !drained.has(u)), ...endpoint.replicas.filter((u) => drained.has(u))];
			const down: string[] = [];
			for (const [i, url] of order.entries()) {
				const last = i === order.length - 1;
				try {
					const file = await api.call(endpoint, upload, url, !last);
					store.update(r, { input_file_id: file.id, server: url, status: 'uploaded' });
					break;
				} catch (e) {
					// A replica that does not answer (or fails after its retries) is skipped; the last
					// one is retried as any Batch API call is, and its failure ends the search.
					if (e instanceof ReplicaDown || (e instanceof BatchApiError && !last)) {
						down.push(`${publicUrl(url)}: ${e.message}`);
						onSkipped(url, e.message);
					} else if (e instanceof BatchApiError && down.length > 0) down.push(e.message);
					else throw e;
				}
			}
			if (r.input_file_id === null) throw new BatchApiError(`${endpoint.name}: batch API: no replica answers (${down.join('; ')})`);
		}
	}
	const server = batchServer(endpoint, r, runId);
	// A process killed between creating the batch and recording its id: find it by its file.
	const find = async (c: ReturnType<typeof clientFor>) => {
		let seen = 0;
		for await (const b of c.batches.list({ limit: 100 })) {
			if (b.input_file_id === r.input_file_id) return b;
			if (++seen >= 1000) break;
		}
		return null;
	};
	const existing = await api.call(endpoint, find, server);
	// A create that failed for us (timeout, 5xx) may have created the batch on the server: every
	// retry of it first looks again and adopts the batch found, so a batch is never paid twice.
	let creates = 0;
	const batch =
		existing ??
		(await api.call(endpoint, async (c) => {
			if (creates > 0) {
				const found = await find(c);
				if (found) return found;
			}
			creates++;
			return c.batches.create({
				input_file_id: r.input_file_id!,
				endpoint: BATCH_URL,
				completion_window: '24h',
				metadata: { covw_run: runId, covw_batch: String(r.seq) }
			});
		}, server));
	store.update(r, { batch_id: batch.id, status: batch.status });
}

async function ingestBatch(
	api: BatchApi,
	store: BatchStore,
	r: BatchRecord,
	batch: { id: string; status: string; output_file_id?: string | null; error_file_id?: string | null; errors?: { data?: { message?: string }[] } },
	ctx: IngestContext,
	endpoint: Endpoint,
	server: string
): Promise<void> {
	const expected = new Set(r.units);
	const seen = new Set<string>();
	const change: Partial<BatchRecord> = { status: batch.status };
	for (const [fileId, name, key] of [
		[batch.output_file_id, `output-${r.seq}.jsonl`, 'output'],
		[batch.error_file_id, `errors-${r.seq}.jsonl`, 'errors']
	] as const) {
		if (!fileId) continue;
		// Refused past MAX_BATCH_OUTPUT_BYTES (counted as it streams in), never read whole unbounded.
		const text = await api.call(endpoint, async (c) => outputFileText(await c.files.content(fileId), `batch ${batch.id}'s ${key} file ${fileId}`), server);
		// Kept before ingesting: the provider deletes its files after a while.
		store.writeFile(name, text);
		change[key] = name;
		for (const id of ingestBatchOutput(ctx, text, store.path(name), expected)) seen.add(id);
	}
	const why = batch.errors?.data?.map((e) => e.message).filter(Boolean).join('; ');
	for (const id of r.units) {
		if (seen.has(id) || ctx.session.isFinished(id)) continue;
		ctx.record(errorRow(ctx.units.get(id)!, `batch ${batch.id} ended "${batch.status}" without an answer for this unit${why ? ` (${why})` : ''}`, 1, null));
	}
	store.update(r, { ...change, ingested: true });
}

/**
 * The server a recorded batch lives on (its `server`, else the endpoint's baseURL), refused
 * unless it is one of the endpoint's replicas in the config: the run folder is data (copied,
 * edited, or from a config since changed), and Batch API calls carry the endpoint's API key.
 */
export function batchServer(endpoint: Endpoint, r: Pick<BatchRecord, 'seq' | 'server'>, runId: string): string {
	if (r.server === undefined) return endpoint.baseURL;
	const url = typeof r.server === 'string' ? r.server.replace(/\/+$/, '') : null;
	if (url !== null && endpoint.replicas.includes(url)) return url;
	const named = endpoint.replicas.map((u) => publicUrl(u)).join(', ');
	throw new RunSetupError(
		`run "${runId}": batch #${r.seq} is recorded (batch/batches.json) on server ${url === null ? JSON.stringify(r.server) : publicUrl(url)}, which is not a replica of endpoint "${endpoint.name}" (${named}); ` +
			'nothing was sent there: put that URL back in the endpoint\'s replicas if it is yours, or run this folder with the config it was made with'
	);
}

/** A replica that did not answer a Batch API call (connection refused, reset, timeout): try another. */
class ReplicaDown extends Error {}

/** Batch API calls through the endpoint's client, retried with backoff on 5xx, 429 and connection failures. */
class BatchApi {
	constructor(
		readonly config: EngineConfig,
		readonly signal: AbortSignal | undefined,
		readonly onCall: () => void,
		readonly random?: () => number
	) {}

	endpoint(name: string): Endpoint {
		const endpoint = this.config.endpoints.get(name);
		// A batch recorded under an endpoint the config no longer names: say so, keep the record.
		if (!endpoint) throw new RunSetupError(`a batch of this run went to endpoint "${name}", which ${this.config.source} no longer names; put it back to collect the batch`);
		return endpoint;
	}

	/**
	 * One Batch API call on the endpoint's server `baseURL` (default its baseURL), with retries.
	 * `failover`: a connection failure or timeout throws ReplicaDown at once (another replica is tried).
	 */
	async call<T>(endpoint: Endpoint, fn: (client: ReturnType<typeof clientFor>) => Promise<T>, baseURL?: string, failover = false): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			if (this.signal?.aborted) throw new CancelledError();
			this.onCall();
			try {
				return await fn(clientFor(endpoint, baseURL ?? endpoint.baseURL));
			} catch (e) {
				if (this.signal?.aborted) throw new CancelledError();
				const failure = classifyFailure(e, null, endpoint.timeoutMs);
				const why = this.config.redactor.text(failure.message);
				if (failover && (failure.kind === 'connection' || failure.kind === 'timeout')) throw new ReplicaDown(why);
				if (!failure.retryable || attempt >= endpoint.maxAttempts) {
					const where = baseURL && endpoint.replicas.length > 1 ? ` (replica ${publicUrl(baseURL)})` : '';
					throw new BatchApiError(`${endpoint.name}${where}: batch API: ${why} (after ${attempt} attempt(s)); the batch record is kept: run the same command again to resume`);
				}
				const wait = failure.retryAfterMs ?? Math.min(30_000, 500 * 2 ** (attempt - 1) * (0.5 + 0.5 * (this.random ?? Math.random)()));
				await sleep(wait, this.signal);
			}
		}
	}
}

// ---- vLLM run_batch: export and import ----

export interface ExportResult {
	runId: string;
	/** Lines written (units without a finished row). */
	lines: number;
	text: string;
	/** The copy kept in the run folder (batch/input-<n>.jsonl); null when nothing is pending. */
	path: string | null;
	/** The models the lines ask for (run_batch's --model; one per run_batch). */
	models: string[];
	/** Units the response cache answered: in the run, not in the file. */
	fromCache: number;
	state: RunState;
}

/** What an export wrote: lines, text, the run folder's copy, the models asked for, and the units the cache answered instead. */
export interface ExportedUnits {
	lines: number;
	text: string;
	path: string | null;
	models: string[];
	fromCache: number;
}

/** Opens the run for writing, writes the unit list, and returns the JSONL of the pending units (for vLLM's run_batch). */
export function prepareBatchExport(options: RunUnitsOptions): RunUnitsResult & { exported: ExportedUnits } {
	const { config, units } = options;
	validateUnits(units, config);
	const unitById = new Map(units.map((u) => [u.id, u]));
	const session = openSession(options, unitById, 1);
	try {
		const store = new BatchStore(session.runDir);
		store.writeUnits(units);
		// Units already answered in the response cache go into the run as a live run puts them.
		const fromCache = cachedIntoRun(session, units, config, session.usesCache ? options.cache : null, options.parse, store.inFlight('openai'), options.onRow);
		const exported = { ...exportPending(session, store, units), fromCache };
		// Nothing is sent: the run waits for its output (covw batch import), so it is not "completed".
		if (exported.lines === 0) compact(session, options.runId, options.compactTo);
		const manifest = session.finish(exported.lines === 0 ? 'completed' : 'cancelled');
		return { state: manifest.state, manifest, rows: session.rows, warnings: session.warnings, requests: 0, exported };
	} catch (e) {
		session.abandon('failed');
		throw e;
	}
}

/** Units without a row whose answer the response cache holds: logged as cached rows (as a live run does); how many. */
function cachedIntoRun(
	session: RunSession,
	units: WorkUnit[],
	config: EngineConfig | null | undefined,
	cache: ResponseCache | null | undefined,
	parse: ParseHook | undefined,
	skip: Set<string>,
	onRow?: (row: ResultRow) => void
): number {
	if (!cache || !config) return 0;
	let n = 0;
	for (const u of units) {
		if (session.isFinished(u.id) || skip.has(u.id)) continue;
		const endpoint = config.endpoints.get(u.endpoint);
		const hit = endpoint ? cache.get(cacheKey(endpoint.baseURL, u.request, u.sample)) : null;
		if (!hit) continue;
		const row = answerRow(u, hit, { cached: true, attempts: 0, latency_ms: 0 }, parse);
		session.append(row);
		onRow?.(row);
		n++;
	}
	return n;
}

function exportPending(session: RunSession, store: BatchStore, units: WorkUnit[]): { lines: number; text: string; path: string | null; models: string[] } {
	const pending = units.filter((u) => !session.isFinished(u.id));
	const text = pending.map(batchInputLine).join('');
	const models = [...new Set(pending.map((u) => u.request.model))];
	if (pending.length > 0) {
		const seq = store.records.reduce((m, r) => Math.max(m, r.seq), 0) + 1;
		const input = `input-${seq}.jsonl`;
		store.writeFile(input, text);
		store.add({
			via: 'vllm', endpoint: pending[0].endpoint, model: pending[0].request.model, units: pending.map((u) => u.id), input,
			output: null, errors: null, input_file_id: null, batch_id: null, status: 'exported', ingested: false
		});
		store.save();
		return { lines: pending.length, text, path: store.path(input), models };
	}
	return { lines: 0, text, path: null, models };
}

export interface ExistingBatchRunOptions {
	runsDir: string;
	runId: string;
	/** For prices and the cache key; optional. */
	config?: EngineConfig | null;
	cache?: ResponseCache | null;
	parse?: ParseHook;
	compactTo?: string | null;
	onWarning?: (message: string) => void;
	fsync?: boolean;
	/**
	 * The units read back from batch/units.jsonl, checked against the run's manifest before the
	 * run is opened (the CLI passes resume-units.ts checkResumeUnits): throws to refuse, with
	 * nothing written and the manifest as it was. Exported and imported are only these units.
	 */
	checkUnits?: (units: WorkUnit[], manifest: Manifest, file: string) => void;
}

/** A batch run's folder opened again from what it holds (manifest params, unit list). */
function reopen(options: ExistingBatchRunOptions): { session: RunSession; store: BatchStore; units: WorkUnit[]; unitById: Map<string, WorkUnit> } {
	const runId = checkRunId(options.runId);
	const runDir = join(options.runsDir, runId);
	const manifest = readManifest(join(runDir, MANIFEST_FILE));
	if (!manifest) throw new RunSetupError(`${join(runDir, MANIFEST_FILE)}: no run "${runId}"`);
	if (!BatchStore.exists(runDir)) throw new RunSetupError(`run "${runId}" was not started as a batch run (covw run … --batch or --batch-export)`);
	let units: WorkUnit[];
	try {
		const read = new BatchStore(runDir);
		units = read.readUnits();
		options.checkUnits?.(units, manifest, read.path(UNITS_FILE));
	} catch (e) {
		throw new RunSetupError((e as Error).message);
	}
	const unitById = new Map(units.map((u) => [u.id, u]));
	const session = RunSession.open({
		runsDir: options.runsDir,
		runId,
		kind: manifest.kind,
		params: manifest.params,
		datasetHash: manifest.dataset_hash,
		unitIds: units.map((u) => u.id),
		endpoints: manifest.endpoints,
		priceOf: priceFunction(options.config ?? null, unitById, priceFactorOf(manifest.params)),
		fsync: options.fsync,
		onWarning: options.onWarning
	});
	return { session, store: new BatchStore(runDir), units, unitById };
}

/** `covw batch export`: the pending units of a batch run as a run_batch input file. */
export function exportBatchRun(options: ExistingBatchRunOptions): ExportResult {
	const { session, store, units } = reopen(options);
	try {
		// With a config and a cache: the units the cache answers go into the run, not the file.
		// Units in a provider's batch not yet ingested are skipped (that batch answers them); units of
		// an earlier vLLM export waiting for its import may take the cache's answer.
		const fromCache = cachedIntoRun(session, units, options.config, session.usesCache ? options.cache : null, options.parse, store.inFlight('openai'));
		const out = exportPending(session, store, units);
		if (out.lines === 0) compact(session, session.runId, options.compactTo);
		const manifest = session.finish(out.lines === 0 ? 'completed' : 'cancelled');
		return { runId: session.runId, ...out, fromCache, state: manifest.state };
	} catch (e) {
		session.abandon('failed');
		throw e;
	}
}

export interface ImportResult {
	runId: string;
	/** Rows written from the file. */
	rows: number;
	/** Of those, answers cut at the token limit (finish_reason "length"; types.ts ANSWER_CUT). */
	cut: number;
	/** Of those, answers from another model than their unit asked for (batch-ingest.ts ANSWER_MODEL; each said in a warning). */
	otherModel: number;
	state: RunState;
	manifest: ReturnType<RunSession['finish']>;
	warnings: string[];
}

/** `covw batch import`: an output file in the batch output format ingested as the run's rows. */
export function importBatchOutput(options: ExistingBatchRunOptions & { text: string; file: string }): ImportResult {
	const { session, store, units, unitById } = reopen(options);
	const warn = (m: string) => {
		session.warnings.push(m);
		(options.onWarning ?? ((t: string) => console.warn(t)))(m);
	};
	try {
		let rows = 0;
		let cut = 0;
		let otherModel = 0;
		const ctx: IngestContext = {
			session, units: unitById, parse: options.parse, cache: session.usesCache ? options.cache : null, config: options.config ?? undefined,
			redact: options.config ? (t) => options.config!.redactor.text(t) : undefined,
			record: (row) => {
				session.append(row);
				rows++;
				if (row.meta[ANSWER_CUT] === true) cut++;
				if (row.meta[ANSWER_MODEL] !== undefined) otherModel++;
			},
			warn
		};
		ingestBatchOutput(ctx, options.text, options.file, null);
		for (const r of store.records) {
			if (r.via === 'vllm' && !r.ingested && r.units.every((id) => session.rows.has(id))) store.update(r, { ingested: true, status: 'imported' });
		}
		compact(session, session.runId, options.compactTo);
		const state: RunState = units.every((u) => session.rows.has(u.id)) ? 'completed' : 'cancelled';
		const manifest = session.finish(state);
		return { runId: session.runId, rows, cut, otherModel, state, manifest, warnings: session.warnings };
	} catch (e) {
		session.abandon('failed');
		throw e;
	}
}

/** `covw batch status`: the run's batch records (no network). */
export function batchRecords(runsDir: string, runId: string): BatchRecord[] {
	const runDir = join(runsDir, checkRunId(runId));
	try {
		return new BatchStore(runDir).records;
	} catch (e) {
		// An unreadable record (bad JSON, a field of the wrong type, a path for a file name) is bad input, named.
		throw new RunSetupError((e as Error).message);
	}
}
