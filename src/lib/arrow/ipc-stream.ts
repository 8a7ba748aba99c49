// Arrow IPC stream framing, enough to serve many runs' rows as one table without decoding
// them: a stream is a schema message, record batch messages, then an end-of-stream marker.
// Every run of a kind is encoded in the same fixed schema (run-schema.ts), so the served
// table is one schema message followed by each run's record batches, byte for byte as they
// were encoded (on disk for a finished run, in memory for a live one).
import { RecordBatchReader, type Schema } from 'apache-arrow';
import { concatBytes } from '../core/text/concat-bytes.ts';

/** The end-of-stream marker: continuation token, then a zero metadata length. */
export const END_OF_STREAM = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]);

/** Where one stream's parts lie: [0, schemaEnd) the schema, [schemaEnd, batchesEnd) its batches. */
export interface StreamParts {
	schemaEnd: number;
	batchesEnd: number;
}

/** Splits stream bytes into schema and batches; throws on bytes that are not an IPC stream. */
export function streamParts(bytes: Uint8Array): StreamParts {
	if (bytes.length < 8) throw new Error('not an Arrow IPC stream (too short)');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const first = view.getInt32(0, true);
	// Since Arrow 0.15 a message opens with 0xFFFFFFFF then its length; before, the length alone.
	const [header, length] = first === -1 ? [8, view.getInt32(4, true)] : [4, first];
	const schemaEnd = header + length;
	if (length <= 0 || schemaEnd > bytes.length) throw new Error('not an Arrow IPC stream (bad schema message)');
	const tail = bytes.subarray(bytes.length - 8);
	const endsWithEos = bytes.length - 8 >= schemaEnd && tail.every((b, i) => b === END_OF_STREAM[i]);
	return { schemaEnd, batchesEnd: endsWithEos ? bytes.length - 8 : bytes.length };
}

/** The schema (with its metadata) of stream bytes, reading the schema message only. */
export function streamSchema(bytes: Uint8Array): Schema {
	const { schemaEnd } = streamParts(bytes);
	const head = new Uint8Array(schemaEnd + 8);
	head.set(bytes.subarray(0, schemaEnd));
	head.set(END_OF_STREAM, schemaEnd);
	const reader = RecordBatchReader.from(head);
	reader.open();
	return reader.schema;
}

/** The record batches of stream bytes, as they are (no schema, no end marker). */
export function streamBatches(bytes: Uint8Array): Uint8Array {
	const { schemaEnd, batchesEnd } = streamParts(bytes);
	return bytes.subarray(schemaEnd, batchesEnd);
}

/** One stream from a schema message and batch byte ranges. */
export function joinStream(schema: Uint8Array, batches: Iterable<Uint8Array>): Uint8Array {
	return concatBytes([schema, ...batches, END_OF_STREAM]);
}
