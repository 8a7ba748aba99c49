// The scheduler: runs a list of generic work units against their endpoints, and records each
// finished unit as one row in the run's append-only log.
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
// - Cancel (signal): in-flight requests are aborted and leave no row; resume sends them.
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AdaptiveLimit, CancelledError } from './adaptive-limit.ts';
import { compactRows, compactRun } from './compact-run.ts';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from './backoff.ts';
import { canonicalJson } from './canonical-json.ts';
import { chatAttempt, SAMPLE_HEADER, UNIT_HEADER } from './chat-client.ts';
import type { EngineConfig } from './config.ts';
import { CallFailure } from './failure.ts';
import { type Manifest, MANIFEST_FILE, type Price, readManifest, type RunState, summarize, writeManifest } from './manifest.ts';
import { ResponseCache, cacheKey } from './response-cache.ts';
import { FINISHED, keepLatestRow, latestRowPerUnit, LOG_FILE, readRunLog, readsBackUnchanged, RunLogWriter } from './run-log.ts';
import { acquireRunLock, LOCK_FILE } from './run-lock.ts';
import { type Completion, type MetaValue, type ResultRow, ROW_FIELDS, type WorkUnit } from './types.ts';

/** What a parse hook (the judge layer) makes of an answer. */
export interface ParseResult {
	status: 'ok' | 'unparsed';
	/** Extra columns for the row (e.g. vulnerable, predicted_cwe). */
	fields?: Record<string, MetaValue | boolean>;
}
export type ParseHook = (response: string, unit: WorkUnit) => ParseResult;

export interface EndpointProgress {
	name: string;
	limit: number;
	in_flight: number;
	paused_ms: number;
}

export interface Progress {
	run_id: string;
	total: number;
	/** Units with a row (this session or an earlier one). */
	done: number;
	ok: number;
	error: number;
	unparsed: number;
	cached: number;
	/** Requests sent this session (attempts, retries included). */
	requests: number;
	/** Tokens of answers not served from the cache. */
	tokens_in: number;
	tokens_out: number;
	elapsed_ms: number;
	endpoints: EndpointProgress[];
}

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
	/** fsync the log after every row (survives power loss, not just a killed process). */
	fsync?: boolean;
	/** Arrow file written when the session ends; null = do not compact. */
	compactTo?: string | null;
	/** For tests: the random source of backoff jitter. */
	random?: () => number;
}

export interface RunUnitsResult {
	state: RunState;
	manifest: Manifest;
	/** One row per unit of this run, latest first-class row. */
	rows: Map<string, ResultRow>;
	warnings: string[];
	/** HTTP requests sent this session. */
	requests: number;
}

export class RunSetupError extends Error {}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export async function runUnits(options: RunUnitsOptions): Promise<RunUnitsResult> {
	const { config, units, runId } = options;
	const redact = config.redactor;
	if (!RUN_ID.test(runId)) throw new RunSetupError(`run id "${runId}" must be letters, digits, ".", "_" or "-"`);
	validateUnits(units, config);

	const runDir = join(options.runsDir, runId);
	mkdirSync(runDir, { recursive: true });
	const releaseLock = acquireRunLock(join(runDir, LOCK_FILE));
	const warnings: string[] = [];
	const warn = (message: string) => {
		warnings.push(message);
		(options.onWarning ?? ((m: string) => console.warn(m)))(message);
	};

	try {
		const manifestPath = join(runDir, MANIFEST_FILE);
		const previous = readManifest(manifestPath);
		const params = redact.value(options.params ?? {});
		if (previous && canonicalJson(previous.params) !== canonicalJson(params)) {
			throw new RunSetupError(`${manifestPath}: run "${runId}" exists with different params; use a new run id`);
		}

		const logPath = join(runDir, LOG_FILE);
		const earlier = readRunLog(logPath);
		earlier.warnings.forEach(warn);
		const unitById = new Map(units.map((u) => [u.id, u]));
		const final = new Map<string, ResultRow>();
		let foreign = 0;
		// What a reader of the log sees, one row per unit (other runs' units included), kept up
		// to date as rows are appended: the end-of-run compaction writes it without re-reading
		// the log. Falls back to re-reading if a row would not read back unchanged.
		const logged = latestRowPerUnit(earlier.rows);
		let loggedMatchesLog = true;
		for (const [id, row] of logged) {
			if (unitById.has(id)) final.set(id, row);
			else foreign++;
		}
		if (foreign > 0) warn(`${logPath}: ${foreign} logged unit(s) are not in this run's unit list; not counted`);
		const pending = units.filter((u) => !FINISHED.includes(final.get(u.id)?.status ?? 'error'));

		const now = new Date().toISOString();
		const priceOf = (row: ResultRow): Price | null => {
			const unit = unitById.get(row.unit_id);
			const endpoint = unit && config.endpoints.get(unit.endpoint);
			return endpoint?.models?.[unit!.request.model]?.prices ?? null;
		};
		const usedEndpoints = [...new Set(units.map((u) => u.endpoint))].map((n) => config.endpoints.get(n)!.toJSON());
		const manifest = (state: RunState, finished: string | null): Manifest => ({
			run_id: runId,
			kind: options.kind ?? previous?.kind ?? 'generation',
			params,
			dataset_hash: options.datasetHash ?? previous?.dataset_hash ?? null,
			endpoints: usedEndpoints,
			state,
			started_at: previous?.started_at ?? now,
			sessions: [...(previous?.sessions ?? []), now],
			finished_at: finished,
			...summarize(final.values(), units.length, priceOf),
			log_warnings: warnings.slice(0, 50)
		});
		writeManifest(manifestPath, manifest('running', null));

		const log = new RunLogWriter(logPath, { fsync: options.fsync });
		// Fatal problems (a disk that stops taking writes) stop every worker, not just one.
		const stop = new AbortController();
		setMaxListeners(0, stop.signal); // one abort listener per request in flight: concurrency × 2 is no leak
		const onOuterAbort = () => stop.abort();
		options.signal?.addEventListener('abort', onOuterAbort, { once: true });
		if (options.signal?.aborted) stop.abort();
		let fatal: unknown = null;

		const started = performance.now();
		const limits = new Map<string, AdaptiveLimit>();
		for (const name of new Set(units.map((u) => u.endpoint))) {
			limits.set(name, new AdaptiveLimit(config.endpoints.get(name)!.concurrency));
		}
		// Progress is tallied incrementally: recounting every row per event would be quadratic.
		const tally = { requests: 0, done: 0, ok: 0, error: 0, unparsed: 0, cached: 0, tokens_in: 0, tokens_out: 0 };
		const count = (row: ResultRow, sign: 1 | -1) => {
			tally.done += sign;
			tally[row.status] += sign;
			if (row.cached) tally.cached += sign;
			else {
				tally.tokens_in += sign * (row.tokens_in ?? 0);
				tally.tokens_out += sign * (row.tokens_out ?? 0);
			}
		};
		for (const row of final.values()) count(row, 1);
		const progress = (): Progress => ({
			run_id: runId,
			total: units.length,
			done: tally.done,
			ok: tally.ok,
			error: tally.error,
			unparsed: tally.unparsed,
			cached: tally.cached,
			requests: tally.requests,
			tokens_in: tally.tokens_in,
			tokens_out: tally.tokens_out,
			elapsed_ms: performance.now() - started,
			endpoints: [...limits].map(([name, l]) => ({ name, limit: l.limit, in_flight: l.inFlight, paused_ms: l.pausedForMs }))
		});

		const record = (row: ResultRow) => {
			log.append(row);
			if (loggedMatchesLog && readsBackUnchanged(row)) keepLatestRow(logged, row);
			else loggedMatchesLog = false;
			const prev = final.get(row.unit_id);
			if (prev) count(prev, -1);
			final.set(row.unit_id, row);
			count(row, 1);
			options.onProgress?.(progress());
		};

		const policyFor = (endpointName: string): RetryPolicy => ({
			...DEFAULT_RETRY,
			maxAttempts: config.endpoints.get(endpointName)!.maxAttempts,
			...options.retry
		});

		const runOne = async (unit: WorkUnit): Promise<void> => {
			const endpoint = config.endpoints.get(unit.endpoint)!;
			const limit = limits.get(unit.endpoint)!;
			const policy = policyFor(unit.endpoint);
			const key = options.cache ? cacheKey(endpoint.baseURL, unit.request, unit.sample) : null;
			const hit = key ? options.cache!.get(key) : null;
			if (hit) {
				record(answerRow(unit, hit, { cached: true, attempts: 0, latency_ms: 0 }, options.parse));
				return;
			}
			let attempts = 0;
			let failures = 0;
			let rateLimited = 0;
			for (;;) {
				const slot = await limit.acquire(stop.signal);
				attempts++;
				tally.requests++;
				const t0 = performance.now();
				let failure: CallFailure;
				try {
					const completion = await chatAttempt(endpoint, unit.request, {
						signal: stop.signal,
						headers: { [UNIT_HEADER]: unit.id, [SAMPLE_HEADER]: String(unit.sample) }
					});
					limit.release(slot, 'ok');
					const latency = Math.round((performance.now() - t0) * 10) / 10;
					if (key) options.cache!.put(key, completion);
					record(answerRow(unit, completion, { cached: false, attempts, latency_ms: latency }, options.parse));
					return;
				} catch (e) {
					failure = e instanceof CallFailure ? e : new CallFailure('connection', String(e));
					limit.release(slot, failure.kind === 'rate_limited' ? 'rate_limited' : 'failed', failure.retryAfterMs);
				}
				if (failure.kind === 'cancelled') throw new CancelledError();
				const latency = Math.round((performance.now() - t0) * 10) / 10;
				if (failure.kind === 'rate_limited') rateLimited++;
				else failures++;
				const exhausted = failure.kind === 'rate_limited' ? rateLimited >= policy.maxRateLimitedAttempts : failures >= policy.maxAttempts;
				if (!failure.retryable || exhausted) {
					const why = failure.retryable ? `gave up after ${attempts} attempt(s): ` : 'not retryable: ';
					record(errorRow(unit, redact.text(`${failure.kind}: ${why}${failure.message}`), attempts, latency));
					return;
				}
				const delay = failure.retryAfterMs ?? backoffDelay(failure.kind === 'rate_limited' ? rateLimited : failures, policy, options.random);
				await sleep(delay, stop.signal);
			}
		};

		// Per endpoint, a pool of workers pulls units from a queue: about twice the endpoint's
		// concurrency, so slots stay busy while some units sit in backoff, and memory stays
		// bounded however many units there are.
		const queues = new Map<string, WorkUnit[]>();
		for (const u of pending) {
			if (!queues.has(u.endpoint)) queues.set(u.endpoint, []);
			queues.get(u.endpoint)!.push(u);
		}
		const workers: Promise<void>[] = [];
		for (const [name, queue] of queues) {
			let next = 0;
			const count = Math.min(queue.length, config.endpoints.get(name)!.concurrency * 2);
			for (let w = 0; w < count; w++) {
				workers.push(
					(async () => {
						while (!stop.signal.aborted && next < queue.length) {
							const unit = queue[next++];
							try {
								await runOne(unit);
							} catch (e) {
								if (e instanceof CancelledError) return;
								fatal ??= e;
								stop.abort();
								return;
							}
						}
					})()
				);
			}
		}
		await Promise.all(workers);
		options.signal?.removeEventListener('abort', onOuterAbort);
		log.close();

		const state: RunState = fatal ? 'failed' : options.signal?.aborted ? 'cancelled' : 'completed';
		const done = manifest(state, new Date().toISOString());
		if (options.compactTo !== null && !fatal) {
			const file = options.compactTo ?? 'generations.arrow';
			if (loggedMatchesLog) compactRows(runDir, runId, file, [...logged.values()]);
			else compactRun(runDir, runId, file);
		}
		writeManifest(manifestPath, done);
		if (fatal) throw fatal;
		return { state, manifest: done, rows: final, warnings, requests: tally.requests };
	} finally {
		releaseLock();
	}
}

function validateUnits(units: WorkUnit[], config: EngineConfig): void {
	const seen = new Set<string>();
	const reserved = new Set<string>([...ROW_FIELDS, 'run_id']);
	for (const [i, u] of units.entries()) {
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
			if (reserved.has(key)) throw new RunSetupError(`${at}: meta key "${key}" is a row field name`);
		}
	}
}

function baseRow(unit: WorkUnit) {
	return { unit_id: unit.id, sample: unit.sample, finished_at: new Date().toISOString() };
}

function answerRow(
	unit: WorkUnit,
	completion: Completion,
	how: { cached: boolean; attempts: number; latency_ms: number },
	parse?: ParseHook
): ResultRow {
	let status: ResultRow['status'] = 'ok';
	let error: string | null = null;
	const meta: ResultRow['meta'] = { ...unit.meta };
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

function errorRow(unit: WorkUnit, reason: string, attempts: number, latency: number): ResultRow {
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
