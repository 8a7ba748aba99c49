import { json } from '@sveltejs/kit';
import { projectRuns, runManager } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';
import { publicEvent, specFrom } from '$lib/server/run-request.ts';

/** The runs a spec names, and the live state if one is running. Starts nothing. */
export async function POST({ request }) {
	return answer(async () => {
		const plan = await projectRuns().plan(await specFrom(request));
		return json({ plan, live: publicEvent(runManager().get(plan.generationRunId)) });
	});
}
