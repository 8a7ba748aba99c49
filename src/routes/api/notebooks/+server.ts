import { json } from '@sveltejs/kit';
import { notebookStore } from '$lib/server/app-objects.ts';
import { BODY_LIMITS, answer, readJsonObject, stringField } from '$lib/server/http.ts';

const starter = (name: string) => `---\ntitle: ${name}\n---\nWhat this notebook shows, in a sentence or two.\n\n\`\`\`sql id=first_query\nSELECT * FROM paper_table1 LIMIT 10\n\`\`\`\n`;

export async function GET() {
	return answer(async () => json(await notebookStore().list()));
}

/** Create a notebook: `{ name, text? }`; never replaces an existing one. */
export async function POST({ request }) {
	return answer(async () => {
		const body = await readJsonObject(request, { limit: BODY_LIMITS.notebook, what: 'notebook' });
		const name = stringField(body, 'name');
		const text = body.text === undefined ? starter(name) : stringField(body, 'text');
		const { version } = await notebookStore().create(name, text);
		return json({ name, text, version }, { status: 201 });
	});
}
