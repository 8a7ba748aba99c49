// A bounds check of an Arrow IPC file's metadata, before apache-arrow reads it. apache-arrow
// trusts the flatbuffer counts it finds: a 328-byte file whose schema claims 1.6 billion fields
// makes it build field objects until the process runs out of memory (found by fuzzing; a data
// folder from someone else could kill the server). Here every message and the file footer are
// walked with a small flatbuffer reader that checks each table, vector and string lies inside
// its buffer, each body inside the file, and nesting and column counts within bounds. Only
// the shape is checked; apache-arrow still does the reading.
//
// Layout (Arrow columnar format, IPC): a stream is messages of [0xFFFFFFFF][int32 metadata
// length][Message flatbuffer][body], ended by a zero length (pre-1.0: no 0xFFFFFFFF); a file is
// "ARROW1\0\0", a stream, a Footer flatbuffer, its int32 length and "ARROW1".

export class ArrowShapeError extends Error {}

const MAX_NESTING = 64;

/** A flatbuffer table reader that refuses any position outside its bytes (also runs/compacted-summary.ts). */
export class Flat {
	private readonly view: DataView;
	constructor(readonly bytes: Uint8Array) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}
	private need(position: number, size: number): void {
		if (!Number.isInteger(position) || position < 0 || position + size > this.bytes.length) {
			throw new ArrowShapeError('metadata points outside its buffer');
		}
	}
	u16(p: number): number {
		this.need(p, 2);
		return this.view.getUint16(p, true);
	}
	u32(p: number): number {
		this.need(p, 4);
		return this.view.getUint32(p, true);
	}
	i32(p: number): number {
		this.need(p, 4);
		return this.view.getInt32(p, true);
	}
	/** A non-negative int64 as a number (bodies and lengths); refuses ≥ 2^53. */
	u64(p: number): number {
		this.need(p, 8);
		const high = this.view.getUint32(p + 4, true);
		if (high >= 1 << 21) throw new ArrowShapeError('a length in the metadata is out of range');
		return high * 2 ** 32 + this.view.getUint32(p, true);
	}
	root(): number {
		return this.u32(0);
	}
	/** Position of field `index` of the table at `table`, or null when absent. */
	field(table: number, index: number): number | null {
		const vtable = table - this.i32(table);
		const vtableSize = this.u16(vtable);
		this.need(vtable, vtableSize);
		const slot = 4 + 2 * index;
		if (slot + 2 > vtableSize) return null;
		const offset = this.u16(vtable + slot);
		if (offset === 0) return null;
		this.need(table, offset + 1);
		return table + offset;
	}
	/** The table an offset field points to, or null. */
	table(table: number, index: number): number | null {
		const at = this.field(table, index);
		if (at === null) return null;
		const target = at + this.u32(at);
		this.i32(target); // its vtable offset must be readable
		return target;
	}
	/** A vector field: its element positions' start and length, checked against the buffer. */
	vector(table: number, index: number, elementSize: number): { start: number; length: number } | null {
		const at = this.field(table, index);
		if (at === null) return null;
		const position = at + this.u32(at);
		const length = this.u32(position);
		if (length * elementSize > this.bytes.length) throw new ArrowShapeError(`metadata claims ${length} entries in ${this.bytes.length} bytes`);
		this.need(position + 4, length * elementSize);
		return { start: position + 4, length };
	}
	/** Each table of a vector of tables. */
	tables(table: number, index: number): number[] {
		const vector = this.vector(table, index, 4);
		if (!vector) return [];
		return Array.from({ length: vector.length }, (_, i) => {
			const at = vector.start + 4 * i;
			const target = at + this.u32(at);
			this.i32(target);
			return target;
		});
	}
}

function checkKeyValues(flat: Flat, table: number, index: number): void {
	for (const pair of flat.tables(table, index)) {
		flat.vector(pair, 0, 1); // key
		flat.vector(pair, 1, 1); // value
	}
}

/** Field: 0 name, 1 nullable, 2 type_type, 3 type, 4 dictionary, 5 children, 6 custom_metadata. */
function checkField(flat: Flat, field: number, depth: number, count: { fields: number }): void {
	if (depth > MAX_NESTING) throw new ArrowShapeError(`fields nested more than ${MAX_NESTING} levels deep`);
	if (++count.fields > 1_000_000) throw new ArrowShapeError('more than a million fields');
	flat.vector(field, 0, 1);
	flat.table(field, 3);
	const dictionary = flat.table(field, 4);
	if (dictionary !== null) flat.table(dictionary, 1); // its index type
	for (const child of flat.tables(field, 5)) checkField(flat, child, depth + 1, count);
	checkKeyValues(flat, field, 6);
}

/** Schema: 0 endianness, 1 fields, 2 custom_metadata, 3 features. Returns the column count. */
function checkSchema(flat: Flat, schema: number): number {
	const fields = flat.tables(schema, 1);
	const count = { fields: 0 };
	for (const field of fields) checkField(flat, field, 1, count);
	checkKeyValues(flat, schema, 2);
	flat.vector(schema, 3, 8);
	return fields.length;
}

/**
 * RecordBatch: 0 length, 1 nodes (16-byte structs: length, null_count), 2 buffers (16-byte
 * structs: offset, length), 3 compression, 4 variadic counts. Every buffer lies in the body;
 * no array is longer than its bytes could hold (8 rows a byte, the densest there is — a
 * bitmap — plus a few rows of nulls that need no bytes), its null count within its length.
 * (A field node claiming 4·10^16 rows made apache-arrow loop for good: found by fuzzing.)
 */
function checkRecordBatch(flat: Flat, batch: number, body: number): void {
	const lengthAt = flat.field(batch, 0);
	const length = lengthAt === null ? 0 : flat.u64(lengthAt);
	const maxRows = Math.min(2 ** 31 - 1, 8 * body + 1024);
	if (length > maxRows) throw new ArrowShapeError(`a record batch claims ${length} rows in ${body} bytes`);
	const nodes = flat.vector(batch, 1, 16);
	for (let i = 0; nodes && i < nodes.length; i++) {
		const rows = flat.u64(nodes.start + 16 * i);
		const nulls = flat.u64(nodes.start + 16 * i + 8);
		if (rows > Math.max(length, maxRows) || nulls > rows) throw new ArrowShapeError(`column ${i + 1} claims ${rows} rows (${nulls} null) in ${body} bytes`);
	}
	const buffers = flat.vector(batch, 2, 16);
	for (let i = 0; buffers && i < buffers.length; i++) {
		const offset = flat.u64(buffers.start + 16 * i);
		const size = flat.u64(buffers.start + 16 * i + 8);
		if (offset + size > body) throw new ArrowShapeError(`buffer ${i + 1} lies outside its message body`);
	}
	flat.table(batch, 3);
	flat.vector(batch, 4, 8);
}

/** Message: 0 version, 1 header_type, 2 header, 3 bodyLength, 4 custom_metadata. Returns its body length and columns. */
function checkMessage(bytes: Uint8Array): { body: number; columns: number | null } {
	const flat = new Flat(bytes);
	const message = flat.root();
	const typeAt = flat.field(message, 1);
	const headerType = typeAt === null ? 0 : bytes[typeAt];
	const header = flat.table(message, 2);
	const bodyAt = flat.field(message, 3);
	const body = bodyAt === null ? 0 : flat.u64(bodyAt);
	checkKeyValues(flat, message, 4);
	let columns: number | null = null;
	// A message without a header (type NONE) is invalid; apache-arrow's file reader never got past one.
	if (header === null) throw new ArrowShapeError(`a message has no header (type ${headerType})`);
	{
		if (headerType === 1) columns = checkSchema(flat, header);
		else if (headerType === 3) checkRecordBatch(flat, header, body);
		else if (headerType === 2) {
			const data = flat.table(header, 1);
			if (data !== null) checkRecordBatch(flat, data, body);
		} else throw new ArrowShapeError(`unsupported message type ${headerType}`);
	}
	return { body, columns };
}

/** Footer: 0 version, 1 schema, 2 dictionaries (24-byte blocks), 3 record batches (24-byte blocks), 4 custom_metadata. */
function checkFooter(bytes: Uint8Array, footerStart: number): number | null {
	const flat = new Flat(bytes);
	const footer = flat.root();
	const schema = flat.table(footer, 1);
	// Block: offset (int64), metadata length (int32, padded), body length (int64): inside the file.
	for (const index of [2, 3]) {
		const blocks = flat.vector(footer, index, 24);
		for (let i = 0; blocks && i < blocks.length; i++) {
			const at = blocks.start + 24 * i;
			const end = flat.u64(at) + flat.u32(at + 8) + flat.u64(at + 16);
			if (flat.u64(at) < 8 || end > footerStart) throw new ArrowShapeError('the footer points outside the file');
		}
	}
	checkKeyValues(flat, footer, 4);
	return schema === null ? null : checkSchema(flat, schema);
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * Throws ArrowShapeError when the metadata of an Arrow IPC file or stream is out of bounds;
 * returns the number of columns its schema declares (null when it has none).
 */
export function checkArrowMetadata(bytes: Uint8Array, maxColumns: number): number | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const n = bytes.length;
	const isFile = n >= 8 && MAGIC.every((b, i) => bytes[i] === b);
	let end = n;
	let columns: number | null = null;
	const count = (found: number | null) => {
		if (found === null) return;
		if (found > maxColumns) throw new ArrowShapeError(`more than ${maxColumns} columns (the limit on columns in a table)`);
		columns ??= found;
	};
	if (isFile) {
		if (n < 18 || !MAGIC.every((b, i) => bytes[n - 6 + i] === b)) throw new ArrowShapeError('an Arrow file must end with its footer and "ARROW1"');
		const footerLength = view.getInt32(n - 10, true);
		const footerStart = n - 10 - footerLength;
		if (footerLength <= 0 || footerStart < 8) throw new ArrowShapeError('the footer length is out of range');
		count(checkFooter(bytes.subarray(footerStart, n - 10), footerStart));
		end = footerStart;
	}
	let position = isFile ? 8 : 0;
	for (let messages = 0; position + 4 <= end; messages++) {
		let length = view.getInt32(position, true);
		let metadata = position + 4;
		if (length === -1) {
			if (position + 8 > end) break;
			length = view.getInt32(position + 4, true);
			metadata = position + 8;
		}
		if (length === 0) break; // end of stream
		if (length < 0 || metadata + length > end) throw new ArrowShapeError('a message runs past the end of the file');
		const { body, columns: found } = checkMessage(bytes.subarray(metadata, metadata + length));
		count(found);
		if (body > end - (metadata + length)) throw new ArrowShapeError('a message body runs past the end of the file');
		position = metadata + length + body;
	}
	return columns;
}
