// Plain JS columns (from a stats cell, say) → an Arrow IPC *stream*, the one format DuckDB-WASM's
// insertArrowFromIPCStream accepts (the file format silently creates nothing).
//
// Built straight into Arrow's buffers with makeData, never through apache-arrow's Builders
// (vectorFromArray): a Builder compiles its null check with `new Function`, which the page's
// Content-Security-Policy (no 'unsafe-eval') refuses — and this runs in the browser.
import { Float64, Table, Utf8, makeData, makeVector, tableToIPC, type Vector } from 'apache-arrow';

export type PlainColumns = Record<string, (number | string | null)[]>;

export function columnsToIPC(columns: PlainColumns): Uint8Array {
	const vectors: Record<string, Vector> = {};
	for (const [name, values] of Object.entries(columns)) {
		const numeric = values.every((v) => v === null || typeof v === 'number');
		vectors[name] = numeric ? float64Vector(values as (number | null)[]) : utf8Vector(values.map((v) => (v === null ? null : String(v))));
	}
	return tableToIPC(new Table(vectors), 'stream');
}

/** Validity bitmap (bit set = value present); none when nothing is null. */
function validity(values: unknown[]): { nullBitmap: Uint8Array | undefined; nullCount: number } {
	const nullCount = values.reduce<number>((n, v) => (v === null ? n + 1 : n), 0);
	if (nullCount === 0) return { nullBitmap: undefined, nullCount };
	const nullBitmap = new Uint8Array((values.length + 7) >> 3);
	values.forEach((v, i) => {
		if (v !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
	});
	return { nullBitmap, nullCount };
}

function float64Vector(values: (number | null)[]): Vector {
	const data = Float64Array.from(values, (v) => v ?? 0);
	return makeVector(makeData({ type: new Float64(), length: values.length, ...validity(values), data }));
}

function utf8Vector(values: (string | null)[]): Vector {
	const encoder = new TextEncoder();
	const encoded = values.map((v) => (v === null ? new Uint8Array(0) : encoder.encode(v)));
	const valueOffsets = new Int32Array(values.length + 1);
	encoded.forEach((bytes, i) => (valueOffsets[i + 1] = valueOffsets[i] + bytes.length));
	const data = new Uint8Array(valueOffsets[values.length]);
	encoded.forEach((bytes, i) => data.set(bytes, valueOffsets[i]));
	return makeVector(makeData({ type: new Utf8(), length: values.length, ...validity(values), valueOffsets, data }));
}
