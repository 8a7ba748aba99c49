import { json } from '@sveltejs/kit';
import { notebookStore } from '$lib/server/app-objects.ts';
import { BODY_LIMITS, answer, readJsonObject, stringField } from '$lib/server/http.ts';

export async function GET({ params }) {
	return answer(async () => json(await notebookStore().read(params.name)));
}

/** Save `{ text, version }`: refused with 409 and the file on disk if it changed since `version`. */
export async function PUT({ params, request }) {
	return answer(async () => {
		const body = await readJsonObject(request, { limit: BODY_LIMITS.notebook, what: 'notebook' });
		return json(await notebookStore().write(params.name, stringField(body, 'text'), stringField(body, 'version')));
	});
}

/** Moves the notebook to the trash folder; nothing saved is erased. */
export async function DELETE({ params }) {
	return answer(async () => {
		await notebookStore().delete(params.name);
		return new Response(null, { status: 204 });
	});
}
