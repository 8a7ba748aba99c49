// DuckDB-WASM's threaded worker, with the fix for its stale heap views (duckdb-coi-patch.js):
// served from here rather than as a static asset because the file must be patched. Patched once
// per server start; revalidated by ETag (no-cache), so a server with another duckdb-wasm or
// another patch never leaves a browser with a stale copy. 404 when the patch does not apply to
// the installed duckdb-wasm: the page then runs the single-threaded bundle (duckdb.ts).
import { createHash } from 'node:crypto';
import source from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?raw';
import { patchCoiWorker } from '$lib/workbench/duckdb-coi-patch.js';

let patched: { body: string; etag: string } | Error | null = null;

function worker(): { body: string; etag: string } | Error {
	if (!patched) {
		const body = patchCoiWorker(source);
		patched = body instanceof Error ? body : { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
	}
	return patched;
}

export function GET({ request }: { request: Request }): Response {
	const found = worker();
	if (found instanceof Error) return new Response(`${found.message}\n`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	const headers = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', etag: found.etag };
	if (request.headers.get('if-none-match') === found.etag) return new Response(null, { status: 304, headers });
	return new Response(found.body, { headers });
}
