import { json } from '@sveltejs/kit';
import { runTables } from '$lib/server/app-objects.ts';
import { answer, publicMessage } from '$lib/server/http.ts';

/**
 * Where the run tables stand, cheaply (no rows read): a `version` that changes whenever a run
 * does (started from this page, another tab or the CLI), each run's epoch and sequence for
 * fetching only its changed rows, and the warnings of skipped log lines and manifests (paths
 * relative to the project, runs/<id>/log.jsonl:21, as publicMessage says them).
 */
export async function GET() {
	return answer(async () => {
		const status = await runTables().status();
		return json({ ...status, warnings: status.warnings.map((w) => publicMessage(w)) }, { headers: { 'cache-control': 'no-store' } });
	});
}
