// Plain JS columns (from a stats cell, say) → an Arrow IPC *stream*, the one format DuckDB-WASM's
// insertArrowFromIPCStream accepts (the file format silently creates nothing).
import { Table, tableToIPC, vectorFromArray, Float64, Utf8, type Vector } from 'apache-arrow';

export type PlainColumns = Record<string, (number | string | null)[]>;

export function columnsToIPC(columns: PlainColumns): Uint8Array {
	const vectors: Record<string, Vector<Float64> | Vector<Utf8>> = {};
	for (const [name, values] of Object.entries(columns)) {
		const numeric = values.every((v) => v === null || typeof v === 'number');
		vectors[name] = numeric
			? vectorFromArray(values, new Float64())
			: vectorFromArray(values.map((v) => (v === null ? null : String(v))), new Utf8());
	}
	return tableToIPC(new Table(vectors), 'stream');
}
