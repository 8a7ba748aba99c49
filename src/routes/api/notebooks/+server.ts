import { json } from '@sveltejs/kit';
import { notebookStore } from '$lib/server/app-objects.ts';
import { answer, field, jsonBody } from '$lib/server/notebook-http.ts';

const starter = (name: string) => `---\ntitle: ${name}\n---\nWhat this notebook shows, in a sentence or two.\n\n\`\`\`sql id=first_query\nSELECT * FROM paper_table1 LIMIT 10\n\`\`\`\n`;

export async function GET() {
	return json(await notebookStore().list());
}

/** Create a notebook: `{ name, text? }`; never replaces an existing one. */
export async function POST({ request }) {
	return answer(async () => {
		const body = await jsonBody(request);
		const name = field(body, 'name');
		const text = body.text === undefined ? starter(name) : field(body, 'text');
		const { version } = await notebookStore().create(name, text);
		return json({ name, text, version }, { status: 201 });
	});
}
