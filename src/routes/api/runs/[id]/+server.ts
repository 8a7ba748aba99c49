import { json } from '@sveltejs/kit';
import { projectRuns, runManager, runTables } from '$lib/server/app-objects.ts';
import { answer, HttpError, publicMessage } from '$lib/server/http.ts';
import { publicEvent } from '$lib/server/run-request.ts';
import { runDetail } from '$lib/server/runs/run-pages.ts';
import { isRunId } from '$lib/engine/run-id.ts';
import { dataDir, runsDir } from '$lib/node/paths.ts';

/** One run: its manifest, its errors grouped by reason, whether it is live here, and how to resume it. */
export async function GET({ params }) {
	return answer(async () => {
		const id: string = params.id;
		if (!isRunId(id)) throw new HttpError(400, `not a run id: ${JSON.stringify(String(params.id).slice(0, 140))}`);
		const detail = await runDetail(runsDir(), id, runManager(), projectRuns(), runTables(), dataDir());
		if (!detail) throw new HttpError(404, `no run "${id}" in the runs folder`);
		// Messages the browser sees name files relative to the server's folders, never absolutely.
		const manifest = { ...detail.manifest, log_warnings: detail.manifest.log_warnings.map((w) => publicMessage(w)) };
		const errors = detail.errors.map((g) => ({ ...g, reason: publicMessage(g.reason) }));
		const resume = 'unavailable' in detail.resume ? { unavailable: publicMessage(detail.resume.unavailable) } : detail.resume;
		return json({ ...detail, manifest, errors, resume, liveEvent: publicEvent(detail.liveEvent) });
	});
}
