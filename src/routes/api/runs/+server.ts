import { createHash } from 'node:crypto';
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
export async function GET({ url, request }) {
	return answer(async () => {
		const ids = url.searchParams.get('ids')?.split(',').filter(isRunId);
		// An ETag of the answer: a page polling with If-None-Match gets 304 and no body when nothing changed.
		const body = JSON.stringify({ runs: await listRuns(runTables(), runManager(), ids) });
		const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
		const headers = { etag, 'cache-control': 'no-cache' };
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return new Response(body, { headers: { ...headers, 'content-type': 'application/json' } });
	});
}
