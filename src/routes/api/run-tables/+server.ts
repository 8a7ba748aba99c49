import { json } from '@sveltejs/kit';
import { runTables } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';

/**
 * Where the run tables stand, cheaply (no rows read): a `version` that changes whenever a run
 * does (started from this page, another tab or the CLI), each run's epoch and sequence for
 * fetching only its changed rows, and the warnings of skipped log lines and manifests.
 */
export async function GET() {
	return answer(async () => json(await runTables().status(), { headers: { 'cache-control': 'no-store' } }));
}
