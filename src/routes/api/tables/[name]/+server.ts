import { dataFolder, runTables } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';
import { dataTableBytes } from '$lib/server/labels/empty-labels.ts';

const arrowStream = (bytes: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
	new Response(bytes as BodyInit, {
		headers: { 'content-type': 'application/vnd.apache.arrow.stream', 'cache-control': 'no-store', ...headers }
	});

/**
 * One table as an Arrow IPC stream, the format DuckDB-WASM ingests. Unknown: 404; unreadable
 * file: 422. For a run table, `?run=<id>&epoch=<e>&after=<seq>` gives only that run's rows
 * changed since (see /api/run-tables); `x-covw-rows: full` says they replace all the run's rows.
 */
export async function GET({ params, url }) {
	return answer(async () => {
		const runs = runTables();
		const run = url.searchParams.get('run');
		if (run !== null && (params.name === 'generations' || params.name === 'verdicts')) {
			const after = Number(url.searchParams.get('after') ?? 0);
			const changes = await runs.changes(params.name, run, url.searchParams.get('epoch') ?? '', Number.isFinite(after) ? after : 0);
			return arrowStream(changes.bytes, { 'x-covw-rows': changes.full ? 'full' : 'delta', 'x-covw-epoch': changes.epoch, 'x-covw-seq': String(changes.seq), 'x-covw-count': String(changes.count) });
		}
		if (runs.has(params.name)) return arrowStream(await runs.stream(params.name));
		return arrowStream(await dataTableBytes(dataFolder(), params.name)); // no labels file yet: the labels table, empty
	});
}
