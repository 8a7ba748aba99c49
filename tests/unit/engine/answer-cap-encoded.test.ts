// The answer cap counts what the answer becomes, not what crosses the wire: a gzip body (its
// content-length is the compressed size; fetch inflates it) and a streamed answer (every raw
// byte of the event stream, chunks without text included) are capped in decoded bytes. A tiny
// node:http server here plays the hostile endpoint (the test double does not compress).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAttempt } from '../../../src/lib/engine/chat-client.ts';
import { parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { CallFailure } from '../../../src/lib/engine/failure.ts';
import { testUnits } from '../../support/engine-fixtures.ts';

const CAP = 65_536;
type Reply = (res: import('node:http').ServerResponse) => void;
let reply: Reply = () => {};
let server: Server;
let url: string;

beforeAll(async () => {
	server = createServer((req, res) => {
		req.resume();
		req.on('end', () => reply(res));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

function endpoint(stream: boolean) {
	const text = JSON.stringify({ endpoints: { local: { baseURL: url, apiKeyEnv: 'COVW_CAP_KEY', timeoutMs: 10_000, stream, maxAnswerBytes: CAP, models: { 'test-model': {} } } } });
	return parseEngineConfig(text, 'cap.json', { COVW_CAP_KEY: 'sk-test' }).endpoints.get('local')!;
}

async function attempt(stream: boolean): Promise<unknown> {
	try {
		return await chatAttempt(endpoint(stream), testUnits(1)[0].request);
	} catch (e) {
		return e instanceof CallFailure ? { kind: e.kind, message: e.message } : e;
	}
}

const answer = (content: string) => ({ id: 'x', object: 'chat.completion', model: 'test-model', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1 } });

function gzipReply(body: object): Reply {
	const packed = gzipSync(JSON.stringify(body));
	return (res) => {
		res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(packed.length) });
		res.end(packed);
	};
}

function sseReply(events: object[]): Reply {
	return (res) => {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
		res.end('data: [DONE]\n\n');
	};
}
const chunk = (delta: object, finish: string | null = null) => ({ id: 'x', object: 'chat.completion.chunk', model: 'test-model', choices: [{ index: 0, delta, finish_reason: finish }] });

describe('a gzip answer is capped by its inflated size', () => {
	it('a body of a few kB that inflates past the cap is an error row, not an answer', async () => {
		const body = answer('x'.repeat(CAP * 20));
		reply = gzipReply(body);
		expect(gzipSync(JSON.stringify(body)).length).toBeLessThan(CAP);
		expect(await attempt(false)).toEqual({ kind: 'rejected', message: 'answer larger than 65536 bytes: not saved' });
	});

	it('a gzip answer within the cap is read as before', async () => {
		reply = gzipReply(answer('y'.repeat(30_000)));
		const got = (await attempt(false)) as { text?: string };
		expect(got.text === 'y'.repeat(30_000) ? 'whole answer' : got).toBe('whole answer');
	});
});

describe('a streamed answer is capped by its raw bytes', () => {
	it('chunks of reasoning with no text, each over the cap, are refused', async () => {
		const events = [...Array.from({ length: 5 }, () => chunk({ reasoning_content: 'r'.repeat(CAP * 2) })), chunk({ content: 'ok' }, 'stop')];
		reply = sseReply(events);
		expect(await attempt(true)).toEqual({ kind: 'rejected', message: 'answer larger than 65536 bytes: not saved' });
	});

	it('an endless run of small chunks without text is refused once the stream passes its total', async () => {
		// 64 × the cap of framing (STREAM_BYTES_PER_ANSWER_BYTE): about 4 MB of empty deltas.
		const events = [...Array.from({ length: 40_000 }, () => chunk({ content: '' })), chunk({ content: 'ok' }, 'stop')];
		reply = sseReply(events);
		expect(await attempt(true)).toEqual({ kind: 'rejected', message: 'answer larger than 65536 bytes: not saved' });
	});

	it('a streamed answer within the cap, in many chunks, is an answer', async () => {
		const events = [...Array.from({ length: 2000 }, () => chunk({ content: 'abcd' })), chunk({}, 'stop')];
		reply = sseReply(events);
		const got = (await attempt(true)) as { text?: string };
		expect(got.text === 'abcd'.repeat(2000) ? 'whole answer' : got).toBe('whole answer');
	});
});
