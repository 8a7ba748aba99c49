// A table with columns and no rows, as an Arrow IPC stream: what a table that has no file yet
// (the human labels before the first one is given) is served as, so SQL that reads it binds
// and finds nothing instead of failing on a missing table. Built with makeData (no Builders:
// this may run under the page's Content-Security-Policy).
import { Bool, Table, Utf8, makeData, makeVector, tableToIPC, type Vector } from 'apache-arrow';

export type EmptyColumnType = 'Utf8' | 'Bool';

export function emptyTableIPC(columns: readonly { name: string; type: EmptyColumnType }[]): Uint8Array {
	const vectors: Record<string, Vector> = {};
	for (const { name, type } of columns) {
		vectors[name] =
			type === 'Bool'
				? makeVector(makeData({ type: new Bool(), length: 0, data: new Uint8Array(0) }))
				: makeVector(makeData({ type: new Utf8(), length: 0, valueOffsets: new Int32Array(1), data: new Uint8Array(0) }));
	}
	return tableToIPC(new Table(vectors), 'stream');
}
