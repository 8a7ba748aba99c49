import { json } from '@sveltejs/kit';
import { runManager, runTables } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';
import { publicEvent, specFrom } from '$lib/server/run-request.ts';
import { listRuns } from '$lib/server/runs/run-pages.ts';
import { isRunId } from '$lib/engine/run-id.ts';

/** Start (or resume) the runs a spec names; answers at once with the live state. */
export async function POST({ request }) {
	return answer(async () => json(publicEvent(await runManager().start(await specFrom(request))), { status: 202 }));
}

/**
 * Every run in the runs folder, newest first: state, counts from its rows, tokens, cost, duration.
 * `?ids=a,b` answers only those runs (absent ones are left out): what a run cell shows.
 */
export async function GET({ url }) {
	return answer(async () => {
		const ids = url.searchParams.get('ids')?.split(',').filter(isRunId);
		return json({ runs: await listRuns(runTables(), runManager(), ids) });
	});
}
