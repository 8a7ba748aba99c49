// The text of a file `covw import` reads, and what its bytes say about it:
//   - UTF-16 (a byte-order mark FF FE / FE FF, or a NUL in every other byte — what Excel's
//     "Unicode text" and PowerShell write) is refused by name: read as UTF-8 it only gave
//     "quote inside unquoted field 3";
//   - bytes that are not UTF-8 are decoded as U+FFFD as before (the text, hence the import's
//     sha256 and run ids, is what it always was), but never silently: a problem on each line
//     holding one names the byte ("invalid UTF-8 at byte N; replaced with U+FFFD"), so the user
//     knows the code judged differs from the file.
// Lone surrogates that JSON escapes can make (`"m\ud800x"`) are checked per field: hasLoneSurrogate.
import { ImportError } from './import-error.ts';
import type { ImportProblem } from './types.ts';

/** Lines with invalid UTF-8 listed one by one; past this, one line says how many more. */
const LINES_LISTED = 50;

/** Whether the bytes look like UTF-16: a byte-order mark, or NULs at every other byte of the start. */
export function utf16Kind(bytes: Uint8Array): string | null {
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 little-endian (byte-order mark FF FE)';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 big-endian (byte-order mark FE FF)';
	const n = Math.min(bytes.length, 512) & ~1;
	if (n < 4) return null;
	let even = 0;
	let odd = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) even++;
		if (bytes[i + 1] === 0) odd++;
	}
	const pairs = n / 2;
	if (odd >= pairs * 0.9 && even === 0) return 'UTF-16 little-endian (a NUL after every character)';
	if (even >= pairs * 0.9 && odd === 0) return 'UTF-16 big-endian (a NUL before every character)';
	return null;
}

/** The file's text (UTF-8; invalid bytes as U+FFFD, a BOM kept as readFileSync keeps it) and a problem per line with invalid bytes. Throws for UTF-16. */
export function importText(bytes: Uint8Array, path: string): { text: string; problems: ImportProblem[] } {
	const utf16 = utf16Kind(bytes);
	if (utf16) throw new ImportError(`${path}: the file is ${utf16}, not UTF-8: save it as UTF-8 and import it again`);
	const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
	const problems: ImportProblem[] = [];
	if (!text.includes('\uFFFD')) return { text, problems };
	let line = 1;
	let lastLine = 0;
	let more = 0;
	for (let i = 0; i < bytes.length; ) {
		if (bytes[i] === 0x0a) line++;
		const n = sequenceAt(bytes, i);
		if (n > 0) {
			i += n;
			continue;
		}
		if (line !== lastLine) {
			if (problems.length < LINES_LISTED) problems.push({ file: path, line, field: null, message: `invalid UTF-8 at byte ${i} (0x${bytes[i].toString(16).padStart(2, '0')}); replaced with U+FFFD, so the text imported differs from the file's` });
			else more++;
			lastLine = line;
		}
		i++;
	}
	if (more > 0) problems.push({ file: path, line: null, field: null, message: `invalid UTF-8 on ${more} more line(s), each replaced with U+FFFD` });
	return { text, problems };
}

/** Length of the valid UTF-8 sequence at `i`, or 0 (an invalid or incomplete one). */
function sequenceAt(b: Uint8Array, i: number): number {
	const c = b[i];
	if (c < 0x80) return 1;
	const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
	if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) return cont(1, c === 0xe0 ? 0xa0 : 0x80, c === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
	if (c >= 0xf0 && c <= 0xf4) return cont(1, c === 0xf0 ? 0x90 : 0x80, c === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
	return 0;
}

/** A UTF-16 code unit that is half of a pair without its other half (not text: written out it becomes U+FFFD). */
export function hasLoneSurrogate(s: string): boolean {
	return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
