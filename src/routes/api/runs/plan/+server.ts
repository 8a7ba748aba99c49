import { json } from '@sveltejs/kit';
import { projectRuns, runManager } from '$lib/server/app-objects.ts';
import { answerRun, specFrom } from '$lib/server/run-http.ts';

/** The runs a spec names, and the live state if one is running. Starts nothing. */
export async function POST({ request }) {
	return answerRun(async () => {
		const plan = await projectRuns().plan(await specFrom(request));
		return json({ plan, live: runManager().get(plan.generationRunId) });
	});
}
