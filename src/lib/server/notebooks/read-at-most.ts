// A notebook file read with a cap on the bytes read, not only on the size stat() gave before:
// a file that grows between the two is read up to the cap plus one byte, and no further
// (review10 #10: the store checked the size, then read to the end, however far that was).
// The same checks as engine/atomic-file.ts readRegularFileAsync: a regular file only (a FIFO
// swapped in is refused, never waited on: O_NONBLOCK), checked on the descriptor read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileKind, NotRegularFileError } from '../../engine/atomic-file.ts';

const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** The file's bytes, or `over` once more than `max` bytes are there (then at most max + 1 were read). */
export async function readAtMost(path: string, max: number): Promise<{ bytes: Uint8Array; over: boolean }> {
	const handle = await open(path, constants.O_RDONLY | NONBLOCK);
	try {
		const st = await handle.stat();
		if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
		const buffer = new Uint8Array(Math.min(max + 1, Math.max(st.size + 1, 1)));
		let length = 0;
		let out = buffer;
		for (;;) {
			if (length === out.length) {
				if (out.length > max) break; // max + 1 bytes read: over
				const grown = new Uint8Array(Math.min(max + 1, out.length * 2));
				grown.set(out);
				out = grown;
			}
			const { bytesRead } = await handle.read(out, length, out.length - length, length);
			if (bytesRead === 0) break;
			length += bytesRead;
		}
		return length > max ? { bytes: out.subarray(0, length), over: true } : { bytes: out.slice(0, length), over: false };
	} finally {
		await handle.close();
	}
}
