// Notebook store errors → HTTP answers. A conflict answers 409 with what is on disk now, so the
// page can show the user both versions instead of overwriting either.
import { json } from '@sveltejs/kit';
import {
	ConflictError,
	InvalidNotebookNameError,
	NotebookExistsError,
	NotebookNotFoundError
} from './notebooks/index.ts';
import { NotebookDecodeError } from '../notebook/decode.ts';

export function notebookErrorResponse(error: unknown): Response {
	if (error instanceof ConflictError) {
		const current =
			error.currentVersion === null ? null : { name: error.notebook, text: error.currentText, version: error.currentVersion };
		return json({ message: error.message, current }, { status: 409 });
	}
	if (error instanceof InvalidNotebookNameError) return json({ message: error.message }, { status: 400 });
	if (error instanceof NotebookNotFoundError) return json({ message: error.message }, { status: 404 });
	if (error instanceof NotebookExistsError) return json({ message: error.message }, { status: 409 });
	if (error instanceof NotebookDecodeError) return json({ message: error.message }, { status: 422 });
	throw error;
}

/** The request's JSON body, or a 400 naming what is wrong with it. */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
	try {
		const body = await request.json();
		if (body && typeof body === 'object' && !Array.isArray(body)) return body;
	} catch {
		/* fall through */
	}
	throw new BadRequest('request body must be a JSON object');
}

export class BadRequest extends Error {}

export function field(body: Record<string, unknown>, name: string): string {
	const value = body[name];
	if (typeof value !== 'string') throw new BadRequest(`field "${name}" must be a string`);
	return value;
}

/** Runs a notebook request, answering store errors and bad requests with their status. */
export async function answer(work: () => Promise<Response>): Promise<Response> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof BadRequest) return json({ message: error.message }, { status: 400 });
		return notebookErrorResponse(error);
	}
}
