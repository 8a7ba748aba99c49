// Notebook files are UTF-8 text. Bytes that are not — a binary file, UTF-16, Latin-1, a NUL byte —
// are refused with an error naming the line and byte, instead of decoding to replacement
// characters and "0 cells". Every reader of a notebook file (the CLI, the headless engine's
// callers, the server's store) decodes through here. A byte-order mark is kept, so writing the
// text back gives the same bytes.

export class NotebookDecodeError extends Error {
	constructor(
		/** 1-based line (LF-separated) of the offending byte. */
		readonly line: number,
		/** 0-based offset of the offending byte in the file. */
		readonly offset: number,
		message: string
	) {
		super(message);
		this.name = 'NotebookDecodeError';
	}
}

/** The file's text; a NotebookDecodeError when the bytes are not UTF-8 text. `file` prefixes the message. */
export function decodeNotebook(bytes: Uint8Array, file?: string): string {
	const parts: string[] = [];
	let codes: number[] = [];
	let line = 1;
	const fail = (offset: number, what: string): never => {
		const where = file ? `${file}:${line}` : `line ${line}`;
		throw new NotebookDecodeError(line, offset, `${where}: ${what} at byte ${offset}; a notebook is a UTF-8 text (Markdown) file`);
	};
	for (let i = 0; i < bytes.length; ) {
		const b = bytes[i];
		let cp: number;
		let size: number;
		if (b < 0x80) {
			if (b === 0) fail(i, 'a NUL byte (this looks like a binary file)');
			if (b === 0x0a) line++;
			cp = b;
			size = 1;
		} else {
			let min: number;
			if (b >= 0xc2 && b <= 0xdf) [size, cp, min] = [2, b & 0x1f, 0x80];
			else if (b >= 0xe0 && b <= 0xef) [size, cp, min] = [3, b & 0x0f, 0x800];
			else if (b >= 0xf0 && b <= 0xf4) [size, cp, min] = [4, b & 0x07, 0x10000];
			else return fail(i, `not UTF-8 (byte 0x${b.toString(16).padStart(2, '0')})`);
			for (let k = 1; k < size; k++) {
				const c = bytes[i + k];
				if (c === undefined || (c & 0xc0) !== 0x80) fail(i, `not UTF-8 (an incomplete sequence starting with byte 0x${b.toString(16)})`);
				cp = (cp << 6) | (c & 0x3f);
			}
			if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(i, `not UTF-8 (an invalid sequence starting with byte 0x${b.toString(16)})`);
		}
		if (cp < 0x10000) codes.push(cp);
		else codes.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
		if (codes.length >= 8192) {
			parts.push(String.fromCharCode(...codes));
			codes = [];
		}
		i += size;
	}
	parts.push(String.fromCharCode(...codes));
	return parts.join('');
}
