// The answer of POST /api/run-tables/rows — several runs' changed rows in one response — as
// bytes: an Arrow IPC stream (schema, the runs' record batches, end of stream), then a JSON
// trailer saying what came of each run asked (RunRowsChange), then the trailer's length as a
// 4-byte little-endian integer. A trailer, not a header: the server streams the rows run by run
// and knows each run's outcome only once it has read it. Pure: the route writes it, the page reads it.
import type { RunRowsChange } from '../../server/runs/run-tables-cache.ts';

export type { RunRowsChange };

/** The bytes that follow the Arrow stream: the JSON, then its length. */
export function runRowsTrailer(changes: readonly RunRowsChange[]): Uint8Array {
	const json = new TextEncoder().encode(JSON.stringify({ runs: changes }));
	const out = new Uint8Array(json.length + 4);
	out.set(json, 0);
	new DataView(out.buffer).setUint32(json.length, json.length, true);
	return out;
}

/** Splits an answer into its Arrow stream and what came of each run; throws on a body that is not one. */
export function parseRunRows(body: Uint8Array): { ipc: Uint8Array; runs: RunRowsChange[] } {
	if (body.length < 4) throw new Error(`run rows answer too short (${body.length} bytes)`);
	const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(body.length - 4, true);
	const start = body.length - 4 - length;
	if (start < 0) throw new Error(`run rows answer: trailer of ${length} bytes in a body of ${body.length}`);
	const trailer = JSON.parse(new TextDecoder().decode(body.subarray(start, body.length - 4))) as { runs?: unknown };
	if (!Array.isArray(trailer.runs)) throw new Error('run rows answer: trailer without runs');
	return { ipc: body.subarray(0, start), runs: trailer.runs as RunRowsChange[] };
}
