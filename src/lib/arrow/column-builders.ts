import { Bool, Float64, Utf8, makeData, type Data } from 'apache-arrow';

/**
 * Fixed-length column builders that write straight into the typed arrays Arrow keeps, so a
 * million-row file never becomes a million JS objects. Rows are filled in order, 0..length-1.
 */

/** Arrow validity bitmap: bit i set = row i has a value. Starts all-valid; nulls clear bits. */
class Validity {
	readonly bits: Uint8Array;
	nullCount = 0;
	constructor(length: number) {
		this.bits = new Uint8Array((length + 7) >> 3).fill(0xff);
	}
	setNull(row: number): void {
		this.bits[row >> 3] &= ~(1 << (row & 7));
		this.nullCount++;
	}
	/** Arrow wants no bitmap at all when nothing is null. */
	buffer(): Uint8Array | undefined {
		return this.nullCount === 0 ? undefined : this.bits;
	}
}

export class Float64ColumnBuilder {
	private readonly values: Float64Array;
	private readonly validity: Validity;
	constructor(readonly length: number) {
		this.values = new Float64Array(length);
		this.validity = new Validity(length);
	}
	set(row: number, value: number): void {
		this.values[row] = value;
	}
	setNull(row: number): void {
		this.validity.setNull(row);
	}
	finish(): Data<Float64> {
		return makeData({
			type: new Float64(),
			length: this.length,
			nullCount: this.validity.nullCount,
			nullBitmap: this.validity.buffer(),
			data: this.values
		});
	}
}

export class BoolColumnBuilder {
	private readonly values: Uint8Array;
	private readonly validity: Validity;
	constructor(readonly length: number) {
		this.values = new Uint8Array((length + 7) >> 3);
		this.validity = new Validity(length);
	}
	set(row: number, value: boolean): void {
		if (value) this.values[row >> 3] |= 1 << (row & 7);
	}
	setNull(row: number): void {
		this.validity.setNull(row);
	}
	finish(): Data<Bool> {
		return makeData({
			type: new Bool(),
			length: this.length,
			nullCount: this.validity.nullCount,
			nullBitmap: this.validity.buffer(),
			data: this.values
		});
	}
}

const QUOTE = 0x22;
const encoder = new TextEncoder();

/**
 * Utf8 column. Rows must be appended in order (each call fills the next row). `byteCapacity`
 * is a hint; the data buffer grows by doubling when it is exceeded.
 */
export class Utf8ColumnBuilder {
	private readonly offsets: Int32Array;
	private readonly validity: Validity;
	private data: Uint8Array;
	private row = 0;
	private used = 0;
	constructor(
		readonly length: number,
		byteCapacity = 16 * length
	) {
		this.offsets = new Int32Array(length + 1);
		this.validity = new Validity(length);
		this.data = new Uint8Array(Math.max(16, byteCapacity));
	}

	/** Copies source[start, end) as this row's UTF-8 bytes; with `undoubleQuotes`, "" becomes ". */
	appendBytes(source: Uint8Array, start: number, end: number, undoubleQuotes: boolean): void {
		this.reserve(end - start);
		const data = this.data;
		let used = this.used;
		if (undoubleQuotes) {
			for (let i = start; i < end; i++) {
				const byte = source[i];
				data[used++] = byte;
				if (byte === QUOTE) i++; // the second quote of a doubled pair
			}
		} else if (end - start < 32) {
			for (let i = start; i < end; i++) data[used++] = source[i];
		} else {
			data.set(source.subarray(start, end), used);
			used += end - start;
		}
		this.used = used;
		this.offsets[++this.row] = used;
	}

	appendString(value: string): void {
		// A UTF-16 code unit becomes at most 3 UTF-8 bytes.
		this.reserve(value.length * 3);
		const { written } = encoder.encodeInto(value, this.data.subarray(this.used));
		this.used += written;
		this.offsets[++this.row] = this.used;
	}

	appendNull(): void {
		this.validity.setNull(this.row);
		this.offsets[++this.row] = this.used;
	}

	finish(): Data<Utf8> {
		if (this.row !== this.length) {
			throw new Error(`Utf8ColumnBuilder: filled ${this.row} of ${this.length} rows`);
		}
		return makeData({
			type: new Utf8(),
			length: this.length,
			nullCount: this.validity.nullCount,
			nullBitmap: this.validity.buffer(),
			valueOffsets: this.offsets,
			data: this.data.subarray(0, this.used)
		});
	}

	private reserve(extra: number): void {
		const needed = this.used + extra;
		if (needed <= this.data.length) return;
		if (needed > 0x7fffffff) throw new Error('a text column is larger than 2 GiB (Arrow Utf8 limit)');
		let size = this.data.length * 2;
		while (size < needed) size *= 2;
		const grown = new Uint8Array(Math.min(size, 0x7fffffff));
		grown.set(this.data.subarray(0, this.used));
		this.data = grown;
	}
}
