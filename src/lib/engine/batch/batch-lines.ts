// The lines of a batch file, in the format the OpenAI Batch API and vLLM's `run_batch` share.
// Input: one line per unit, {custom_id: unit id, method: "POST", url: "/v1/chat/completions",
// body: the request the live path sends (stream: false)}. Output (and error) files: one line per
// request, {id, custom_id, response: {status_code, body} | null, error: {code, message} | null}.
// An output line becomes an answer only with status 200 and a well-formed chat completion;
// anything else is a failure with its reason, never an answer.
import { toCompletion } from '../chat-client.ts';
import { bodyText } from '../chat-fetch.ts';
import { CallFailure } from '../failure.ts';
import type { Completion, WorkUnit } from '../types.ts';

export const BATCH_URL = '/v1/chat/completions';

/**
 * The largest batch output (or error) file read, downloaded or imported: it is read whole (then
 * split into lines, each capped by batch-ingest.ts), so a larger one is refused before it is
 * read. A full batch (50,000 units) of 4,000-token answers with the provider's framing stays
 * under it; V8 cannot make a string much larger anyway.
 */
export const MAX_BATCH_OUTPUT_BYTES = 512 * 1024 * 1024;

/** The message for an output file over MAX_BATCH_OUTPUT_BYTES. */
export function outputTooLarge(what: string, maxBytes = MAX_BATCH_OUTPUT_BYTES): string {
	const size = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / (1024 * 1024)} MB` : `${maxBytes} bytes`;
	return `${what} is larger than ${size}: not read (split the batch into smaller ones)`;
}

/**
 * A downloaded output file's text, read through the counting reader (decoded bytes: a
 * content-length is only the size on the wire) and refused past `maxBytes` — a failure that is
 * not retried.
 */
export function outputFileText(response: Response, what: string, maxBytes = MAX_BATCH_OUTPUT_BYTES): Promise<string> {
	return bodyText(response, maxBytes, (max) => new CallFailure('rejected', outputTooLarge(what, max)));
}

/** The body the live path sends for a unit without streaming. */
export function batchBody(unit: WorkUnit): Record<string, unknown> {
	return { ...unit.request, stream: false };
}

export function batchInputLine(unit: WorkUnit): string {
	return JSON.stringify({ custom_id: unit.id, method: 'POST', url: BATCH_URL, body: batchBody(unit) }) + '\n';
}

export type BatchLineOutcome =
	| { unitId: string; kind: 'answer'; completion: Completion }
	| { unitId: string; kind: 'failed'; reason: string };

/** One output line read; a string when the line itself is unreadable (it names no unit we can trust). */
export function readOutputLine(line: string): BatchLineOutcome | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return 'not valid JSON';
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
	const o = value as { custom_id?: unknown; response?: unknown; error?: unknown };
	if (typeof o.custom_id !== 'string' || o.custom_id === '') return 'no custom_id';
	const unitId = o.custom_id;
	const failed = (reason: string): BatchLineOutcome => ({ unitId, kind: 'failed', reason });
	if (o.error !== null && o.error !== undefined) {
		const e = o.error as { code?: unknown; message?: unknown };
		return failed(`batch: ${typeof e.code === 'string' ? e.code : 'error'}: ${typeof e.message === 'string' ? e.message : JSON.stringify(o.error)}`);
	}
	const response = o.response as { status_code?: unknown; body?: unknown } | null | undefined;
	if (!response || typeof response !== 'object') return failed('batch: the line has neither a response nor an error');
	if (response.status_code !== 200) {
		const message = (response.body as { error?: { message?: unknown } } | undefined)?.error?.message;
		return failed(`batch: status ${String(response.status_code)}${typeof message === 'string' ? `: ${message}` : ''}`);
	}
	try {
		return { unitId, kind: 'answer', completion: toCompletion(response.body) };
	} catch (e) {
		return failed(`batch: ${e instanceof CallFailure ? e.message : String(e)}`);
	}
}
