// Bytes of a file of a run folder read by position, never through a link (openNoFollow), and
// the schema message an Arrow IPC stream file starts with (its metadata included): read by
// RunSource (run-source.ts) and, without loading apache-arrow, by compacted-summary.ts.
import { closeSync, constants, readSync } from 'node:fs';
import { openNoFollow } from '../engine/atomic-file.ts';

/** `length` bytes from `position` (fewer at the end), never through a link (openNoFollow). */
export function readRange(path: string, position: number, length: number): Uint8Array {
	const fd = openNoFollow(path, constants.O_RDONLY);
	try {
		const out = new Uint8Array(length);
		let at = 0;
		while (at < length) {
			const n = readSync(fd, out, at, length - at, position + at);
			if (n === 0) break;
			at += n;
		}
		return out.subarray(0, at);
	} finally {
		closeSync(fd);
	}
}

/** The first bytes of an IPC stream file: enough for its schema message (metadata included); the message's flatbuffer starts at byte 8 (4 in a pre-1.0 stream: messageStart). */
export function readHead(path: string): Uint8Array {
	const first = readRange(path, 0, 8);
	if (first.length < 8) throw new Error('too short');
	const view = new DataView(first.buffer, first.byteOffset, 8);
	const length = view.getInt32(0, true) === -1 ? view.getInt32(4, true) + 8 : view.getInt32(0, true) + 4;
	if (length <= 0 || length > 16 * 1024 * 1024) throw new Error('bad schema message');
	return readRange(path, 0, length);
}

/** Where the schema message's flatbuffer starts in readHead's bytes: after the continuation marker and length, or the length alone (pre-1.0). */
export function messageStart(head: Uint8Array): number {
	return new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true) === -1 ? 8 : 4;
}
