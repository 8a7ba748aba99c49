import * as nodeBuffer from 'node:buffer';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/** node:buffer's isUtf8 validates without building a string; older runtimes lack it. */
const isUtf8: (bytes: Uint8Array) => boolean =
	typeof (nodeBuffer as { isUtf8?: unknown }).isUtf8 === 'function'
		? (nodeBuffer as unknown as { isUtf8: (b: Uint8Array) => boolean }).isUtf8
		: (bytes) => {
				try {
					fatalDecoder.decode(bytes);
					return true;
				} catch {
					return false;
				}
			};

/**
 * The 1-based line of the first invalid UTF-8 sequence in `bytes`, or undefined when the
 * bytes are valid UTF-8. Text columns are copied into Arrow byte for byte, so invalid bytes
 * must be caught here: DuckDB would reject the whole table later with no line to point at.
 */
export function firstInvalidUtf8Line(bytes: Uint8Array): number | undefined {
	if (bytes.length === 0 || isUtf8(bytes)) return undefined;
	// Invalid somewhere: find where, line by line (only on this rare path).
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i <= bytes.length; i++) {
		if (i === bytes.length || bytes[i] === 0x0a) {
			try {
				fatalDecoder.decode(bytes.subarray(lineStart, i));
			} catch {
				return line;
			}
			line++;
			lineStart = i + 1;
		}
	}
	return line; // unreachable in practice: the whole-buffer decode failed
}

/** Length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3). */
export function bomLength(bytes: Uint8Array): number {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}
