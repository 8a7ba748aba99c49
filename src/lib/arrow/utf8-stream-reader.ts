// A small reader for Arrow IPC streams whose columns are all Utf8 (the items table that
// `covw data import` writes: node/coveval/items-arrow.ts), without apache-arrow: loading that
// package costs a command-line run more CPU than decoding the table. It reads the flatbuffer
// messages (Message, Schema, Field, RecordBatch) directly, and answers null for anything else
// (another column type, dictionaries, compression, big-endian data, a malformed stream), so
// the caller falls back to apache-arrow, which reads everything and names what is wrong.
// Format: https://arrow.apache.org/docs/format/Columnar.html#serialization-and-interprocess-communication-ipc

const UTF8_TYPE = 5; // Type union: Utf8
const SCHEMA = 1; // MessageHeader union: Schema
const RECORD_BATCH = 3; // MessageHeader union: RecordBatch

/** A column's values per record batch: each row's string, or null. */
export interface Utf8Table {
	names: string[];
	numRows: number;
	/** The values of column `name` for rows [0, numRows), or undefined for a column the table lacks. */
	column(name: string): ((row: number) => string | null) | undefined;
}

class Flat {
	readonly view: DataView;
	constructor(readonly bytes: Uint8Array) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}
	u8 = (at: number) => this.view.getUint8(at);
	u16 = (at: number) => this.view.getUint16(at, true);
	i32 = (at: number) => this.view.getInt32(at, true);
	u32 = (at: number) => this.view.getUint32(at, true);
	/** A 64-bit length or offset; beyond 2^53 is no table of ours. */
	i64(at: number): number {
		const value = this.view.getBigInt64(at, true);
		if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('64-bit value out of range');
		return Number(value);
	}
	/** Where field `slot` of the table at `table` lies, or 0 when absent. */
	field(table: number, slot: number): number {
		const vtable = table - this.i32(table);
		const size = this.u16(vtable);
		const offset = 4 + 2 * slot < size ? this.u16(vtable + 4 + 2 * slot) : 0;
		return offset === 0 ? 0 : table + offset;
	}
	/** The table, vector or string a field's offset points to. */
	deref(at: number): number {
		return at + this.u32(at);
	}
	str(at: number): string {
		const start = this.deref(at);
		return new TextDecoder().decode(this.bytes.subarray(start + 4, start + 4 + this.u32(start)));
	}
}

interface Batch {
	length: number;
	/** Per column: validity bitmap (or null), offsets, data. */
	columns: { validity: Uint8Array | null; offsets: Int32Array; data: Uint8Array }[];
}

/** The table, or null when the stream holds anything this reader does not read (use apache-arrow). */
export function readUtf8Stream(bytes: Uint8Array): Utf8Table | null {
	try {
		return read(bytes);
	} catch {
		return null;
	}
}

function read(bytes: Uint8Array): Utf8Table | null {
	const whole = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let at = 0;
	let names: string[] | null = null;
	const batches: Batch[] = [];
	for (;;) {
		if (at + 4 > bytes.length) break; // a stream may end without its end marker
		let length = whole.getInt32(at, true);
		at += 4;
		if (length === -1) {
			if (at + 4 > bytes.length) break;
			length = whole.getInt32(at, true);
			at += 4;
		}
		if (length === 0) break; // end of stream
		if (length < 0 || at + length > bytes.length) return null;
		const meta = new Flat(bytes.subarray(at, at + length));
		at += length;
		const message = meta.u32(0);
		const typeAt = meta.field(message, 1);
		const headerAt = meta.field(message, 2);
		const bodyAt = meta.field(message, 3);
		const bodyLength = bodyAt ? meta.i64(bodyAt) : 0;
		if (!typeAt || !headerAt || at + bodyLength > bytes.length) return null;
		const header = meta.deref(headerAt);
		const body = bytes.subarray(at, at + bodyLength);
		at += bodyLength;
		const type = meta.u8(typeAt);
		if (type === SCHEMA) {
			if (names !== null) return null;
			names = schemaNames(meta, header);
			if (names === null) return null;
		} else if (type === RECORD_BATCH) {
			if (names === null) return null;
			const batch = recordBatch(meta, header, body, names.length);
			if (batch === null) return null;
			batches.push(batch);
		} else {
			return null; // dictionary batches, tensors
		}
	}
	if (names === null) return null;
	return table(names, batches);
}

/** The column names, or null unless every field is a plain little-endian Utf8 column. */
function schemaNames(meta: Flat, schema: number): string[] | null {
	const endianness = meta.field(schema, 0);
	if (endianness && meta.u16(endianness) !== 0) return null;
	const fieldsAt = meta.field(schema, 1);
	if (!fieldsAt) return [];
	const vector = meta.deref(fieldsAt);
	const names: string[] = [];
	for (let i = 0; i < meta.u32(vector); i++) {
		const field = meta.deref(vector + 4 + 4 * i);
		const typeType = meta.field(field, 2);
		if (!typeType || meta.u8(typeType) !== UTF8_TYPE) return null;
		if (meta.field(field, 4)) return null; // dictionary-encoded
		const children = meta.field(field, 5);
		if (children && meta.u32(meta.deref(children)) !== 0) return null;
		const name = meta.field(field, 0);
		names.push(name ? meta.str(name) : '');
	}
	return names;
}

function recordBatch(meta: Flat, batch: number, body: Uint8Array, columns: number): Batch | null {
	if (meta.field(batch, 3)) return null; // compressed buffers
	const lengthAt = meta.field(batch, 0);
	const length = lengthAt ? meta.i64(lengthAt) : 0;
	const nodesAt = meta.field(batch, 1);
	const buffersAt = meta.field(batch, 2);
	const nodes = nodesAt ? meta.deref(nodesAt) : 0;
	const buffers = buffersAt ? meta.deref(buffersAt) : 0;
	if ((nodes ? meta.u32(nodes) : 0) !== columns || (buffers ? meta.u32(buffers) : 0) !== 3 * columns) return null;
	const buffer = (i: number) => {
		const offset = meta.i64(buffers + 4 + 16 * i);
		const size = meta.i64(buffers + 4 + 16 * i + 8);
		if (offset + size > body.length) throw new Error('buffer outside the body');
		return body.subarray(offset, offset + size);
	};
	const out: Batch = { length, columns: [] };
	for (let c = 0; c < columns; c++) {
		const nodeLength = meta.i64(nodes + 4 + 16 * c);
		const nullCount = meta.i64(nodes + 4 + 16 * c + 8);
		if (nodeLength !== length) return null;
		const validity = buffer(3 * c);
		const offsetBytes = buffer(3 * c + 1);
		if (offsetBytes.length < 4 * (length + 1)) return null;
		// Copied when unaligned (an Int32Array view needs a multiple of 4 as its byte offset).
		const aligned = offsetBytes.byteOffset % 4 === 0 ? offsetBytes : offsetBytes.slice();
		const offsets = new Int32Array(aligned.buffer, aligned.byteOffset, length + 1);
		const data = buffer(3 * c + 2);
		if (offsets[0] < 0 || offsets[length] > data.length) return null;
		if (nullCount > 0 && validity.length < Math.ceil(length / 8)) return null;
		out.columns.push({ validity: nullCount > 0 ? validity : null, offsets, data });
	}
	return out;
}

function table(names: string[], batches: Batch[]): Utf8Table {
	const numRows = batches.reduce((n, b) => n + b.length, 0);
	// Row → (batch, row in batch); most tables are one batch.
	const starts: number[] = [];
	let total = 0;
	for (const b of batches) {
		starts.push(total);
		total += b.length;
	}
	const decoder = new TextDecoder();
	return {
		names,
		numRows,
		column(name) {
			const c = names.indexOf(name);
			if (c < 0) return undefined;
			return (row) => {
				let k = batches.length - 1;
				while (k > 0 && starts[k] > row) k--;
				const b = batches[k];
				const i = row - starts[k];
				const col = b.columns[c];
				if (col.validity && (col.validity[i >> 3] & (1 << (i & 7))) === 0) return null;
				return decoder.decode(col.data.subarray(col.offsets[i], col.offsets[i + 1]));
			};
		}
	};
}
