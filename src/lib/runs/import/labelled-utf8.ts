// UTF-8 for labelled files without ever altering code silently: bytes are decoded as UTF-8, and
// every byte that is not valid UTF-8 becomes a lone low surrogate U+DC00+byte (as Python's
// "surrogateescape"; valid UTF-8 never decodes to a lone surrogate), so the record holding it can
// be named — file, line, field — and left out, instead of importing "caf\uFFFD" as if it were the code.
// Chunked: a sequence cut at a chunk's end waits for the next chunk.

const strict = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence at `i`, or 0 (an invalid or incomplete one). */
function sequenceAt(b: Uint8Array, i: number): number {
	const c = b[i];
	if (c < 0x80) return 1;
	const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
	if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		const lo = c === 0xe0 ? 0xa0 : 0x80;
		const hi = c === 0xed ? 0x9f : 0xbf;
		return cont(1, lo, hi) && cont(2) ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		const lo = c === 0xf0 ? 0x90 : 0x80;
		const hi = c === 0xf4 ? 0x8f : 0xbf;
		return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
	}
	return 0;
}

/** Decodes complete bytes: valid UTF-8 as text, every other byte as U+DC00+byte. */
export function decodeEscaped(bytes: Uint8Array): string {
	try {
		return strict.decode(bytes);
	} catch {
		// slow path, only for text that is not UTF-8
	}
	let out = '';
	let run = 0;
	let i = 0;
	const flush = (end: number) => {
		if (end > run) out += strict.decode(bytes.subarray(run, end));
	};
	while (i < bytes.length) {
		const n = sequenceAt(bytes, i);
		if (n > 0) {
			i += n;
			continue;
		}
		flush(i);
		out += String.fromCharCode(0xdc00 + bytes[i]);
		i++;
		run = i;
	}
	flush(i);
	return out;
}

/** Where the last complete sequence of `b` ends (an incomplete one at the end waits). */
function completeEnd(b: Uint8Array): number {
	for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
		const c = b[i];
		if ((c & 0xc0) === 0x80) continue;
		const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return b.length - i < need && c >= 0xc2 && c <= 0xf4 ? i : b.length;
	}
	return b.length;
}

/** A streaming decodeEscaped: write chunks, end() for what is left. */
export class EscapingDecoder {
	private pending: Uint8Array = new Uint8Array(0);
	write(chunk: Uint8Array): string {
		const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
		const end = completeEnd(buf);
		this.pending = buf.slice(end);
		return decodeEscaped(buf.subarray(0, end));
	}
	end(): string {
		const rest = this.pending;
		this.pending = new Uint8Array(0);
		return decodeEscaped(rest);
	}
}

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** The first byte that was not UTF-8 in `text` (decoded by decodeEscaped), with its position; null when none. */
export function invalidByte(text: string): { byte: number; at: number } | null {
	const m = ESCAPED.exec(text);
	return m ? { byte: m[0].charCodeAt(0) - 0xdc00, at: m.index } : null;
}

/** The first field of a record (top-level name) whose value, at any depth, holds a byte that was not UTF-8. */
export function fieldWithInvalidUtf8(value: Record<string, unknown>): { field: string; byte: number; at: number } | null {
	const find = (v: unknown): { byte: number; at: number } | null => {
		if (typeof v === 'string') return invalidByte(v);
		if (Array.isArray(v)) {
			for (const x of v) {
				const hit = find(x);
				if (hit) return hit;
			}
		} else if (v && typeof v === 'object') {
			for (const [k, x] of Object.entries(v)) {
				const hit = invalidByte(k) ?? find(x);
				if (hit) return hit;
			}
		}
		return null;
	};
	for (const [field, v] of Object.entries(value)) {
		const hit = invalidByte(field) ?? find(v);
		if (hit) return { field, ...hit };
	}
	return null;
}

/** The problem text for a record holding a byte that is not UTF-8. */
export function invalidUtf8Message(hit: { byte: number; at: number }): string {
	return `not UTF-8: byte 0x${hit.byte.toString(16).toUpperCase().padStart(2, '0')} at character ${hit.at + 1} of the field (Latin-1 or another 8-bit encoding?); record not imported, not altered — convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)`;
}
