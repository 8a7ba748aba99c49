// What went wrong with one attempt, in the terms the scheduler decides on: retry or not, how
// long the server asked us to wait, and a short reason for the error row.
import { APIError, APIUserAbortError } from 'openai';

export type FailureKind =
	| 'rate_limited' // 429: retry after the server's delay, lower concurrency
	| 'server' // 5xx, 408, 409: retry with backoff
	| 'timeout' // no complete answer within the endpoint's timeout
	| 'connection' // refused, reset, closed mid-stream
	| 'malformed' // 200 but the body is not a chat completion
	| 'rejected' // other 4xx (bad request, auth, unknown model): retrying cannot help
	| 'cancelled'; // the run was cancelled: not a result at all

export class CallFailure extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly status: number | null = null,
		/** Delay the server asked for (retry-after-ms / retry-after), in ms. */
		readonly retryAfterMs: number | null = null
	) {
		super(message);
	}

	get retryable(): boolean {
		return this.kind !== 'rejected' && this.kind !== 'cancelled';
	}
}

/** Why our own controller aborted an attempt (the client reports both as a user abort). */
export type AbortCause = 'timeout' | 'cancel' | null;

export function classifyFailure(error: unknown, abortCause: AbortCause, timeoutMs: number): CallFailure {
	if (error instanceof CallFailure) return error;
	if (abortCause === 'cancel') return new CallFailure('cancelled', 'cancelled');
	if (abortCause === 'timeout') return new CallFailure('timeout', `no complete answer within ${timeoutMs} ms`);
	if (error instanceof APIUserAbortError) return new CallFailure('cancelled', 'cancelled');
	if (error instanceof APIError && typeof error.status === 'number') {
		const status = error.status;
		const message = `HTTP ${status}: ${firstLine(error.message)}`;
		if (status === 429) return new CallFailure('rate_limited', message, status, retryAfterMs(error.headers));
		if (status >= 500 || status === 408 || status === 409) {
			return new CallFailure('server', message, status, retryAfterMs(error.headers));
		}
		return new CallFailure('rejected', message, status);
	}
	if (error instanceof SyntaxError) return new CallFailure('malformed', `malformed response body: ${firstLine(error.message)}`);
	// APIConnectionError, fetch "terminated"/"other side closed", ECONNRESET, stream errors.
	const detail = describe(error);
	if (/timed? ?out/i.test(detail)) return new CallFailure('timeout', detail);
	return new CallFailure('connection', detail);
}

/**
 * The longest wait a server may ask for (retry-after / retry-after-ms): a longer one is taken as
 * this. A 429 saying "retry-after: 100000" must not pause a run for 28 hours; the unit's time
 * budget (request-retry.ts) counts these waits, so an endpoint that keeps asking ends the unit.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** retry-after-ms (non-standard, OpenAI sends it) wins over retry-after (seconds or HTTP date); at most MAX_RETRY_AFTER_MS. */
export function retryAfterMs(headers: Headers | undefined | null, now = Date.now()): number | null {
	const asked = askedDelayMs(headers, now);
	return asked === null ? null : Math.min(asked, MAX_RETRY_AFTER_MS);
}

function askedDelayMs(headers: Headers | undefined | null, now: number): number | null {
	if (!headers) return null;
	const ms = headers.get('retry-after-ms');
	if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
	const after = headers.get('retry-after');
	if (after === null || after.trim() === '') return null;
	if (Number.isFinite(Number(after))) return Math.max(0, Number(after) * 1000);
	const date = Date.parse(after);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describe(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const parts = [firstLine(error.message)];
	let cause: unknown = (error as { cause?: unknown }).cause;
	for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
		const code = (cause as { code?: string }).code;
		parts.push(code ? `${code}: ${firstLine(cause.message)}` : firstLine(cause.message));
		cause = (cause as { cause?: unknown }).cause;
	}
	return [...new Set(parts.filter(Boolean))].join(' — ') || error.name;
}

function firstLine(text: string): string {
	const line = text.split('\n')[0].trim();
	return line.length > 300 ? line.slice(0, 300) + '…' : line;
}
