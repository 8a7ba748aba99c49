// The scheduler: runs a list of generic work units against their endpoints, and records each
// finished unit as one row in the run's append-only log. The run folder (lock, params check,
// resume, manifest, log) is a RunSession (run-session.ts); one unit's request with its retries
// is request-retry.ts; the per-endpoint worker queues are worker-pool.ts and the progress
// tally run-progress.ts. This file ties them together and turns outcomes into rows.
//
// - Concurrency is bounded per endpoint by an AdaptiveLimit (halved on 429, recovered after).
// - Failed attempts are retried with backoff + jitter (or the server's retry-after): 5xx,
//   timeouts, resets, cut streams, malformed bodies, within the endpoint's maxAttempts; 429s
//   within their own budget. Other 4xx are not retried. What still fails becomes a row with
//   status 'error' and the reason: an infrastructure failure, never a verdict.
// - Resume: units whose latest row is 'ok' or 'unparsed' are skipped; 'error' rows are retried
//   (an outage should not be frozen into the results), and the newer row supersedes them.
// - Cache: a hit is logged with cached: true and sends nothing. A fresh answer is cached
//   before it is logged, so a crash between the two still never re-sends it.
// - A local failure (full disk, permissions) writing the log, the cache or the manifest is a
//   RunStorageError: it stops the run, is never retried as a request, and the manifest ends
//   "failed".
// - Cancel (signal): in-flight requests are aborted and leave no row; resume sends them. A
//   graceful stop that came with the signal (abort-fanout.ts) starts nothing new and lets the
//   requests in flight finish and be logged first; the run then ends cancelled all the same.
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gracefulStopOf, inheritDrain } from './abort-fanout.ts';
import { AdaptiveLimit } from './adaptive-limit.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.ts';
import { checkModelsServed, EndpointUnreachableError } from './model-listing.ts';
import { checkRunId } from './run-id.ts';
import { cacheKey, type ResponseCache } from './response-cache.ts';
import type { EngineConfig } from './config.ts';
import { type Manifest, MANIFEST_FILE, type Price, type RunState } from './manifest.ts';
import { drainedSince, replicaMark, replicasOf } from './replicas.ts';
import { sendWithRetries } from './request-retry.ts';
import { RunSetupError, RunStorageError, storageFailure } from './run-errors.ts';
import { type Progress, ProgressTally } from './run-progress.ts';
import { QuietTimer } from './idle-queue.ts';
import { markPhase } from './phase-marks.ts';
import { RunSession } from './run-session.ts';
import { ANSWER_CUT, type Completion, type MetaValue, PROMPT_TOKENS_SLACK, REASONING_TOKENS, type ResultRow, ROW_FIELDS, tokensImplausible, USAGE_IMPLAUSIBLE, USAGE_INVALID, type WorkUnit } from './types.ts';
import { allUnits, isUnitSource, type UnitSource } from './unit-source.ts';
import { runWorkerPool, type UnitStream } from './worker-pool.ts';

export { RunSetupError, RunStorageError } from './run-errors.ts';

/** What a parse hook (the judge layer) makes of an answer. */
export interface ParseResult {
	status: 'ok' | 'unparsed' | 'no_code';
	/** Extra columns for the row (e.g. vulnerable, predicted_cwe). */
	fields?: Record<string, MetaValue | boolean>;
}
export type ParseHook = (response: string, unit: WorkUnit) => ParseResult;

export type { EndpointProgress, Progress } from './run-progress.ts';

export interface RunUnitsOptions {
	runId: string;
	/** Folder holding all runs; this run lives in <runsDir>/<runId>/. */
	runsDir: string;
	config: EngineConfig;
	units: WorkUnit[];
	kind?: string;
	/** What defines the run (task, models, selection…); must match when resuming. */
	params?: Record<string, unknown>;
	datasetHash?: string | null;
	cache?: ResponseCache | null;
	signal?: AbortSignal;
	retry?: Partial<RetryPolicy>;
	parse?: ParseHook;
	onProgress?: (progress: Progress) => void;
	/** Skipped log lines and similar; defaults to console.warn. */
	onWarning?: (message: string) => void;
	/** Each row once it is logged (must not throw). */
	onRow?: (row: ResultRow) => void;
	/**
	 * Called once the first requests are out (on the turn of the event loop after the first
	 * attempt, when every request that could start has been sent): work that can wait for the
	 * answers (loading the detection parsers) is started then, not while the run opens.
	 */
	onRequestsOut?: () => void;
	/** fsync the log after every row (survives power loss, not just a killed process). */
	fsync?: boolean;
	/** Arrow file written when the session ends; null = do not compact. */
	compactTo?: string | null;
	/** For tests: the random source of backoff jitter. */
	random?: () => number;
	/** For tests: how often the session looks for drains to write to its manifest (run-session.ts DRAIN_WRITE_MS). */
	drainWriteMs?: number;
}

export interface RunUnitsResult {
	state: RunState;
	manifest: Manifest;
	/** One row per unit of this run, latest first-class row. */
	rows: Map<string, ResultRow>;
	warnings: string[];
	/** HTTP requests sent this session. */
	requests: number;
	/**
	 * Every unit's row as a reader of the log sees it (RunSession.loggedRows), or null when only
	 * re-reading the log can tell: lets the next step (the detection parsers) skip that read.
	 */
	loggedRows?: ResultRow[] | null;
}

/** runUnits' options: the units may also come from a source that builds them as the run goes (unit-source.ts). */
export type LiveRunOptions = Omit<RunUnitsOptions, 'units'> & { units: WorkUnit[] | UnitSource };

export async function runUnits(options: LiveRunOptions): Promise<RunUnitsResult> {
	const { config } = options;
	// A run id that is not one (a path) is refused before anything is asked or looked up on disk.
	const runId = checkRunId(options.runId);
	const redact = config.redactor;
	// A source builds its units as the run goes, unless the log already has rows (then every id is
	// needed first, for resume): `units` is null until they are all built.
	const source = isUnitSource(options.units) ? options.units : null;
	let units: WorkUnit[] | null = isUnitSource(options.units) ? null : options.units;
	const targets = units ? units.map((u) => ({ endpoint: u.endpoint, model: u.request.model })) : source!.targets;
	if (units) validateUnits(units, config);
	else for (const t of targets) if (!config.endpoints.has(t.endpoint)) throw new RunSetupError(`endpoint "${t.endpoint}" is not in ${config.source}`);
	const endpointNames = [...new Set(targets.map((t) => t.endpoint))];
	// A key the config names but the environment lacks stops the run here, before its folder is made.
	for (const name of endpointNames) config.endpoints.get(name)!.requireApiKey();
	// So does a model that an endpoint without a model list (OPENAI_BASE_URL alone) does not serve,
	// and an endpoint that does not answer at all. A run already on disk goes on with a warning:
	// re-running a finished run (or one its cache answers) sends nothing, and what it must send
	// fails as error rows, resumable.
	try {
		await checkModelsServed(config, targets);
	} catch (error) {
		if (!(error instanceof EndpointUnreachableError) || !existsSync(join(options.runsDir, runId, MANIFEST_FILE))) throw error;
		options.onWarning?.(`${error.message.replace(/ Nothing was sent and no run folder was made:.*$/, '')} — going on with run ${runId}, which exists: units that need a request will fail`);
	}
	const unitById = new Map(units ? units.map((u) => [u.id, u]) : []);
	/** Every unit, built and checked now (a source's, when resuming). */
	const buildAll = (): WorkUnit[] => {
		if (!units) {
			units = allUnits(source!);
			validateUnits(units, config);
			for (const u of units) unitById.set(u.id, u);
		}
		return units;
	};
	const priceOf = (row: ResultRow): Price | null => {
		const unit = unitById.get(row.unit_id);
		const endpoint = unit && config.endpoints.get(unit.endpoint);
		return endpoint?.models?.[unit!.request.model]?.prices ?? null;
	};
	const session = RunSession.open({
		runsDir: options.runsDir,
		runId,
		kind: options.kind,
		params: redact.value(options.params ?? {}),
		datasetHash: options.datasetHash,
		unitIds: units ? units.map((u) => u.id) : { count: source!.count, ids: () => buildAll().map((u) => u.id) },
		endpoints: endpointNames.map((n) => config.endpoints.get(n)!.toJSON()),
		priceOf,
		fsync: options.fsync,
		onWarning: options.onWarning,
		warnForeignUnits: true,
		responseCache: options.cache !== null // --no-cache: recorded with the run, kept by its later sessions
	});
	markPhase('session');
	// Replicas drained during this run go into its manifest (and so the CLI summary, runs show).
	const mark = replicaMark(new Set(endpointNames.map((name) => config.endpoints.get(name)!)));
	// … and while it goes, so a page reading the manifest of a run another process writes says so.
	if (mark.length > 0) session.watchDrains(() => drainedSince(mark, (t) => redact.text(t), Date.now()), options.drainWriteMs);
	const outer = options.signal;
	// Fatal problems (a disk that stops taking writes) stop every worker, not just one.
	const stop = new AbortController();
	setMaxListeners(0, stop.signal); // one abort listener per request in flight: concurrency × 2 is no leak
	const onOuterAbort = () => stop.abort();
	inheritDrain(outer, stop.signal);
	try {
		outer?.addEventListener('abort', onOuterAbort, { once: true });
		if (outer?.aborted) stop.abort();
		const limits = new Map<string, AdaptiveLimit>();
		for (const name of endpointNames) {
			limits.set(name, new AdaptiveLimit(config.endpoints.get(name)!.concurrency));
		}
		const tally = new ProgressTally(runId, units ? units.length : source!.count, limits, new Map(endpointNames.map((n) => [n, replicasOf(config.endpoints.get(n)!)])), (t) => redact.text(t));
		for (const row of session.rows.values()) tally.replace(undefined, row);

		/** Logs a row; a local failure throws RunStorageError, which stops the run. */
		const record = (row: ResultRow) => {
			const previous = session.rows.get(row.unit_id);
			session.append(row);
			tally.replace(previous, row);
			options.onProgress?.(tally.snapshot());
			options.onRow?.(row);
			markPhase('answer');
		};

		const runOne = async (unit: WorkUnit): Promise<void> => {
			const endpoint = config.endpoints.get(unit.endpoint)!;
			const cache = session.usesCache ? (options.cache ?? null) : null;
			const key = cache ? cacheKey(endpoint.baseURL, unit.request, unit.sample) : null;
			const hit = key ? cache!.get(key) : null;
			if (hit) {
				record(answerRow(unit, hit, { cached: true, attempts: 0, latency_ms: 0 }, options.parse));
				return;
			}
			// The network part, retries included. Nothing local happens in there.
			const outcome = await sendWithRetries(unit, {
				endpoint,
				limit: limits.get(unit.endpoint)!,
				policy: { ...DEFAULT_RETRY, maxAttempts: endpoint.maxAttempts, ...options.retry },
				signal: stop.signal,
				onAttempt: () => {
					if (tally.requests === 0 && options.onRequestsOut) setTimeout(options.onRequestsOut, 0);
					tally.requests++;
					markPhase('request');
				},
				random: options.random
			});
			if (outcome.kind === 'failed') {
				record(errorRow(unit, redact.text(outcome.reason), outcome.attempts, outcome.latency_ms));
				return;
			}
			// Cached before it is logged, so a crash between the two never re-sends it. A cache
			// that cannot be written still lets the paid answer reach the log, then stops the run.
			let cacheFailure: RunStorageError | null = null;
			if (key) {
				try {
					cache!.put(key, outcome.completion);
				} catch (e) {
					cacheFailure = storageFailure('the response cache', cache!.dir, e);
				}
			}
			record(answerRow(unit, outcome.completion, { cached: false, attempts: outcome.attempts, latency_ms: outcome.latency_ms }, options.parse));
			if (cacheFailure) throw cacheFailure;
		};

		const stream = units ? null : streamOf(source!, config, unitById);
		const pending = stream ?? units!.filter((u) => !session.isFinished(u.id));
		let fatal: unknown;
		try {
			({ fatal } = await runWorkerPool(pending, (name) => config.endpoints.get(name)!.concurrency, stop, runOne));
		} finally {
			stream?.dispose();
		}
		if (fatal) throw fatal;
		markPhase('pool-done');

		const state: RunState = outer?.aborted || gracefulStopOf(outer)?.drain.aborted ? 'cancelled' : 'completed';
		if (options.compactTo !== null) {
			// Arrow is loaded only for a run that compacts (the CLI's runs leave it to the reader).
			const { compactSession } = await import('./compact-run.ts');
			compactSession(session, runId, options.compactTo ?? 'generations.arrow');
		}
		session.drainedReplicas = drainedSince(mark, (t) => redact.text(t));
		const manifest = session.finish(state);
		markPhase('finished');
		return { state, manifest, rows: session.rows, warnings: session.warnings, requests: tally.requests, loggedRows: session.loggedRows() };
	} catch (e) {
		session.drainedReplicas = drainedSince(mark, (t) => redact.text(t));
		session.abandon('failed');
		throw e;
	} finally {
		outer?.removeEventListener('abort', onOuterAbort);
	}
}

export function validateUnits(units: WorkUnit[], config: EngineConfig): void {
	const seen = new Set<string>();
	for (const [i, u] of units.entries()) validateUnit(u, i, seen, config);
}

const RESERVED = new Set<string>([...ROW_FIELDS, 'run_id']);

/** One unit's checks (validateUnits), `seen` holding the ids of the units before it. */
function validateUnit(u: WorkUnit, i: number, seen: Set<string>, config: EngineConfig): void {
	const at = `unit ${i} (${u.id})`;
	if (typeof u.id !== 'string' || u.id === '') throw new RunSetupError(`unit ${i}: id must be a non-empty string`);
	if (seen.has(u.id)) throw new RunSetupError(`${at}: duplicate unit id`);
	seen.add(u.id);
	if (!config.endpoints.has(u.endpoint)) throw new RunSetupError(`${at}: endpoint "${u.endpoint}" is not in ${config.source}`);
	if (!Number.isInteger(u.sample) || u.sample < 0) throw new RunSetupError(`${at}: sample must be an integer ≥ 0`);
	if (!u.request || typeof u.request.model !== 'string' || !Array.isArray(u.request.messages)) {
		throw new RunSetupError(`${at}: request needs model and messages`);
	}
	for (const key of Object.keys(u.meta)) {
		if (RESERVED.has(key)) throw new RunSetupError(`${at}: meta key "${key}" is a row field name`);
	}
}

/**
 * A fresh run's units as its workers take them, built from the source in order and checked as
 * validateUnits would (a unit failing a check stops the run as a fatal error once a worker
 * reaches it; a source's builder checks up front what could fail, so this is a safety net). One
 * endpoint per source. Units are built ahead in the gaps between answers (idle-queue.ts), up to the
 * endpoint's concurrency (as many as one round of answers frees workers): building one (its
 * prompt, hashes and id) between an answer and the next delayed every later answer of those that
 * arrive together; a worker that finds none built builds one.
 */
function streamOf(source: UnitSource, config: EngineConfig, unitById: Map<string, WorkUnit>): UnitStream & { dispose(): void } {
	const endpoints = new Set(source.targets.map((t) => t.endpoint));
	if (endpoints.size !== 1) throw new RunSetupError(`a unit source serves one endpoint, not ${endpoints.size}`);
	const endpoint = [...endpoints][0];
	const builtAhead = config.endpoints.get(endpoint)?.concurrency ?? 1;
	const it = source.build();
	const seen = new Set<string>();
	let i = 0;
	let exhausted = false;
	/** The error building the next unit gave (thrown to every worker that reaches it). */
	let failure: { error: unknown } | null = null;
	const ahead: WorkUnit[] = [];
	const build = (): WorkUnit | undefined => {
		const next = it.next();
		if (next.done) {
			exhausted = true;
			return undefined;
		}
		const u = next.value;
		validateUnit(u, i++, seen, config);
		if (u.endpoint !== endpoint) throw new RunSetupError(`unit ${i - 1} (${u.id}): endpoint "${u.endpoint}" is not the source's`);
		unitById.set(u.id, u);
		return u;
	};
	const fill = () => {
		try {
			while (!exhausted && failure === null && ahead.length < builtAhead) {
				const u = build();
				if (u) ahead.push(u);
			}
		} catch (error) {
			failure = { error };
		}
	};
	const quiet = new QuietTimer(fill, 3, 25);
	return {
		endpoint,
		count: source.count,
		next: () => {
			if (ahead.length > 0) {
				const u = ahead.shift()!;
				if (!exhausted) quiet.poke();
				return u;
			}
			if (failure) throw failure.error;
			if (exhausted) return undefined;
			const u = build();
			if (!exhausted) quiet.poke();
			return u;
		},
		dispose: () => quiet.cancel()
	};
}

/** The prompt's length in characters: its messages' text. */
function promptChars(unit: WorkUnit): number {
	let n = 0;
	for (const m of unit.request.messages) n += typeof m.content === 'string' ? m.content.length : 0;
	return n;
}

function baseRow(unit: WorkUnit) {
	return { unit_id: unit.id, sample: unit.sample, finished_at: new Date().toISOString() };
}

export function answerRow(
	unit: WorkUnit,
	completion: Completion,
	how: { cached: boolean; attempts: number; latency_ms: number | null },
	parse?: ParseHook
): ResultRow {
	let status: ResultRow['status'] = 'ok';
	let error: string | null = null;
	const meta: ResultRow['meta'] = { ...unit.meta };
	// Usage the endpoint sent that is no count (chat-client.ts usageOf): the answer is kept, its
	// tokens are not; the flag lets the run say its tokens and cost are lower bounds.
	if (completion.usage_invalid) meta[USAGE_INVALID] = true;
	// An answer that stopped at its token limit is kept, flagged: counted beside the run's counts (types.ts ANSWER_CUT).
	if (completion.finish_reason === 'length') meta[ANSWER_CUT] = true;
	// Hidden reasoning tokens the endpoint reported: kept, so the answer's bound leaves them out (types.ts usageImplausible).
	if (completion.reasoning_tokens !== undefined) meta[REASONING_TOKENS] = completion.reasoning_tokens;
	// More prompt tokens than the prompt could take (types.ts TOKENS_PER_CHAR): known only now (the
	// prompt is not kept in the row), so flagged now; the answer's own bound is checked from the row.
	else if (unit.request.messages.length > 0 && tokensImplausible(completion.tokens_in, promptChars(unit), PROMPT_TOKENS_SLACK)) meta[USAGE_IMPLAUSIBLE] = true;
	if (parse) {
		try {
			const parsed = parse(completion.text, unit);
			status = parsed.status;
			for (const [k, v] of Object.entries(parsed.fields ?? {})) if (!(ROW_FIELDS as readonly string[]).includes(k)) meta[k] = v;
		} catch (e) {
			status = 'unparsed';
			error = `parse hook failed: ${(e as Error).message}`;
		}
	}
	return {
		...baseRow(unit),
		status,
		response: completion.text,
		error,
		latency_ms: how.latency_ms,
		tokens_in: completion.tokens_in,
		tokens_out: completion.tokens_out,
		cached: how.cached,
		attempts: how.attempts,
		meta
	};
}

export function errorRow(unit: WorkUnit, reason: string, attempts: number, latency: number | null): ResultRow {
	return {
		...baseRow(unit),
		status: 'error',
		response: null,
		error: reason,
		latency_ms: latency,
		tokens_in: null,
		tokens_out: null,
		cached: false,
		attempts,
		meta: { ...unit.meta }
	};
}
