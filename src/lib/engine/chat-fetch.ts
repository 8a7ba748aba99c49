// A non-streamed chat completion sent with fetch directly: the same URL, headers and JSON body
// the `openai` client sends (the URL and headers are taken from the client itself, once per
// server), the same errors (the client's own error classes, built as the client builds them),
// through the same global fetch — without the client's per-request work (header merging,
// eagerly formatted debug logs, promise wrappers), which at 64 requests in flight cost about
// as much CPU as fetch itself (bench/cli-run.js). Streamed attempts, the Files and Batch APIs
// stay on the client (chat-client.ts).
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
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
	options: { signal: AbortSignal; headers?: Record<string, string> }
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
	if (!response.ok) {
		const text = await response.text().catch((err) => (err instanceof Error ? err.message : String(err)));
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
		return await response.json();
	}
	return await response.text();
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
	return out;
}
