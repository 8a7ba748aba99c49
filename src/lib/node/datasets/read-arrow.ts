import { tableFromIPC, type Table } from 'apache-arrow';
import { DataFileError } from './table-info.ts';
import { checkArrowMetadata } from './arrow-metadata-check.ts';
import { DATA_LIMITS, type DataLimits } from './limits.ts';

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * Arrow IPC, file or stream format (apache-arrow tells them apart by the magic bytes).
 * Garbage is rejected up front: a stream must open with a message (the 0xFFFFFFFF
 * continuation marker, or a pre-1.0 length prefix), and the result must have a schema.
 * The metadata's counts and offsets are bounds-checked before apache-arrow reads it
 * (arrow-metadata-check.ts): apache-arrow trusts them, and a few wrong bytes can make it
 * allocate until the process dies.
 */
export function readArrow(bytes: Uint8Array, file: string, limits: DataLimits = DATA_LIMITS): Table {
	if (!looksLikeArrow(bytes)) {
		throw new DataFileError(`${file}: not an Arrow IPC file or stream (no Arrow header)`);
	}
	try {
		checkArrowMetadata(bytes, limits.maxColumns);
	} catch (error) {
		throw new DataFileError(`${file}: unreadable Arrow IPC data (${(error as Error).message})`);
	}
	let table: Table;
	try {
		table = tableFromIPC(bytes);
	} catch (error) {
		throw new DataFileError(`${file}: unreadable Arrow IPC data (${(error as Error).message})`);
	}
	if (table.schema.fields.length === 0) {
		throw new DataFileError(`${file}: Arrow data without any column`);
	}
	return table;
}

function looksLikeArrow(bytes: Uint8Array): boolean {
	if (bytes.length >= 8 && FILE_MAGIC.every((byte, i) => bytes[i] === byte)) return true;
	if (bytes.length < 8) return false;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const first = view.getUint32(0, true);
	if (first === 0xffffffff) return true;
	// Legacy stream: the first word is the schema message's length.
	return first > 0 && first < bytes.length;
}
