import { json } from '@sveltejs/kit';
import { runManager } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';
import { publicEvent, specFrom } from '$lib/server/run-request.ts';

/** Start (or resume) the runs a spec names; answers at once with the live state. */
export async function POST({ request }) {
	return answer(async () => json(publicEvent(await runManager().start(await specFrom(request))), { status: 202 }));
}
