// A non-streamed attempt goes through fetch directly (src/lib/engine/chat-fetch.ts), not through
// the openai client: it must send exactly what the client sends, and make of every answer and
// every failure exactly what the client path made of it (the same completion, or the same
// failure kind, message, status and retry delay). fetch is replaced by an in-process recorder
// here; nothing talks HTTP.
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatAttempt, clientFor, toCompletion } from '../../../src/lib/engine/chat-client.ts';
import { CallFailure, classifyFailure } from '../../../src/lib/engine/failure.ts';
import { testConfig, testUnits } from '../../support/engine-fixtures.ts';

interface Sent {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: string;
}

/** Installs a fetch that records each request and answers with `respond()`. */
function fakeFetch(respond: () => Response | Promise<Response>): Sent[] {
	const sent: Sent[] = [];
	vi.stubGlobal('fetch', async (url: string | URL | Request, init: RequestInit = {}) => {
		sent.push({
			url: String(url),
			method: String(init.method),
			headers: Object.fromEntries(new Headers(init.headers as HeadersInit)),
			body: String(init.body)
		});
		return respond();
	});
	return sent;
}

afterEach(() => {
	vi.unstubAllGlobals();
});

const unit = testUnits(1)[0];
const headers = { 'x-covw-unit': unit.id, 'x-covw-sample': '0' };

/** One attempt on a fresh endpoint (so a fresh client, made after fetch was replaced). */
async function plainOutcome(): Promise<unknown> {
	const endpoint = testConfig('http://127.0.0.1:9/v1', { timeoutMs: 5000 }).endpoints.get('local')!;
	try {
		return await chatAttempt(endpoint, unit.request, { headers });
	} catch (e) {
		return describeFailure(e);
	}
}

/** The same attempt through the openai client, as chat-client.ts made it before. */
async function clientOutcome(): Promise<unknown> {
	const endpoint = testConfig('http://127.0.0.1:9/v1', { timeoutMs: 5000 }).endpoints.get('local')!;
	const client = clientFor(endpoint);
	try {
		return toCompletion(await client.chat.completions.create({ ...unit.request, stream: false } as never, { headers, maxRetries: 0 }));
	} catch (e) {
		return describeFailure(classifyFailure(e, null, endpoint.timeoutMs));
	}
}

function describeFailure(e: unknown) {
	if (!(e instanceof CallFailure)) throw e;
	return { kind: e.kind, message: e.message, status: e.status, retryAfterMs: e.retryAfterMs };
}

const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...extra } });
const answer = { id: 'c1', model: 'test-model', choices: [{ index: 0, message: { role: 'assistant', content: 'def f(x): return x' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 7 } };

describe('a non-streamed attempt without the openai client', () => {
	it('sends the URL, method, headers and body the client sends', async () => {
		const viaClient = fakeFetch(() => json(200, answer));
		await clientOutcome();
		vi.unstubAllGlobals();
		const plain = fakeFetch(() => json(200, answer));
		await plainOutcome();
		expect(plain).toHaveLength(1);
		expect(plain[0]).toEqual(viaClient[0]);
		// What matters to a server, spelled out (the comparison above must not pass vacuously).
		expect(plain[0].url).toBe('http://127.0.0.1:9/v1/chat/completions');
		expect(plain[0].method).toBe('POST');
		expect(plain[0].headers.authorization).toMatch(/^Bearer sk-test-/);
		expect(plain[0].headers['content-type']).toBe('application/json');
		expect(plain[0].headers['x-covw-unit']).toBe(unit.id);
		expect(JSON.parse(plain[0].body)).toEqual({ ...unit.request, stream: false });
	});

	const cases: [string, () => Response | Promise<Response>][] = [
		['an answer', () => json(200, answer)],
		['an answer with a charset and no usage', () => new Response(JSON.stringify({ ...answer, usage: undefined }), { headers: { 'content-type': 'application/json; charset=utf-8' } })],
		['null content', () => json(200, { ...answer, choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'length' }] })],
		['no choices', () => json(200, { id: 'x' })],
		['a body that is not JSON', () => new Response('{"choices": [', { headers: { 'content-type': 'application/json' } })],
		['a text answer', () => new Response('hello', { headers: { 'content-type': 'text/plain' } })],
		['204', () => new Response(null, { status: 204 })],
		['429 with retry-after-ms', () => json(429, { error: { message: 'Rate limit reached', type: 'requests' } }, { 'retry-after-ms': '250' })],
		['429 with retry-after seconds', () => json(429, { error: { message: 'slow down' } }, { 'retry-after': '2' })],
		['500 with a text body', () => new Response('upstream exploded\nline two', { status: 500 })],
		['503 with an empty body', () => new Response('', { status: 503 })],
		['400 with an error object', () => json(400, { error: { message: 'max_tokens is too large', type: 'invalid_request_error', param: 'max_tokens' } })],
		['401', () => json(401, { error: { message: 'Incorrect API key provided' } })],
		['404 with a message that is an object', () => json(404, { error: { message: { detail: 'no such model' } } })],
		['408', () => json(408, { detail: 'request timeout' })],
		['a refused connection', () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }))],
		['a connection that timed out', () => Promise.reject(new TypeError('error sending request: operation timed out'))]
	];
	for (const [name, respond] of cases) {
		it(`${name}: the same outcome as through the client`, async () => {
			fakeFetch(respond);
			const viaClient = await clientOutcome();
			const plain = await plainOutcome();
			expect(plain).toEqual(viaClient);
		});
	}

	it('an answer is the completion, a 429 is rate_limited with its delay (the cases above compare real outcomes)', async () => {
		fakeFetch(() => json(200, answer));
		expect(await plainOutcome()).toEqual({ text: 'def f(x): return x', tokens_in: 12, tokens_out: 7, finish_reason: 'stop', model: 'test-model' });
		vi.unstubAllGlobals();
		fakeFetch(() => json(429, { error: { message: 'Rate limit reached' } }, { 'retry-after-ms': '250' }));
		expect(await plainOutcome()).toEqual({ kind: 'rate_limited', message: 'HTTP 429: 429 Rate limit reached', status: 429, retryAfterMs: 250 });
	});

	it('a client whose headers cannot be built is asked again on the next attempt', async () => {
		const sent = fakeFetch(() => json(200, answer));
		const endpoint = testConfig('http://127.0.0.1:9/v1').endpoints.get('local')!;
		const client = clientFor(endpoint);
		const spy = vi.spyOn(client as OpenAI & { buildRequest: (...a: unknown[]) => unknown }, 'buildRequest').mockRejectedValueOnce(new Error('bad header'));
		await expect(chatAttempt(endpoint, unit.request)).rejects.toBeInstanceOf(CallFailure);
		await expect(chatAttempt(endpoint, unit.request)).resolves.toMatchObject({ text: 'def f(x): return x' });
		expect(spy).toHaveBeenCalledTimes(2);
		expect(sent).toHaveLength(1);
	});
});
