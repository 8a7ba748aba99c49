// The web server's one HTTP helper module. Reading a request body — bytes or a JSON object —
// under a size limit whose breach says so, with the limit; and the one map from an error to an
// answer: bad input is a 4xx whose message names the field, file or limit; anything else is a
// bug: 500, logged here with its stack, and a generic message to the browser (never a 400).
// No message reaches the browser with the server's absolute paths in it.
import { isHttpError, isRedirect, json } from '@sveltejs/kit';
import { NotRegularFileError } from '../engine/atomic-file.ts';
import { ConfigError } from '../engine/config.ts';
import { RunSetupError } from '../engine/run-units.ts';
import { NotebookDecodeError } from '../notebook/decode.ts';
import { DataFileError, UnknownTableError } from '../node/datasets/index.ts';
import { cacheDir, dataDir, notebooksDir, projectRoot, runsDir } from '../node/paths.ts';
import { AnalyzerMissingError, SelectionError, TargetError } from '../runs/index.ts';
import { LabelCsvError, LabelFileError, LabelStoreRefusedError, LabellingInputError } from './labels/index.ts';
import { BODY_LIMITS } from './listen-rules.js';
import { byteSizeExact } from '../core/text/byte-size.ts';
import { ConflictError, InvalidNotebookNameError, NotebookConflictMarkersError, NotebookExistsError, NotebookNotFoundError, NotebookTooLargeError } from './notebooks/index.ts';

export { BODY_LIMITS };

/** An error that already knows its status: the request was wrong, and the message says how. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'HttpError';
	}
}

/** Bad input: 400, with a message naming the field. */
export class BadRequest extends HttpError {
	constructor(message: string) {
		super(400, message);
		this.name = 'BadRequest';
	}
}

/** Reads the rest of a body and drops it (a stream error, e.g. adapter-node's own cap, ends it). */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done);
	} catch {
		await reader.cancel().catch(() => {});
	}
}

/** The body, at most `limit` bytes; over it (read to its end, dropped), a 413 that names the limit and what it is for. */
export async function readBody(request: Request, limit: number, what = 'request'): Promise<Uint8Array> {
	const tooLarge = (got: string) => new HttpError(413, `${what} body is ${got}over the limit of ${byteSizeExact(limit)}`);
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > limit) {
		// Read to its end (adapter-node's BODY_SIZE_LIMIT bounds it) before answering: a client
		// still sending when the answer comes gets a reset connection, not the 413 (review10 #10).
		if (request.body) await drain(request.body.getReader());
		throw tooLarge(`${byteSizeExact(declared)}, `);
	}
	if (request.body === null) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>;
		try {
			chunk = await reader.read();
		} catch (error) {
			// adapter-node's own cap (BODY_SIZE_LIMIT) errors the stream with a 413 of its own.
			if (statusOf(error) === 413) throw new HttpError(413, `${what} body is too large: ${(error as Error).message}`);
			throw error;
		}
		if (chunk.done) break;
		size += chunk.value.byteLength;
		if (size > limit) {
			await drain(reader);
			throw tooLarge('');
		}
		chunks.push(chunk.value);
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

/** The body as a JSON object; 400 saying what is wrong with it, 413 over `limit`. */
export async function readJsonObject(
	request: Request,
	{ limit = BODY_LIMITS.json, what = 'request' }: { limit?: number; what?: string } = {}
): Promise<Record<string, unknown>> {
	const bytes = await readBody(request, limit, what);
	if (bytes.byteLength === 0) throw new BadRequest(`${what} body is empty: expected a JSON object`);
	let body: unknown;
	try {
		body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch (error) {
		throw new BadRequest(`${what} body is not valid JSON (${(error as Error).message})`);
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new BadRequest(`${what} body must be a JSON object, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
	}
	return body as Record<string, unknown>;
}

/** A string field of a request body, or a 400 naming it. */
export function stringField(body: Record<string, unknown>, name: string): string {
	const value = body[name];
	if (typeof value !== 'string') throw new BadRequest(`field "${name}" must be a string, got ${value === undefined ? 'nothing' : value === null ? 'null' : typeof value}`);
	return value;
}

/** Runs a request's work and answers whatever it throws through the one map below. */
export async function answer(work: () => Promise<Response>): Promise<Response> {
	try {
		return await work();
	} catch (error) {
		return errorResponse(error);
	}
}

interface Known {
	status: number;
	extra?: Record<string, unknown>;
}

/** Which errors are the user's to fix, and their status. Everything else is a bug. */
function known(error: unknown): Known | null {
	if (error instanceof HttpError) return { status: error.status };
	// Notebooks: a stale save answers with what is on disk now, so the page can show both.
	if (error instanceof ConflictError) {
		const current = error.currentVersion === null ? null : { name: error.notebook, text: error.currentText, version: error.currentVersion };
		return { status: 409, extra: { current, ...(error.renamedTo !== null ? { renamedTo: error.renamedTo } : {}) } };
	}
	if (error instanceof NotebookExistsError) return { status: 409 };
	if (error instanceof NotebookNotFoundError || error instanceof UnknownTableError) return { status: 404 };
	if (error instanceof InvalidNotebookNameError || error instanceof LabellingInputError) return { status: 400 };
	// Run specs and the plans they make: an unknown model, no items, a judge that cannot read them.
	if (error instanceof ConfigError || error instanceof SelectionError || error instanceof TargetError) return { status: 400 };
	if (error instanceof RunSetupError || error instanceof AnalyzerMissingError) return { status: 400 };
	// A data file or an uploaded CSV that cannot be read: the message names the file and line.
	if (error instanceof DataFileError || error instanceof NotebookDecodeError || error instanceof NotebookConflictMarkersError) return { status: 422 };
	// A data file that is a FIFO, socket, device or folder (engine/atomic-file.ts readRegularFile): named, not read.
	if (error instanceof NotRegularFileError) return { status: 422 };
	// A notebook file over the size limit: never read; the message names the file and the limit.
	if (error instanceof NotebookTooLargeError) return { status: 422 };
	if (error instanceof LabelCsvError) return { status: 422, extra: { problems: error.problems.map((p) => publicMessage(p)) } };
	// The labels file on disk is damaged (not a bug, not the request's fault): say where.
	if (error instanceof LabelFileError) return { status: 500 };
	// The data folder's labels file is a link or a hard link: never written through (label-store.ts).
	if (error instanceof LabelStoreRefusedError) return { status: 409 };
	return null;
}

/** The answer for `error`: its status and message, or a logged 500 for a bug. */
export function errorResponse(error: unknown): Response {
	// SvelteKit's own error() and redirect() carry their answers already.
	if (isHttpError(error) || isRedirect(error)) throw error;
	const found = known(error);
	if (found) return json({ message: publicMessage((error as Error).message), ...found.extra }, { status: found.status });
	console.error('covw server: internal error (answered 500):', error);
	return json({ message: 'internal server error: the server log has the details' }, { status: 500 });
}

/**
 * `message` without the server's absolute paths: a path in a configured folder becomes relative
 * to it (`datasets/x.csv`, `notebooks/a.md`), any other absolute path keeps its last part only.
 */
export function publicMessage(message: string, folders: Array<[string, string]> = serverFolders()): string {
	let out = message;
	for (const [path, shown] of [...folders].sort((a, b) => b[0].length - a[0].length)) {
		if (path === '/' || path === '') continue;
		// The folder itself, or a path in it; not a longer name that starts the same way.
		out = out.replace(new RegExp(`${escapeRegExp(path)}(?![\\w.@+~-])`, 'g'), shown);
	}
	// Whatever absolute path is left (a temp file, a link's target): its last part only.
	return out.replace(/(?<![\w./~-])\/(?:[\w.@+~-]+\/)+([\w.@+~-]*)/g, '…/$1');
}

function serverFolders(): Array<[string, string]> {
	return [
		[dataDir(), 'datasets'],
		[notebooksDir(), 'notebooks'],
		[runsDir(), 'runs'],
		[cacheDir(), 'cache'],
		[projectRoot(), '.']
	];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function statusOf(error: unknown): number | undefined {
	const status = (error as { status?: unknown } | null)?.status;
	return typeof status === 'number' ? status : undefined;
}
