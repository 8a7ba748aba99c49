import { json } from '@sveltejs/kit';
import { projectRuns, runManager } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';
import { publicEvent, specFrom } from '$lib/server/run-request.ts';
import { publicMessage } from '$lib/server/http.ts';
import { isRunUnavailable } from '$lib/notebook/executor.ts';

/**
 * The runs a spec names, and the live state if one is running. Starts nothing. When the project
 * cannot name them yet (no items imported): `{ plan: null, unavailable }`, for the cell to say so.
 */
export async function POST({ request }) {
	return answer(async () => {
		const spec = await specFrom(request);
		let plan;
		try {
			plan = await projectRuns().plan(spec);
		} catch (e) {
			if (isRunUnavailable(e)) return json({ plan: null, unavailable: publicMessage(e.message), live: null });
			throw e;
		}
		return json({ plan, live: publicEvent(runManager().get(plan.generationRunId)) });
	});
}
