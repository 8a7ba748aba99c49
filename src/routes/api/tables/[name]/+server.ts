import { error } from '@sveltejs/kit';
import { dataFolder } from '$lib/server/workbench.ts';
import { DataFileError, UnknownTableError } from '$lib/server/datasets/index.ts';

/** One table as an Arrow IPC stream, the format DuckDB-WASM ingests. */
export async function GET({ params }) {
	try {
		const bytes = await dataFolder().ipcStream(params.name);
		return new Response(bytes as BodyInit, {
			headers: { 'content-type': 'application/vnd.apache.arrow.stream', 'cache-control': 'no-store' }
		});
	} catch (e) {
		if (e instanceof UnknownTableError) error(404, e.message);
		if (e instanceof DataFileError) error(422, e.message);
		throw e;
	}
}
