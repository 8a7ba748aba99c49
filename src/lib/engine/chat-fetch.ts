// A non-streamed chat completion sent with fetch directly: the same URL, headers and JSON body
// the `openai` client sends (the URL and headers are taken from the client itself, once per
// server), the same errors (the client's own error classes, built as the client builds them),
// through the same global fetch — without the client's per-request work (header merging,
// eagerly formatted debug logs, promise wrappers), which at 64 requests in flight cost about
// as much CPU as fetch itself (bench/cli-run.js). Streamed attempts, the Files and Batch APIs
// stay on the client (chat-client.ts).
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { concatBytes } from '../core/text/concat-bytes.ts';
import { CallFailure } from './failure.ts';
import type { ChatRequest } from './types.ts';

interface Template {
	url: string;
	/** The client's headers for a first attempt (auth, content type, user agent, platform…), lower-case names. */
	headers: Record<string, string>;
}

const templates = new WeakMap<OpenAI, Promise<Template>>();

/**
 * The JSON body of each request object, made once: a generation run's samples of one item share
 * one request object (generation-units.ts), and a retry sends the same one again. Requests are
 * not changed once made (a unit is data).
 */
const bodies = new WeakMap<ChatRequest, string>();
function bodyOf(request: ChatRequest): string {
	let body = bodies.get(request);
	if (body === undefined) {
		body = JSON.stringify({ ...request, stream: false });
		bodies.set(request, body);
	}
	return body;
}

/** What the client would send for POST /chat/completions, minus the body and per-request headers. */
function templateFor(client: OpenAI): Promise<Template> {
	let template = templates.get(client);
	if (!template) {
		// The options chat.completions.create passes (no timeout: the client then sends no
		// X-Stainless-Timeout header), with an empty body: only the body headers come from it.
		const built = client.buildRequest({ method: 'post', path: '/chat/completions', body: {}, maxRetries: 0, stream: false } as never, { retryCount: 0 });
		template = built.then(({ url, req }) => ({ url, headers: Object.fromEntries(req.headers as Headers) }));
		// A failure (e.g. a header the client refuses) is not kept: the next attempt asks again.
		template.catch(() => templates.delete(client));
		templates.set(client, template);
	}
	return template;
}

/**
 * The response body of a non-streamed chat completion (what `client.chat.completions.create`
 * resolves to), or the error the client would throw for it.
 */
export async function plainChatCompletion(
	client: OpenAI,
	request: ChatRequest,
	options: { signal: AbortSignal; headers?: Record<string, string>; maxBytes?: number }
): Promise<unknown> {
	const { url, headers } = await templateFor(client);
	// A request header of the caller's replaces the client's of that name, as in the client.
	const all = options.headers ? { ...headers, ...lowerCaseKeys(options.headers) } : headers;
	let response: Response;
	try {
		response = await fetch(url, { method: 'POST', headers: all, body: bodyOf(request), signal: options.signal });
	} catch (e) {
		// As the client does (client.mjs makeRequest): a timeout-looking failure, else a connection error.
		const error = e instanceof Error ? e : new Error(String(e));
		const text = String(error) + ('cause' in error ? String(error.cause) : '');
		// The caller cancelled: the client's APIUserAbortError, not a timeout.
		if (options.signal.aborted && error.name === 'AbortError') throw new APIUserAbortError();
		if (error.name === 'AbortError' || error.message.includes('FetchRequestCanceledException') || /timed? ?out/i.test(text)) throw new APIConnectionTimeoutError();
		throw new APIConnectionError({ cause: error });
	}
	const maxBytes = options.maxBytes ?? Infinity;
	if (!response.ok) {
		const text = await bodyText(response, maxBytes).catch((err) => (err instanceof Error ? err.message : String(err)));
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		throw APIError.generate(response.status, json as object, json === undefined ? text : undefined, response.headers);
	}
	// As the client's defaultParseResponse: JSON when the server says so, else the text.
	if (response.status === 204) return null;
	const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
	if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
		if (response.headers.get('content-length') === '0') return undefined;
		return JSON.parse(await bodyText(response, maxBytes));
	}
	return await bodyText(response, maxBytes);
}

/**
 * The body as text, refused past `maxBytes` (a hostile or runaway endpoint's 50 MB answers must
 * not fill memory and the run log). Otherwise read through the counting reader, which counts the
 * bytes as fetch hands them over, i.e. AFTER decompression: a content-length is only the size on
 * the wire (a 20 kB gzip body may inflate to 20 MB), so it is trusted only when the body is not
 * encoded (Node's and Deno's fetch keep content-encoding on a body they decompress).
 */
export async function bodyText(response: Response, maxBytes: number, refuse: (maxBytes: number) => Error = tooLarge): Promise<string> {
	const declared = Number(response.headers.get('content-length') ?? NaN);
	const encoding = response.headers.get('content-encoding')?.trim().toLowerCase();
	const plain = !encoding || encoding === 'identity';
	if (declared > maxBytes && plain) {
		await response.body?.cancel().catch(() => {});
		throw refuse(maxBytes);
	}
	// An unencoded body with its length declared within the cap: fetch reads exactly that many
	// bytes, so one text() is as safe and far cheaper than the counting reader (CPU per answer
	// +0.14 ms and peak RSS +40 MB on bench/cli-run.js's 2,124 answers).
	if (plain && Number.isSafeInteger(declared) && declared >= 0) return response.text();
	if (!response.body) return '';
	const reader = response.body.getReader();
	const parts: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel().catch(() => {});
			throw refuse(maxBytes);
		}
		parts.push(value);
	}
	return new TextDecoder().decode(concatBytes(parts));
}

/**
 * How many raw bytes a streamed answer may take per byte of the cap: each token comes in its own
 * event of ~200 bytes of JSON framing (id, model, created, choices…) around ~4 bytes of text.
 */
export const STREAM_BYTES_PER_ANSWER_BYTE = 64;

/**
 * A streamed answer's response whose body errors with the cap's failure (counted after
 * decompression, every byte: text, reasoning, keep-alive comments, usage chunks alike) when one
 * line is longer than `maxBytes` (the event parser holds a line whole: five 100 MB events of
 * reasoning_content must not be buffered) or when the whole stream passes
 * STREAM_BYTES_PER_ANSWER_BYTE × `maxBytes` (the framing of an answer within the cap stays far
 * below; an endless stream of chunks without text does not).
 */
export function cappedResponse(response: Response, maxBytes: number): Response {
	if (!response.body || !Number.isFinite(maxBytes)) return response;
	const maxTotal = maxBytes * STREAM_BYTES_PER_ANSWER_BYTE;
	let total = 0;
	// Bytes of the line not ended yet (it may have started in earlier chunks).
	let line = 0;
	const fits = (chunk: Uint8Array): boolean => {
		total += chunk.byteLength;
		if (total > maxTotal) return false;
		for (let start = 0; ; ) {
			const nl = chunk.indexOf(10, start);
			line += (nl < 0 ? chunk.byteLength : nl) - start;
			if (line > maxBytes) return false;
			if (nl < 0) return true;
			line = 0;
			start = nl + 1;
		}
	};
	const counted = response.body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				if (fits(chunk)) controller.enqueue(chunk);
				else controller.error(tooLarge(maxBytes));
			}
		})
	);
	return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** An answer over the cap: an error row (never retried, never cut into a verdict). */
export function tooLarge(maxBytes: number): CallFailure {
	const size = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / (1024 * 1024)} MB` : `${maxBytes} bytes`;
	return new CallFailure('rejected', `answer larger than ${size}: not saved`);
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
	return out;
}
