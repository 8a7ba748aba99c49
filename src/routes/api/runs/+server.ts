import { json } from '@sveltejs/kit';
import { runManager } from '$lib/server/app-objects.ts';
import { answerRun, specFrom } from '$lib/server/run-http.ts';

/** Start (or resume) the runs a spec names; answers at once with the live state. */
export async function POST({ request }) {
	return answerRun(async () => json(await runManager().start(await specFrom(request)), { status: 202 }));
}
