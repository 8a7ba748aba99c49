// Arrow columns built straight into their buffers (validity bitmap, offsets, values), one
// pass per column. apache-arrow's generic `vectorFromArray` goes through a Builder, a
// type-dispatched setter per value; for a 2,000-row run that was most of the end-of-run
// compaction (17–50 ms, before JIT warm-up), which sits on the run's critical path.
// Values are stored as the Builder stores them (Int32 wraps, a bool is its truthiness, a
// timestamp is BigInt(ms), null slots hold zeros), so the IPC bytes come out the same.
import { Bool, Float64, Int32, makeData, makeVector, TimestampMillisecond, Utf8, type Vector } from 'apache-arrow';

type Nullable<T> = T | null | undefined;

/** Bytes for `length` bits, padded to 64 bytes as the Builder pads (the IPC writer keeps a
 * bitmap's padding, so this keeps the bytes identical). */
const bitmapBytes = (length: number) => ((((length + 7) >> 3) + 63) >> 6) << 6;

/** Validity bitmap (bit set = value present) and null count; no bitmap when nothing is null. */
function validity(length: number, isNull: (i: number) => boolean): { nullBitmap: Uint8Array | undefined; nullCount: number } {
	let nullCount = 0;
	for (let i = 0; i < length; i++) if (isNull(i)) nullCount++;
	if (nullCount === 0) return { nullBitmap: undefined, nullCount: 0 };
	const bitmap = new Uint8Array(bitmapBytes(length));
	for (let i = 0; i < length; i++) if (!isNull(i)) bitmap[i >> 3] |= 1 << (i & 7);
	return { nullBitmap: bitmap, nullCount };
}

export function utf8Column(values: Nullable<string>[]): Vector {
	const n = values.length;
	const { nullBitmap, nullCount } = validity(n, (i) => values[i] == null);
	const valueOffsets = new Int32Array(n + 1);
	const encoder = new TextEncoder();
	// Start at one byte per UTF-16 unit (exact for ASCII) and grow when a string needs more.
	let size = 16;
	for (let i = 0; i < n; i++) size += values[i]?.length ?? 0;
	let data = new Uint8Array(size);
	let at = 0;
	for (let i = 0; i < n; i++) {
		const value = values[i];
		if (value != null && value.length > 0) {
			for (;;) {
				const { read, written } = encoder.encodeInto(value, data.subarray(at));
				if (read === value.length) {
					at += written;
					break;
				}
				const bigger = new Uint8Array(Math.max(data.length * 2, at + value.length * 3));
				bigger.set(data.subarray(0, at));
				data = bigger;
			}
		}
		valueOffsets[i + 1] = at;
	}
	return makeVector(makeData({ type: new Utf8(), length: n, nullCount, nullBitmap, valueOffsets, data: data.subarray(0, at) }));
}

/** The same string in every row (the run id column). */
export function constantUtf8Column(value: string, length: number): Vector {
	const bytes = new TextEncoder().encode(value);
	const data = new Uint8Array(bytes.length * length);
	const valueOffsets = new Int32Array(length + 1);
	for (let i = 0; i < length; i++) {
		data.set(bytes, i * bytes.length);
		valueOffsets[i + 1] = (i + 1) * bytes.length;
	}
	return makeVector(makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets, data }));
}

export function int32Column(values: Nullable<number>[]): Vector {
	const n = values.length;
	const { nullBitmap, nullCount } = validity(n, (i) => values[i] == null);
	const data = new Int32Array(n);
	for (let i = 0; i < n; i++) data[i] = values[i] ?? 0;
	return makeVector(makeData({ type: new Int32(), length: n, nullCount, nullBitmap, data }));
}

export function float64Column(values: Nullable<number>[]): Vector {
	const n = values.length;
	const { nullBitmap, nullCount } = validity(n, (i) => values[i] == null);
	const data = new Float64Array(n);
	for (let i = 0; i < n; i++) data[i] = values[i] ?? 0;
	return makeVector(makeData({ type: new Float64(), length: n, nullCount, nullBitmap, data }));
}

export function boolColumn(values: Nullable<boolean | number | string>[]): Vector {
	const n = values.length;
	const { nullBitmap, nullCount } = validity(n, (i) => values[i] == null);
	const data = new Uint8Array(bitmapBytes(n));
	for (let i = 0; i < n; i++) if (values[i]) data[i >> 3] |= 1 << (i & 7);
	return makeVector(makeData({ type: new Bool(), length: n, nullCount, nullBitmap, data }));
}

/** Milliseconds since the epoch; BigInt() throws on NaN, as the Builder's setter does. */
export function timestampMsColumn(values: Nullable<number>[]): Vector {
	const n = values.length;
	const { nullBitmap, nullCount } = validity(n, (i) => values[i] == null);
	const data = new BigInt64Array(n);
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (v != null) data[i] = BigInt(v);
	}
	return makeVector(makeData({ type: new TimestampMillisecond(), length: n, nullCount, nullBitmap, data }));
}
