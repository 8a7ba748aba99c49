import process from 'node:process';
import { firstPaint } from '$lib/server/first-paint/index.ts';

/**
 * The notebook's cells run by the server, as the engine calls they made with their answers
 * (lib/server/first-paint/): the page draws them while its own DuckDB-WASM starts. 204 when
 * there is none (a failing or run cell, large tables, an unknown notebook) or not yet (the first
 * open after a change starts the recording and does not wait for it): the page then runs the
 * notebook itself, as it always can — never an error status, which the page would log.
 */
export async function GET({ params }) {
	let json: string | null = null;
	// COVW_FIRST_PAINT=off: never (the benchmark opens a notebook with and without, side by side).
	if (process.env.COVW_FIRST_PAINT === 'off') return new Response(null, { status: 204 });
	try {
		json = await firstPaint().recording(params.name, { wait: false });
	} catch {
		json = null;
	}
	if (json === null) return new Response(null, { status: 204 });
	return new Response(json, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
