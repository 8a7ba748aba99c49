// The lines of a batch file, in the format the OpenAI Batch API and vLLM's `run_batch` share.
// Input: one line per unit, {custom_id: unit id, method: "POST", url: "/v1/chat/completions",
// body: the request the live path sends (stream: false)}. Output (and error) files: one line per
// request, {id, custom_id, response: {status_code, body} | null, error: {code, message} | null}.
// An output line becomes an answer only with status 200 and a well-formed chat completion;
// anything else is a failure with its reason, never an answer.
import { toCompletion } from '../chat-client.ts';
import { CallFailure } from '../failure.ts';
import type { Completion, WorkUnit } from '../types.ts';

export const BATCH_URL = '/v1/chat/completions';

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
