// Reading a run cell's spec from a request: the same validation as the notebook's.
import { json } from '@sveltejs/kit';
import { parseRunSpec, type RunSpec } from '../notebook/run-spec.ts';
import { jsonBody } from './notebook-http.ts';

export class RunRequestError extends Error {}

export async function specFrom(request: Request): Promise<RunSpec> {
	const body = await jsonBody(request);
	const { spec, errors } = parseRunSpec(JSON.stringify(body.spec ?? null));
	if (!spec) throw new RunRequestError(errors.map((e) => e.message).join('; '));
	return spec;
}

/** Bad specs and plans that cannot be made (unknown model, no items) are the user's to fix: 400. */
export async function answerRun(work: () => Promise<Response>): Promise<Response> {
	try {
		return await work();
	} catch (e) {
		return json({ message: e instanceof Error ? e.message : String(e) }, { status: 400 });
	}
}
