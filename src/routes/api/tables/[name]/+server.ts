import { dataFolder, runTables } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';

const arrowStream = (bytes: Uint8Array) =>
	new Response(bytes as BodyInit, {
		headers: { 'content-type': 'application/vnd.apache.arrow.stream', 'cache-control': 'no-store' }
	});

/** One table as an Arrow IPC stream, the format DuckDB-WASM ingests. Unknown: 404; unreadable file: 422. */
export async function GET({ params }) {
	return answer(async () => {
		const runs = runTables();
		if (runs.has(params.name)) return arrowStream(runs.ipc(params.name));
		return arrowStream(await dataFolder().ipcStream(params.name));
	});
}
