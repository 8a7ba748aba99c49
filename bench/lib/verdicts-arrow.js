// The generated verdict columns as an Arrow IPC *stream* (the format insertArrowFromIPCStream
// needs). Text columns are plain Utf8 by default, as the workbench server sends its tables,
// built straight into offset/byte buffers because vectorFromArray over 5M strings is slow; or,
// for comparison, dictionary-encoded (a few distinct strings plus one small index per row).
import { Bool, Dictionary, Float64, Int8, Int16, Int32, Table, Utf8, makeData, makeVector, tableToIPC } from 'apache-arrow';
import { VERDICT_COLUMNS } from './verdicts-columns.js';

const utf8 = new TextEncoder();

/** @param {{ values: string[], codes: ArrayLike<number> }} column */
function utf8Vector({ values, codes }) {
	const encoded = values.map((v) => utf8.encode(v));
	let total = 0;
	for (let i = 0; i < codes.length; i++) total += encoded[codes[i]].length;
	const offsets = new Int32Array(codes.length + 1);
	const bytes = new Uint8Array(total);
	let at = 0;
	for (let i = 0; i < codes.length; i++) {
		const e = encoded[codes[i]];
		bytes.set(e, at);
		at += e.length;
		offsets[i + 1] = at;
	}
	return makeVector(makeData({ type: new Utf8(), length: codes.length, nullCount: 0, valueOffsets: offsets, data: bytes }));
}

let nextDictionaryId = 0;

/** @param {{ values: string[], codes: ArrayLike<number> }} column */
function dictionaryVector({ values, codes }) {
	const [IndexType, Indices] = values.length <= 127 ? [Int8, Int8Array] : values.length <= 32767 ? [Int16, Int16Array] : [Int32, Int32Array];
	const dictionary = utf8Vector({ values, codes: values.map((_, i) => i) });
	const type = new Dictionary(new Utf8(), new IndexType(), nextDictionaryId++);
	return makeVector(makeData({ type, length: codes.length, nullCount: 0, data: Indices.from(codes), dictionary }));
}

/** @param {Int8Array} flags 1 / 0 / -1 (null) */
function boolVector(flags) {
	const bytes = (flags.length + 7) >> 3;
	const values = new Uint8Array(bytes);
	const valid = new Uint8Array(bytes);
	let nullCount = 0;
	for (let i = 0; i < flags.length; i++) {
		if (flags[i] < 0) nullCount++;
		else {
			valid[i >> 3] |= 1 << (i & 7);
			if (flags[i] === 1) values[i >> 3] |= 1 << (i & 7);
		}
	}
	return makeVector(makeData({ type: new Bool(), length: flags.length, nullCount, nullBitmap: valid, data: values }));
}

/**
 * @param {ReturnType<typeof import('./verdicts-columns.js').generateVerdictColumns>} columns
 * @param {{ dictionary?: boolean }} [options]
 */
export function verdictsToArrowStream(columns, { dictionary = false } = {}) {
	const text = dictionary ? dictionaryVector : utf8Vector;
	const vectors = {
		...Object.fromEntries(Object.entries(columns.text).map(([name, column]) => [name, text(column)])),
		vulnerable: boolVector(columns.vulnerable),
		score: makeVector(makeData({ type: new Float64(), length: columns.rowCount, nullCount: 0, data: columns.score }))
	};
	const table = new Table(Object.fromEntries(VERDICT_COLUMNS.map((name) => [name, vectors[name]])));
	return tableToIPC(table, 'stream');
}
