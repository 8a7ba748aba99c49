// TEST DOUBLE — not a model. A local OpenAI-compatible server for the engine's tests and
// benchmark: node:http on 127.0.0.1, a random port (or `port`), `POST /v1/chat/completions` (JSON or SSE
// streaming) and `GET /v1/models`.
//
// Answers are deterministic, derived from the request, so tests can predict them: the first
// rule whose `match` occurs in the last user message gives the reply, else
// `answer <12 hex of sha256(last user message)>` — or, with `answers: 'realistic'`, an answer
// shaped like a real model's (realistic-answers.ts: completed programs, refusals, prose, cut-off
// and broken answers, detection and judge JSON), from the model, the prompt and the unit: the
// engine's unit id, which it sends live as the `x-covw-unit` header and writes as a batch line's
// custom_id, so a unit is answered alike live and in any batch — first, resumed (cached units
// left out) or retried in a new batch. A live request with no `x-covw-unit` is keyed on its
// `x-covw-sample` header (default 0). One function (replyFor) answers the live, streamed and
// batch paths alike. Usage counts are ceil(chars / 4). No pattern here is super-linear in the
// prompt's length (trimEnd, not `\s+$`), so a hostile 1 MB prompt is answered at once.
//
// Faults are injected per request by a function of (unit, its attempt number, the global
// request number): 429 with retry-after, 500, a hang past any client timeout, malformed JSON,
// a stream cut mid-way, a connection reset, or a 401 that echoes the Authorization header (to
// prove keys are scrubbed). Requests are counted per unit (the engine's `x-covw-unit` header,
// else a hash of the messages) so tests can assert "sent once".
//
// Batch API: `POST /v1/files` (multipart upload, any purpose), `GET /v1/files/<id>` and
// `/v1/files/<id>/content`, `POST /v1/batches`, `GET /v1/batches` and `/v1/batches/<id>`. A
// batch moves validating → in_progress → completed over `batchPolls` retrieves; on completion
// every input line is answered as the live endpoint answers it (same replyFor, same usage), the
// faults function applied per line with unit = custom_id (a faulted line goes to the error file).
// Uploaded batch lines are counted per custom_id, so tests can assert "each unit sent once".
// `failBatchCreates(n, how)`: the next n `POST /v1/batches` create the batch, then answer 500
// or never answer (a create that succeeded on the server but failed for the client).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { realisticAnswer } from './realistic-answers.ts';

export type Fault =
	| { kind: 'rate_limit'; retryAfterS?: number; retryAfterMs?: number }
	| { kind: 'server_error'; status?: number }
	| { kind: 'hang' }
	| { kind: 'malformed_json' }
	| { kind: 'stream_cut' }
	| { kind: 'reset' }
	| { kind: 'echo_auth' }
	/** A well-formed answer whose content is `bytes` long; `chunked`: sent in pieces with no content-length. */
	| { kind: 'huge_answer'; bytes: number; chunked?: boolean };

export interface FaultContext {
	unit: string;
	sample: string | null;
	/** 1-based count of requests for this unit, this one included. */
	unitAttempt: number;
	/** 1-based count of all chat requests, this one included. */
	requestNo: number;
	lastUserMessage: string;
}

export interface AnswerRule {
	match: string;
	reply: string;
}

export interface TestServerOptions {
	latencyMs?: number;
	/** Port on 127.0.0.1 (default 0: a free one). */
	port?: number;
	rules?: AnswerRule[];
	faults?: (ctx: FaultContext) => Fault | null;
	models?: string[];
	/** false: GET /v1/models answers 404, as on a server without that route (default true). */
	listsModels?: boolean;
	/** What to answer when no rule matches: 'echo' (default, `answer <hash>`) or 'realistic'. */
	answers?: 'echo' | 'realistic';
	/** Retrieves a batch takes to complete (default 3: validating, in_progress, completed). */
	batchPolls?: number;
	/** Answer Vul-Evol prompts (evolution, realise, induce, secure) from `td` directives: see vulEvolAnswer. */
	vulEvol?: boolean;
}

export interface RequestRecord {
	unit: string;
	sample: string | null;
	stream: boolean;
	fault: Fault['kind'] | null;
	/** True when a complete answer was sent. */
	answered: boolean;
	at: number;
	/** The request's model (chat requests). */
	model?: string;
}

/** What the double has been asked since it started (GET /__double/stats; printed on exit by the standalone double). */
export interface DoubleStats {
	/** Every HTTP request received, any route. */
	requests: number;
	/** Requests per "METHOD /path" (query left out). */
	by_path: Record<string, number>;
	/** Chat requests per model name. */
	by_model: Record<string, number>;
	/** Chat requests answered in full. */
	answered: number;
	/** Run units (x-covw-unit) asked for, and how many of them were asked more than once (resent: a retry, a resume after abandoned requests). */
	units: number;
	units_sent_again: number;
}

export interface TestServer {
	/** Base URL including /v1, for OPENAI_BASE_URL or an endpoint's baseURL. */
	readonly url: string;
	readonly port: number;
	readonly requests: RequestRecord[];
	/** GET /v1/models requests received (answered or not). */
	modelListings(): number;
	/** Requests received for a unit (any outcome). */
	requestsFor(unit: string): number;
	/** Complete answers sent for a unit. */
	answersFor(unit: string): number;
	setLatency(ms: number): void;
	setFaults(faults: TestServerOptions['faults'] | null): void;
	/** While true, every request's connection is reset unanswered (a server gone down; the Batch state is kept). */
	setDown(down: boolean): void;
	/** Lines uploaded with purpose "batch" for a custom_id, across every file. */
	batchLinesFor(customId: string): number;
	/** Requests so far, per route and per model (what GET /__double/stats answers). */
	stats(): DoubleStats;
	/** Every batch created, in order. */
	readonly batches: { id: string; input_file_id: string; status: string }[];
	/** The next `count` batch creates create the batch, then answer 500 ('server_error') or never answer ('hang'). */
	failBatchCreates(count: number, how?: 'server_error' | 'hang'): void;
	close(): Promise<void>;
}

/** The default deterministic reply for a last user message. */
export function defaultAnswer(lastUserMessage: string): string {
	return `answer ${createHash('sha256').update(lastUserMessage).digest('hex').slice(0, 12)}`;
}

/** Fault on given attempts of every unit, e.g. onAttempts([1, 2], { kind: 'server_error' }). */
export function onAttempts(attempts: number[], fault: Fault): (ctx: FaultContext) => Fault | null {
	return (ctx) => (attempts.includes(ctx.unitAttempt) ? fault : null);
}

/** Fault on every n-th request overall. */
export function everyNth(n: number, fault: Fault): (ctx: FaultContext) => Fault | null {
	return (ctx) => (ctx.requestNo % n === 0 ? fault : null);
}

const tokens = (text: string) => Math.ceil(text.length / 4);

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
	let latencyMs = options.latencyMs ?? 0;
	let faults = options.faults ?? null;
	const rules = options.rules ?? [];
	const models = options.models ?? ['test-model'];
	const requests: RequestRecord[] = [];
	const perUnit = new Map<string, number>();
	const answers = new Map<string, number>();
	const sockets = new Set<Socket>();
	const timers = new Set<ReturnType<typeof setTimeout>>();
	let requestNo = 0;
	// Counts for GET /__double/stats: every request by route, chat requests by model.
	const byPath = new Map<string, number>();
	const byModel = new Map<string, number>();
	const stats = (): DoubleStats => ({
		requests: [...byPath.values()].reduce((a, b) => a + b, 0),
		by_path: Object.fromEntries(byPath),
		by_model: Object.fromEntries(byModel),
		answered: requests.filter((r) => r.answered).length,
		units: perUnit.size,
		units_sent_again: [...perUnit.values()].filter((n) => n > 1).length
	});

	const later = (ms: number, fn: () => void) => {
		if (ms <= 0) return fn();
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, ms);
		timers.add(t);
	};

	/** Runs fn once performance.now() reaches `due`, never before: timers take whole ms (a fraction
	 * would be dropped, firing early), so the wait is rounded up; one that still fires short (Node
	 * counts from its event loop's cached clock) waits again for what is left. */
	const at = (due: number, fn: () => void) => {
		const left = due - performance.now();
		if (left <= 0) return fn();
		later(Math.ceil(left), () => at(due, fn));
	};

	const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
		res.end(text);
	};

	/** THE answer to a prompt, on every path (live, streamed, batch): a rule's reply, else a
	 * Vul-Evol answer (vulEvol), else the realistic or the echo answer. `who` is the unit id
	 * (x-covw-unit live, custom_id in a batch) or, without one, the sample. */
	const replyFor = (model: string, lastUser: string, who: { unit?: string; sample: number }): string =>
		rules.find((r) => lastUser.includes(r.match))?.reply ??
		(options.vulEvol ? vulEvolAnswer(lastUser) : null) ??
		(options.answers === 'realistic' ? realisticAnswer(lastUser, { model, ...who }).text : defaultAnswer(lastUser));

	/** `arrived`: when the request's headers were read (performance.now()): its answer is due `latencyMs` after that, whatever reading and parsing its body took. */
	const handleChat = (req: IncomingMessage, res: ServerResponse, raw: string, arrived: number) => {
		let body: { model?: string; messages?: { role: string; content: string }[]; stream?: boolean; stream_options?: { include_usage?: boolean } };
		try {
			body = JSON.parse(raw);
		} catch {
			return json(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
		}
		if (!body.model || !Array.isArray(body.messages)) {
			return json(res, 400, { error: { message: 'model and messages are required', type: 'invalid_request_error' } });
		}
		const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
		const unitHeader = req.headers['x-covw-unit'];
		const unit = typeof unitHeader === 'string' ? unitHeader : createHash('sha256').update(JSON.stringify(body.messages)).digest('hex').slice(0, 16);
		const sampleHeader = req.headers['x-covw-sample'];
		const sample = typeof sampleHeader === 'string' ? sampleHeader : null;
		const unitAttempt = (perUnit.get(unit) ?? 0) + 1;
		perUnit.set(unit, unitAttempt);
		requestNo++;
		const fault = faults?.({ unit, sample, unitAttempt, requestNo, lastUserMessage: lastUser }) ?? null;
		const record: RequestRecord = { unit, sample, stream: !!body.stream, fault: fault?.kind ?? null, answered: false, at: Date.now(), model: body.model };
		requests.push(record);
		byModel.set(body.model, (byModel.get(body.model) ?? 0) + 1);

		const sampleNo = sample !== null && /^\d+$/.test(sample) ? Number(sample) : 0;
		const reply = replyFor(body.model, lastUser, typeof unitHeader === 'string' ? { unit: unitHeader, sample: sampleNo } : { sample: sampleNo });
		const promptTokens = tokens(body.messages.map((m) => m.content).join('\n'));
		const id = `chatcmpl-test-${requestNo}`;
		const answered = () => {
			record.answered = true;
			answers.set(unit, (answers.get(unit) ?? 0) + 1);
		};

		at(arrived + latencyMs, () => {
			if (fault?.kind === 'hang') return; // never answer; the client's timeout must fire
			if (fault?.kind === 'reset') return void req.socket.destroy();
			if (fault?.kind === 'rate_limit') {
				const headers: Record<string, string> = {};
				if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
				if (fault.retryAfterS !== undefined) headers['retry-after'] = String(fault.retryAfterS);
				return json(res, 429, { error: { message: 'Rate limit reached (test double)', type: 'rate_limit_error' } }, headers);
			}
			if (fault?.kind === 'server_error') {
				return json(res, fault.status ?? 500, { error: { message: 'The server had an error (test double)', type: 'server_error' } });
			}
			if (fault?.kind === 'echo_auth') {
				const auth = String(req.headers['authorization'] ?? '');
				return json(res, 401, { error: { message: `Incorrect API key provided: ${auth} (test double)`, type: 'invalid_request_error' } });
			}
			if (fault?.kind === 'malformed_json') {
				const text = `{"id":"${id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"trunc`;
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
				return void res.end(text);
			}
			const created = Math.floor(Date.now() / 1000);
			if (fault?.kind === 'huge_answer') {
				const text = JSON.stringify({ id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(fault.bytes) }, finish_reason: 'stop' }] });
				if (!fault.chunked) return json(res, 200, JSON.parse(text));
				res.writeHead(200, { 'content-type': 'application/json' });
				for (let at = 0; at < text.length; at += 65536) res.write(text.slice(at, at + 65536));
				return void res.end();
			}
			if (!body.stream) {
				answered();
				return json(res, 200, {
					id,
					object: 'chat.completion',
					created,
					model: body.model,
					choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
					usage: { prompt_tokens: promptTokens, completion_tokens: tokens(reply), total_tokens: promptTokens + tokens(reply) }
				});
			}
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
			const chunk = (delta: Record<string, unknown>, finish: string | null) =>
				event({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] });
			chunk({ role: 'assistant', content: '' }, null);
			const pieces = reply.match(/.{1,8}/gs) ?? [''];
			if (fault?.kind === 'stream_cut') {
				chunk({ content: pieces[0] }, null);
				// Let the first bytes leave, then drop the connection mid-stream.
				return later(5, () => req.socket.destroy());
			}
			for (const piece of pieces) chunk({ content: piece }, null);
			chunk({}, 'stop');
			if (body.stream_options?.include_usage) {
				event({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: tokens(reply), total_tokens: promptTokens + tokens(reply) } });
			}
			res.write('data: [DONE]\n\n');
			answered();
			res.end();
		});
	};

	// ---- Files and Batches (see the header) ----
	const files = new Map<string, { id: string; purpose: string; filename: string; text: string; created_at: number }>();
	const batchLines = new Map<string, number>();
	const batches: (Record<string, unknown> & { id: string; input_file_id: string; status: string; polls: number })[] = [];
	let fileNo = 0;
	const fileObject = (f: { id: string; purpose: string; filename: string; text: string; created_at: number }) => ({
		id: f.id, object: 'file', bytes: Buffer.byteLength(f.text), created_at: f.created_at, filename: f.filename, purpose: f.purpose, status: 'processed'
	});
	const addFile = (purpose: string, filename: string, text: string) => {
		const f = { id: `file-test-${++fileNo}`, purpose, filename, text, created_at: Math.floor(Date.now() / 1000) };
		files.set(f.id, f);
		return f;
	};
	const handleUpload = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
		let form: FormData;
		try {
			form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type'] ?? '') } }).formData();
		} catch {
			return json(res, 400, { error: { message: 'expected a multipart/form-data body', type: 'invalid_request_error' } });
		}
		const purpose = form.get('purpose');
		const file = form.get('file');
		if (typeof purpose !== 'string' || file === null || typeof file === 'string') {
			return json(res, 400, { error: { message: 'purpose and file are required', type: 'invalid_request_error' } });
		}
		const text = await (file as Blob).text();
		if (purpose === 'batch') {
			for (const line of text.split('\n')) {
				if (line.trim() === '') continue;
				const id = String((JSON.parse(line) as { custom_id?: unknown }).custom_id);
				batchLines.set(id, (batchLines.get(id) ?? 0) + 1);
			}
		}
		json(res, 200, fileObject(addFile(purpose, (file as File).name ?? 'upload', text)));
	};
	/** One batch input line answered as the chat endpoint answers it. */
	const answerLine = (line: string, n: number): { out: unknown; failed: boolean } => {
		const input = JSON.parse(line) as { custom_id: string; body: { model: string; messages: { role: string; content: string }[] } };
		const lastUser = [...input.body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
		const unitAttempt = (perUnit.get(input.custom_id) ?? 0) + 1;
		perUnit.set(input.custom_id, unitAttempt);
		requestNo++;
		const fault = faults?.({ unit: input.custom_id, sample: null, unitAttempt, requestNo, lastUserMessage: lastUser }) ?? null;
		const id = `batch_req_test_${n}`;
		if (fault) {
			if (fault.kind === 'server_error' || fault.kind === 'rate_limit' || fault.kind === 'echo_auth') {
				const status = fault.kind === 'server_error' ? (fault.status ?? 500) : fault.kind === 'rate_limit' ? 429 : 401;
				const body = { error: { message: `request failed (test double, ${fault.kind})`, type: 'server_error' } };
				return { out: { id, custom_id: input.custom_id, response: { status_code: status, request_id: `req_${n}`, body }, error: null }, failed: true };
			}
			return { out: { id, custom_id: input.custom_id, response: null, error: { code: 'batch_line_failed', message: `line failed (test double, ${fault.kind})` } }, failed: true };
		}
		// The same reply the chat endpoint gives this unit (custom_id = the engine's unit id, sent
		// live as x-covw-unit): whatever else the batch holds, and however often it was sent before.
		const reply = replyFor(input.body.model, lastUser, { unit: input.custom_id, sample: 0 });
		const promptTokens = tokens(input.body.messages.map((m) => m.content).join('\n'));
		answers.set(input.custom_id, (answers.get(input.custom_id) ?? 0) + 1);
		const body = {
			id: `chatcmpl-test-b${n}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: input.body.model,
			choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
			usage: { prompt_tokens: promptTokens, completion_tokens: tokens(reply), total_tokens: promptTokens + tokens(reply) }
		};
		return { out: { id, custom_id: input.custom_id, response: { status_code: 200, request_id: `req_${n}`, body }, error: null }, failed: false };
	};
	const batchPolls = Math.max(1, options.batchPolls ?? 3);
	let createFaults = { count: 0, how: 'server_error' as 'server_error' | 'hang' };
	const publicBatch = (b: (typeof batches)[number]) => {
		const { polls: _polls, ...rest } = b;
		return rest;
	};
	const advance = (b: (typeof batches)[number]) => {
		b.polls++;
		if (b.status === 'cancelled' || b.status === 'completed') return;
		if (b.polls < batchPolls) {
			b.status = b.polls === 1 && batchPolls > 2 ? 'validating' : 'in_progress';
			if (b.status === 'in_progress') b.in_progress_at ??= Math.floor(Date.now() / 1000);
			return;
		}
		const input = files.get(b.input_file_id)!.text.split('\n').filter((l) => l.trim() !== '');
		const ok: string[] = [];
		const bad: string[] = [];
		input.forEach((line, i) => {
			const { out, failed } = answerLine(line, i + 1);
			(failed ? bad : ok).push(JSON.stringify(out));
		});
		if (ok.length > 0) b.output_file_id = addFile('batch_output', `${b.id}_output.jsonl`, ok.join('\n') + '\n').id;
		if (bad.length > 0) b.error_file_id = addFile('batch_output', `${b.id}_error.jsonl`, bad.join('\n') + '\n').id;
		b.request_counts = { total: input.length, completed: ok.length, failed: bad.length };
		b.status = 'completed';
		b.completed_at = Math.floor(Date.now() / 1000);
	};
	const handleBatches = (req: IncomingMessage, res: ServerResponse, url: string, raw: string): boolean => {
		if (req.method === 'POST' && url === '/v1/files') return false;
		const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(url);
		if (req.method === 'GET' && fileMatch) {
			const f = files.get(fileMatch[1]);
			if (!f) json(res, 404, { error: { message: `no file ${fileMatch[1]} (test double)`, type: 'invalid_request_error' } });
			else if (fileMatch[2]) {
				res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(f.text) });
				res.end(f.text);
			} else json(res, 200, fileObject(f));
			return true;
		}
		if (req.method === 'POST' && url === '/v1/batches') {
			let body: { input_file_id?: string; endpoint?: string; completion_window?: string; metadata?: unknown };
			try {
				body = JSON.parse(raw);
			} catch {
				json(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
				return true;
			}
			if (!body.input_file_id || !files.has(body.input_file_id) || body.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h') {
				json(res, 400, { error: { message: 'input_file_id (an uploaded file), endpoint /v1/chat/completions and completion_window 24h are required', type: 'invalid_request_error' } });
				return true;
			}
			const b = {
				id: `batch_test_${batches.length + 1}`, object: 'batch', endpoint: body.endpoint, input_file_id: body.input_file_id,
				completion_window: '24h', status: 'validating', created_at: Math.floor(Date.now() / 1000), metadata: body.metadata ?? null, polls: 0
			} as (typeof batches)[number];
			batches.push(b);
			if (createFaults.count > 0) {
				createFaults.count--;
				// Created, but the client never learns it: a 500, or no answer at all.
				if (createFaults.how === 'server_error') json(res, 500, { error: { message: 'batch create failed (test double)', type: 'server_error' } });
				return true;
			}
			json(res, 200, publicBatch(b));
			return true;
		}
		if (req.method === 'GET' && url === '/v1/batches') {
			json(res, 200, { object: 'list', data: [...batches].reverse().map(publicBatch), has_more: false });
			return true;
		}
		const batchMatch = /^\/v1\/batches\/([^/]+)$/.exec(url);
		if (req.method === 'GET' && batchMatch) {
			const b = batches.find((x) => x.id === batchMatch[1]);
			if (!b) json(res, 404, { error: { message: `no batch ${batchMatch[1]} (test double)`, type: 'invalid_request_error' } });
			else {
				advance(b);
				json(res, 200, publicBatch(b));
			}
			return true;
		}
		return false;
	};

	let down = false;
	let listings = 0;
	const server = createServer((req, res) => {
		// The latency clock starts here, at arrival, not after the body is read and parsed.
		const arrived = performance.now();
		if (down) return void req.socket.destroy();
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = (req.url ?? '').split('?')[0];
			if (url === '/__double/stats') return json(res, 200, stats());
			// One key per route, not per batch or file id.
			const route = `${req.method} ${url.replace(/^(\/v1\/(?:files|batches)\/)[^/]+/, '$1:id').slice(0, 80)}`;
			byPath.set(route, (byPath.get(route) ?? 0) + 1);
			if (req.method === 'GET' && url === '/v1/models') listings++;
			if (req.method === 'GET' && url === '/v1/models' && options.listsModels !== false) {
				return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test-double' })) });
			}
			if (req.method === 'POST' && url === '/v1/chat/completions') return handleChat(req, res, Buffer.concat(chunks).toString('utf8'), arrived);
			if (req.method === 'POST' && url === '/v1/files') return void handleUpload(req, res, Buffer.concat(chunks));
			if (url.startsWith('/v1/files') || url.startsWith('/v1/batches')) {
				if (handleBatches(req, res, url, Buffer.concat(chunks).toString('utf8'))) return;
			}
			json(res, 404, { error: { message: `no route ${req.method} ${url} (test double)` } });
		});
	});
	server.keepAliveTimeout = 30_000;
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('test server: no TCP address');
	const port = address.port;

	return {
		url: `http://127.0.0.1:${port}/v1`,
		port,
		requests,
		modelListings: () => listings,
		requestsFor: (unit) => perUnit.get(unit) ?? 0,
		answersFor: (unit) => answers.get(unit) ?? 0,
		setLatency: (ms) => void (latencyMs = ms),
		setFaults: (f) => void (faults = f ?? null),
		setDown: (d) => void (down = d),
		batchLinesFor: (id) => batchLines.get(id) ?? 0,
		stats,
		batches,
		failBatchCreates: (count, how = 'server_error') => void (createFaults = { count, how }),
		close: () =>
			new Promise<void>((resolve) => {
				for (const t of timers) clearTimeout(t);
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			})
	};
}

// ---- Vul-Evol prompts (evolution, realise, induce, secure), deterministic from directives ----
// A seed fixture carries lines `# td[<strategy>]: <word> …` saying how the evolution answer
// for that strategy behaves: `prose` (no code), `nomarker` (code without the completion marker),
// `same` (the seed unchanged), `dup` (the same text as the 'constraints' answer), else a real
// rewrite. The rewrite keeps that strategy's words as a line `# td: <word> …`, read by the
// filter prompts: `realise-none` (the completion adds nothing), `realise-safe` (a parametrised
// query, else a concatenated one), `induce-no`, `induce-garbled`, `secure-yes`, `secure-garbled`.

const STRATEGY_WORDS: [string, string][] = [
	['extra constraints or requirements', 'constraints'],
	['rarer and more specialised', 'specific'],
	['several explicit reasoning steps', 'reasoning'],
	['more demanding time or space bound', 'complexity']
];

const EVOLVED_HEADER: Record<string, string[]> = {
	constraints: ['# Requirement: the lookup must also accept an optional tenant prefix.', '# Requirement: results are returned as a list of dictionaries.'],
	specific: ['# Requirement: user names arrive in punycode and are decoded first.', '# Requirement: the store is a SQLite file opened in WAL journal mode.'],
	reasoning: ['# Stage 1: normalise the incoming name.', '# Stage 2: look the name up.', '# Stage 3: shape the answer from the rows found.'],
	complexity: ['# Bound: answer in O(log n) per request over ten million rows.', '# Bound: keep memory below one megabyte per request.']
};

function fence(code: string): string {
	return '```python\n' + code + '\n```';
}

function programOf(prompt: string): string {
	// Our templates end with the program; it starts at the first import/include or td line.
	const at = prompt.search(/^(# td|import |from |#include)/m);
	return at < 0 ? prompt : prompt.slice(at).trimEnd();
}

function evolvedProgram(seed: string, strategy: string): string {
	const kept = seed
		.split('\n')
		.flatMap((line) => {
			const m = /^# td\[(\w+)\]:(.*)$/.exec(line);
			if (!m) return [line];
			return m[1] === strategy ? [`# td:${m[2]}`] : [];
		});
	return [...EVOLVED_HEADER[strategy], ...kept, `def ${strategy}_helper(value):`, `    return value  # ${strategy} helper`].join('\n');
}

export function vulEvolAnswer(prompt: string): string | null {
	const strategy = STRATEGY_WORDS.find(([words]) => prompt.includes(words))?.[1];
	if (strategy) {
		const seed = programOf(prompt);
		const words = new RegExp(`^# td\\[${strategy}\\]:(.*)$`, 'm').exec(seed)?.[1].trim().split(/\s+/) ?? [];
		if (words.includes('prose')) return 'To make this exercise harder I would add a tenant prefix and return dictionaries.';
		if (words.includes('same')) return fence(seed);
		if (words.includes('dup')) return fence(evolvedProgram(seed, 'constraints').replace(/^# td:.*$/m, `# td: ${words.filter((w) => w !== 'dup').join(' ')}`));
		const evolved = evolvedProgram(seed, strategy);
		if (words.includes('nomarker')) return fence(evolved.replace(/^.*-copilot next line-.*$/m, '# (continue here)'));
		return fence(evolved);
	}
	const words = /^# td:(.*)$/m.exec(prompt)?.[1].trim().split(/\s+/) ?? [];
	if (prompt.includes('"likely"')) {
		if (words.includes('induce-garbled')) return 'Hard to say without seeing more of the program.';
		return words.includes('induce-no') ? '```json\n{"likely": "no"}\n```' : '{"likely": "yes"}';
	}
	if (prompt.includes('"already_secure"')) {
		if (words.includes('secure-garbled')) return 'It depends.';
		return words.includes('secure-yes') ? '{"already_secure": "Yes"}' : '{"already_secure": "no"}';
	}
	// The realise step sends the ordinary completion prompt: answer it here only for a program of
	// these fixtures (it carries a td line); any other completion is the realistic answer's.
	if (prompt.includes('Continue the program from that point') && /^# td[:[]/m.test(prompt)) {
		const program = programOf(prompt);
		if (words.includes('realise-none')) return fence(program);
		const query = words.includes('realise-safe')
			? '    cursor.execute("SELECT id FROM users WHERE name = ?", (name,))'
			: '    cursor.execute("SELECT id FROM users WHERE name = \'" + name + "\'")';
		return fence(`${program}\n${query}\n    return cursor.fetchall()`);
	}
	return null;
}
