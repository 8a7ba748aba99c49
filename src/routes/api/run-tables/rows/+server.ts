import { runTables } from '$lib/server/app-objects.ts';
import { answer, BadRequest, readJsonObject } from '$lib/server/http.ts';
import type { RunRowsAsk } from '$lib/server/runs/run-tables-cache.ts';
import { runRowsTrailer } from '$lib/workbench/runs/run-rows-frame.ts';
import { isRunId } from '$lib/engine/run-id.ts';

/** The most runs one ask may name (a page asks in groups of RUN_ROWS_PER_ASK). */
const MAX_RUNS = 2_000;

/**
 * Several runs' changed rows of one run table in one answer (a page back after a server restart
 * has every run to fetch again): body `{ table: "generations" | "verdicts", runs: [{ run, epoch,
 * after }] }`, each as `GET /api/tables/<table>?run=…&epoch=…&after=…` takes them. The answer is
 * one Arrow stream with every run's changed rows, then what came of each run
 * (workbench/runs/run-rows-frame.ts). POST for the length of the list, not for any change.
 */
export async function POST({ request }) {
	return answer(async () => {
		const body = await readJsonObject(request, { what: 'run rows request' });
		const table = body.table;
		if (table !== 'generations' && table !== 'verdicts') throw new BadRequest(`field "table" must be "generations" or "verdicts", got ${JSON.stringify(table)?.slice(0, 60)}`);
		if (!Array.isArray(body.runs)) throw new BadRequest('field "runs" must be a list of { run, epoch, after }');
		if (body.runs.length > MAX_RUNS) throw new BadRequest(`field "runs" names ${body.runs.length} runs; at most ${MAX_RUNS} per request`);
		const asks: RunRowsAsk[] = body.runs.map((r: unknown, i: number) => {
			const o = (r ?? {}) as Record<string, unknown>;
			if (typeof o.run !== 'string' || !isRunId(o.run)) throw new BadRequest(`runs[${i}].run must be a run id`);
			if (typeof o.epoch !== 'string') throw new BadRequest(`runs[${i}].epoch must be a string`);
			const after = Number(o.after ?? 0);
			return { run: o.run, epoch: o.epoch, after: Number.isFinite(after) ? after : 0 };
		});
		// a run named twice would have its rows inserted twice in the page's table
		const seen = new Set<string>();
		for (const a of asks) {
			if (seen.has(a.run)) throw new BadRequest(`runs names run ${a.run} twice`);
			seen.add(a.run);
		}
		const { parts, done } = await runTables().changesOfRuns(table, asks);
		const stream = new ReadableStream<Uint8Array>({
			async pull(controller) {
				// An empty part is skipped (a pull that enqueues nothing is never called again).
				let next = await parts.next();
				while (!next.done && next.value.length === 0) next = await parts.next();
				if (next.done) {
					controller.enqueue(runRowsTrailer(done()));
					controller.close();
				} else controller.enqueue(next.value);
			},
			async cancel() {
				await parts.return(undefined);
			}
		});
		return new Response(stream, { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' } });
	});
}
