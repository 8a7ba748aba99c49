// One chat-completion attempt through the `openai` client. The client's own retries are off
// (maxRetries: 0): the scheduler owns the retry policy. Our timeout covers the WHOLE attempt,
// body and stream included (the client's covers only the wait for headers), and a cancel
// signal aborts it. A non-streamed attempt sends what the client would send, with fetch
// directly (chat-fetch.ts): the client's per-request work costs as much CPU as the request.
import OpenAI from 'openai';
import type { Endpoint } from './config.ts';
import { gracefulStopOf, onAbort } from './abort-fanout.ts';
import { cappedResponse, plainChatCompletion, tooLarge } from './chat-fetch.ts';
import { type AbortCause, CallFailure, classifyFailure } from './failure.ts';
import { type ChatRequest, type Completion, isTokenCount } from './types.ts';

/** Headers the engine adds so servers (and the test double) can tell units apart. */
export const UNIT_HEADER = 'x-covw-unit';
export const SAMPLE_HEADER = 'x-covw-sample';

const clients = new WeakMap<Endpoint, Map<string, OpenAI>>();

/** The endpoint's client for one of its servers (baseURL unless a replica is named). */
export function clientFor(endpoint: Endpoint, baseURL: string = endpoint.baseURL): OpenAI {
	let byUrl = clients.get(endpoint);
	if (!byUrl) {
		byUrl = new Map();
		clients.set(endpoint, byUrl);
	}
	let client = byUrl.get(baseURL);
	if (!client) {
		client = new OpenAI({
			baseURL,
			// Local servers (vLLM, Ollama) need none, but the client insists on a value.
			apiKey: endpoint.secretApiKey() ?? 'no-key',
			maxRetries: 0,
			timeout: endpoint.timeoutMs,
			// A streamed answer's raw bytes (every chunk, with or without text) count against the
			// endpoint's cap as they arrive; other bodies (Files, Batch) are not answers.
			fetch: async (url: string | URL | Request, init?: RequestInit) => {
				const response = await globalThis.fetch(url, init);
				const type = response.headers.get('content-type') ?? '';
				return response.ok && type.includes('text/event-stream') ? cappedResponse(response, endpoint.maxAnswerBytes) : response;
			},
			// A server-side process: this flag only silences the browser check in the client.
			dangerouslyAllowBrowser: false
		});
		byUrl.set(baseURL, client);
	}
	return client;
}

export interface AttemptOptions {
	signal?: AbortSignal;
	headers?: Record<string, string>;
	/** One of the endpoint's replicas (replicas.ts); default its baseURL. */
	baseURL?: string;
}

export async function chatAttempt(
	endpoint: Endpoint,
	request: ChatRequest,
	options: AttemptOptions = {}
): Promise<Completion> {
	const controller = new AbortController();
	let cause: AbortCause = null;
	const onCancel = () => {
		cause ??= 'cancel';
		controller.abort();
	};
	if (options.signal?.aborted) throw new CallFailure('cancelled', 'cancelled');
	const unwatch = options.signal ? onAbort(options.signal, onCancel) : null;
	// On the wire from here: a graceful stop waits for this attempt (abort-fanout.ts).
	const graceful = gracefulStopOf(options.signal);
	graceful?.attemptStarted();
	const timer = setTimeout(() => {
		cause ??= 'timeout';
		controller.abort();
	}, endpoint.timeoutMs);
	try {
		const client = clientFor(endpoint, options.baseURL);
		const requestOptions = { signal: controller.signal, headers: options.headers, maxRetries: 0 };
		const completion = endpoint.stream
			? await streamed(client, request, requestOptions, endpoint.maxAnswerBytes)
			: toCompletion(await plainChatCompletion(client, request, { ...requestOptions, maxBytes: endpoint.maxAnswerBytes }));
		// The client ends a stream quietly when aborted, so check before trusting the text.
		if (cause !== null) throw classifyFailure(null, cause, endpoint.timeoutMs);
		return completion;
	} catch (e) {
		throw classifyFailure(e, cause, endpoint.timeoutMs);
	} finally {
		clearTimeout(timer);
		unwatch?.();
		graceful?.attemptEnded();
	}
}

export function toCompletion(body: unknown): Completion {
	const b = body as {
		choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
		usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
		model?: unknown;
	};
	const choice = b && Array.isArray(b.choices) ? b.choices[0] : undefined;
	if (!choice || typeof choice.message !== 'object' || choice.message === null) {
		throw new CallFailure('malformed', 'malformed response: no choices[0].message');
	}
	const content = choice.message.content;
	if (content !== null && content !== undefined && typeof content !== 'string') {
		throw new CallFailure('malformed', 'malformed response: message.content is not text');
	}
	return {
		text: content ?? '',
		...usageOf(b.usage),
		finish_reason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
		model: typeof b.model === 'string' ? b.model : null
	};
}

async function streamed(
	client: OpenAI,
	request: ChatRequest,
	requestOptions: { signal: AbortSignal; headers?: Record<string, string>; maxRetries: number },
	maxBytes: number
): Promise<Completion> {
	const stream = await client.chat.completions.create(
		{ ...request, stream: true, stream_options: { include_usage: true } } as never,
		requestOptions
	);
	let text = '';
	let finish: string | null = null;
	let model: string | null = null;
	let usage: Pick<Completion, 'tokens_in' | 'tokens_out' | 'usage_invalid' | 'reasoning_tokens'> = { tokens_in: null, tokens_out: null };
	for await (const chunk of stream as unknown as AsyncIterable<{
		model?: string;
		choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
		usage?: { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: unknown } | null;
	}>) {
		if (typeof chunk.model === 'string') model = chunk.model;
		const choice = chunk.choices?.[0];
		// The raw stream is capped in bytes as it arrives (clientFor's fetch, chat-fetch.ts
		// cappedResponse); the text itself too: in characters here (a lower bound of its bytes), in
		// bytes once it is whole.
		if (choice?.delta && typeof choice.delta.content === 'string') {
			text += choice.delta.content;
			if (text.length > maxBytes) throw tooLarge(maxBytes);
		}
		if (choice?.finish_reason) finish = choice.finish_reason;
		if (chunk.usage) usage = usageOf(chunk.usage);
	}
	// A stream that stops without a finish_reason was cut: a partial answer is not an answer.
	if (finish === null) throw new CallFailure('connection', 'stream ended before the answer was finished');
	if (text.length * 3 > maxBytes && new TextEncoder().encode(text).length > maxBytes) throw tooLarge(maxBytes);
	return { text, ...usage, finish_reason: finish, model };
}

/**
 * The token counts an endpoint reports, taken only when they are whole numbers from 0 to
 * MAX_TOKENS_PER_ANSWER. Any other count (negative, fractional, 5.4e+301, text) makes the whole
 * usage unreadable: no count is kept (never summed into a run's tokens or cost) and the answer
 * is marked usage_invalid. A count not sent at all is null, as before.
 */
export function usageOf(usage: unknown): Pick<Completion, 'tokens_in' | 'tokens_out' | 'usage_invalid' | 'reasoning_tokens'> {
	if (usage === null || usage === undefined) return { tokens_in: null, tokens_out: null };
	if (typeof usage !== 'object') return { tokens_in: null, tokens_out: null, usage_invalid: true };
	const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown; completion_tokens_details?: unknown };
	const valid = (v: unknown) => v === null || v === undefined || isTokenCount(v);
	if (!valid(u.prompt_tokens) || !valid(u.completion_tokens)) return { tokens_in: null, tokens_out: null, usage_invalid: true };
	const out = { tokens_in: (u.prompt_tokens as number | null | undefined) ?? null, tokens_out: (u.completion_tokens as number | null | undefined) ?? null };
	// A reasoning model's hidden reasoning (o-series, gpt-5, deepseek-reasoner, vLLM's reasoning
	// parser): counted in completion_tokens but never sent. Kept when it is a count no larger than
	// the completion tokens (anything else is ignored: the answer's bound then applies to them all).
	const details = u.completion_tokens_details;
	const reasoning = details !== null && typeof details === 'object' ? (details as { reasoning_tokens?: unknown }).reasoning_tokens : undefined;
	if (isTokenCount(reasoning) && reasoning > 0 && out.tokens_out !== null && reasoning <= out.tokens_out) return { ...out, reasoning_tokens: reasoning };
	return out;
}
