// Labelling errors → HTTP answers with a message the page can show as it is.
import { json } from '@sveltejs/kit';
import { LabelCsvError } from './labels-csv.ts';
import { LabelFileError } from './label-lines.ts';
import { LabellingInputError } from './labelling.ts';

export async function labelAnswer(work: () => Promise<Response>): Promise<Response> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof LabellingInputError) return json({ message: error.message }, { status: 400 });
		if (error instanceof LabelCsvError) return json({ message: error.message, problems: error.problems }, { status: 422 });
		// The labels file itself is damaged (not just an unfinished last line): say where.
		if (error instanceof LabelFileError) return json({ message: error.message }, { status: 500 });
		throw error;
	}
}

export async function jsonObject(request: Request): Promise<Record<string, unknown>> {
	try {
		const body = await request.json();
		if (body && typeof body === 'object' && !Array.isArray(body)) return body;
	} catch {
		/* fall through */
	}
	throw new LabellingInputError('request body must be a JSON object');
}
