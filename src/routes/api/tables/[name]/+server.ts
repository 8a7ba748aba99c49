import { error } from '@sveltejs/kit';
import { dataFolder, runTables } from '$lib/server/app-objects.ts';
import { DataFileError, UnknownTableError } from '$lib/node/datasets/index.ts';

const arrowStream = (bytes: Uint8Array) =>
	new Response(bytes as BodyInit, {
		headers: { 'content-type': 'application/vnd.apache.arrow.stream', 'cache-control': 'no-store' }
	});

/** One table as an Arrow IPC stream, the format DuckDB-WASM ingests. */
export async function GET({ params }) {
	const runs = runTables();
	if (runs.has(params.name)) return arrowStream(runs.ipc(params.name));
	try {
		return arrowStream(await dataFolder().ipcStream(params.name));
	} catch (e) {
		if (e instanceof UnknownTableError) error(404, e.message);
		if (e instanceof DataFileError) error(422, e.message);
		throw e;
	}
}
