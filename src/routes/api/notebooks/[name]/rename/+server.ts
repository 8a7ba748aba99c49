import { json } from '@sveltejs/kit';
import { notebookStore } from '$lib/server/app-objects.ts';
import { answer, readJsonObject, stringField } from '$lib/server/http.ts';

/** Rename to `{ to }`; refused if a notebook of that name exists. */
export async function POST({ params, request }) {
	return answer(async () => {
		const to = stringField(await readJsonObject(request), 'to');
		await notebookStore().rename(params.name, to);
		return json({ name: to });
	});
}
