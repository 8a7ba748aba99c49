// The web server's one HTTP helper: body limits that say so, and the error → status map
// (bad input 4xx naming the field; a bug 500, logged, generic to the browser; no server paths).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/lib/engine/config.ts';
import { SelectionError } from '../../../src/lib/runs/index.ts';
import { LabelCsvError } from '../../../src/lib/server/labels/index.ts';
import { ConflictError, InvalidNotebookNameError } from '../../../src/lib/server/notebooks/index.ts';
import {
	BODY_LIMITS,
	HttpError,
	answer,
	errorResponse,
	publicMessage,
	readBody,
	readJsonObject,
	stringField
} from '../../../src/lib/server/http.ts';
import { SERVER_BODY_LIMIT } from '../../../src/lib/server/listen-rules.js';
import { specFrom } from '../../../src/lib/server/run-request.ts';

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
	new Request('http://127.0.0.1:5178/api/x', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);

/** A body sent in chunks with no Content-Length (as a chunked upload arrives). */
function streamed(chunks: string[]): Request {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			for (const c of chunks) controller.enqueue(encoder.encode(c));
			controller.close();
		}
	});
	return post(stream);
}

async function thrown(work: Promise<unknown>): Promise<HttpError> {
	try {
		await work;
	} catch (error) {
		return error as HttpError;
	}
	throw new Error('expected an error');
}

afterEach(() => vi.restoreAllMocks());

describe('readJsonObject', () => {
	it('reads a notebook of several MB (issue 9 item 13: 512 KB used to be refused)', async () => {
		const text = 'x'.repeat(3 * 1024 * 1024);
		const body = JSON.stringify({ text, version: 'v' });
		const read = await readJsonObject(post(body, { 'content-length': String(body.length) }), { limit: BODY_LIMITS.notebook, what: 'notebook' });
		expect((read.text as string).length).toBe(text.length);
		expect(BODY_LIMITS.notebook).toBeGreaterThanOrEqual(8 * 1024 * 1024);
	});

	it('says a body over the limit is over the limit, naming it (declared length)', async () => {
		const body = JSON.stringify({ text: 'y'.repeat(2048) });
		const error = await thrown(readJsonObject(post(body, { 'content-length': String(body.length) }), { limit: 1024, what: 'notebook' }));
		expect(error).toBeInstanceOf(HttpError);
		expect(error.status).toBe(413);
		expect(error.message).toMatch(/^notebook body is 2 KiB \(\d+ bytes\), over the limit of 1 KiB \(1024 bytes\)$/);
	});

	it('says so too when the body streams in with no length', async () => {
		const error = await thrown(readJsonObject(streamed(['{"text":"', 'z'.repeat(700), 'z'.repeat(700), '"}']), { limit: 1024, what: 'notebook' }));
		expect(error.status).toBe(413);
		expect(error.message).toContain('over the limit of 1 KiB (1024 bytes)');
	});

	it("surfaces adapter-node's own 413 instead of calling the body not an object", async () => {
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.error(Object.assign(new Error('request body size exceeded BODY_SIZE_LIMIT of 524288'), { status: 413 }));
			}
		});
		const error = await thrown(readJsonObject(post(stream)));
		expect(error.status).toBe(413);
		expect(error.message).toBe('request body is too large: request body size exceeded BODY_SIZE_LIMIT of 524288');
	});

	it('names what is wrong with a body that is not a JSON object', async () => {
		expect((await thrown(readJsonObject(post('{"a":')))).message).toMatch(/^request body is not valid JSON \(/);
		expect((await thrown(readJsonObject(post('[1,2]')))).message).toBe('request body must be a JSON object, got an array');
		expect((await thrown(readJsonObject(post('')))).message).toBe('request body is empty: expected a JSON object');
		expect((await thrown(readJsonObject(post('"text"')))).status).toBe(400);
	});

	it('leaves room under the server-wide cap for every route limit', () => {
		for (const limit of Object.values(BODY_LIMITS)) expect(SERVER_BODY_LIMIT).toBeGreaterThan(limit);
	});
});

describe('readBody', () => {
	it('returns the bytes under the limit', async () => {
		expect(new TextDecoder().decode(await readBody(streamed(['a,b\n', '1,2\n']), 100))).toBe('a,b\n1,2\n');
	});

	it('over the limit, reads the body to its end before the 413, so the client still sending gets the answer, not a reset (review10 #10)', async () => {
		for (const declared of [false, true]) {
			let pulled = 0;
			const chunks = 50;
			const body = new ReadableStream<Uint8Array>({
				pull(controller) {
					if (pulled === chunks) return controller.close();
					pulled++;
					controller.enqueue(new Uint8Array(100));
				}
			});
			const request = new Request('http://127.0.0.1:5178/api/x', {
				method: 'POST',
				body,
				headers: declared ? { 'content-length': String(chunks * 100) } : {},
				duplex: 'half'
			} as RequestInit);
			const error = await readBody(request, 1000, 'notebook').catch((e) => e);
			expect(error.status).toBe(413);
			expect(error.message).toMatch(/notebook body is .*over the limit/);
			expect(pulled).toBe(chunks);
		}
	});
});

describe('stringField', () => {
	it('names the field', () => {
		expect(() => stringField({ text: 3 }, 'text')).toThrow('field "text" must be a string, got number');
		expect(() => stringField({}, 'version')).toThrow('field "version" must be a string, got nothing');
	});
});

describe('errorResponse', () => {
	it('answers a bug with 500, a generic message, and the stack in the server log', async () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		const bug = new TypeError("Cannot read properties of null (reading 'toLowerCase')");
		const response = await answer(async () => {
			throw bug;
		});
		expect(response.status).toBe(500);
		const body = await response.json();
		expect(body.message).not.toContain('toLowerCase');
		expect(log).toHaveBeenCalledWith(expect.any(String), bug);
	});

	it('answers a run request that hits a bug with 500, not 400 (answerRun used to say 400)', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const response = await answer(async () => {
			await specFrom(post(JSON.stringify({ spec: { task: 'completion', model: 'm' } })));
			throw new RangeError('Invalid array length');
		});
		expect(response.status).toBe(500);
	});

	it('answers bad input with 400 naming the field', async () => {
		const response = await answer(async () => {
			await specFrom(post(JSON.stringify({ spec: { task: 'completion' } })));
			return new Response('unreachable');
		});
		expect(response.status).toBe(400);
		expect((await response.json()).message).toMatch(/^field "spec": .*model/);
		const missing = await answer(async () => specFrom(post('{}')).then(() => new Response('unreachable')));
		expect((await missing.json()).message).toContain('field "spec" is missing');
	});

	it('maps the errors the user can fix to their statuses', async () => {
		const status = async (error: Error) => errorResponse(error).status;
		expect(await status(new ConfigError('covw.config.json: no endpoint offers model "x"'))).toBe(400);
		expect(await status(new SelectionError('no completion items match'))).toBe(400);
		expect(await status(new InvalidNotebookNameError('../x', 'no path'))).toBe(400);
		const conflict = errorResponse(new ConflictError('n', 'a'.repeat(64), 'b'.repeat(64), 'theirs'));
		expect(conflict.status).toBe(409);
		expect((await conflict.json()).current).toEqual({ name: 'n', text: 'theirs', version: 'b'.repeat(64) });
		const csv = errorResponse(new LabelCsvError('up.csv', ['line 2: field "answer": empty']));
		expect(csv.status).toBe(422);
		expect((await csv.json()).problems).toEqual(['line 2: field "answer": empty']);
	});

	it('never sends an absolute server path to the browser (issue 9 item 25)', async () => {
		const response = errorResponse(new SelectionError(`no benchmark items at ${process.cwd()}/datasets/coveval/items.arrow: import them first`));
		const { message } = await response.json();
		expect(message).not.toContain(process.cwd());
		expect(message).toContain('datasets/coveval/items.arrow');
	});
});

describe('publicMessage', () => {
	const folders: Array<[string, string]> = [
		['/home/ann/work/data', 'datasets'],
		['/srv/nb', 'notebooks'],
		['/home/ann/work', '.']
	];

	it('makes paths in the configured folders relative to them', () => {
		expect(publicMessage('/home/ann/work/data/t.csv line 3: bad', folders)).toBe('datasets/t.csv line 3: bad');
		expect(publicMessage("EISDIR: illegal operation on a directory, read '/srv/nb/x.md'", folders)).toBe("EISDIR: illegal operation on a directory, read 'notebooks/x.md'");
		expect(publicMessage('/home/ann/work/covw.config.json:3: endpoints: bad', folders)).toBe('./covw.config.json:3: endpoints: bad');
	});

	it('does not take a longer folder name for a configured one', () => {
		expect(publicMessage('/home/ann/workshop/a.txt', folders)).toBe('…/a.txt');
	});

	it('keeps only the last part of any other absolute path, and leaves URLs alone', () => {
		expect(publicMessage('cannot open /proc/self/environ (a link in the data folder)', folders)).toBe('cannot open …/environ (a link in the data folder)');
		expect(publicMessage('endpoint https://api.example.com/v1/chat failed', folders)).toBe('endpoint https://api.example.com/v1/chat failed');
	});
});

describe('publicEvent', () => {
	it("strips the server's paths from a live run's error and warnings (issue 9 item 25)", async () => {
		const { publicEvent } = await import('../../../src/lib/server/run-request.ts');
		const root = process.cwd();
		const event = publicEvent({
			state: 'failed' as const,
			plan: { generationRunId: 'g', judgeRunId: null },
			phase: 'generate' as const,
			progress: null,
			error: `ENOSPC: no space left on device, write '${root}/runs/g/log.jsonl'`,
			warnings: [`${root}/runs/g/manifest.json: unreadable, rebuilt`]
		});
		expect(event.error).toBe("ENOSPC: no space left on device, write 'runs/g/log.jsonl'");
		expect(event.warnings).toEqual(['runs/g/manifest.json: unreadable, rebuilt']);
		expect(publicEvent(null)).toBeNull();
	});
});
