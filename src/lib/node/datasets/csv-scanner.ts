/**
 * An RFC 4180 tokenizer over UTF-8 bytes. It reports field boundaries and never builds strings,
 * so callers can decide per column what to make of the bytes.
 *
 * Accepted: comma separator, LF or CRLF record ends, quoted fields with doubled quotes and
 * line breaks inside, an optional final record end, an optional UTF-8 BOM (caller skips it).
 * Blank lines between records are skipped (a spreadsheet's trailing empty rows are not data).
 * Rejected with the physical line number: an unterminated quote, a character after a closing
 * quote, a quote inside an unquoted field.
 */

export interface CsvVisitor {
	/**
	 * One field: bytes[start, end) without the surrounding quotes. `quoted` tells `""` (empty
	 * text) from an empty field (null); `doubledQuotes` means the content still holds `""` pairs.
	 */
	field(column: number, start: number, end: number, quoted: boolean, doubledQuotes: boolean): void;
	/** End of a record with `fieldCount` fields that began on physical line `line` (1-based). */
	record(fieldCount: number, line: number): void;
}

export class CsvSyntaxError extends Error {
	constructor(
		readonly line: number,
		readonly reason: string
	) {
		super(`line ${line}: ${reason}`);
		this.name = 'CsvSyntaxError';
	}
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export function scanCsv(bytes: Uint8Array, start: number, visitor: CsvVisitor): void {
	const n = bytes.length;
	let i = start;
	let line = 1;
	while (i < n) {
		// Skip blank lines.
		if (bytes[i] === LF) {
			i++;
			line++;
			continue;
		}
		if (bytes[i] === CR && (i + 1 === n || bytes[i + 1] === LF)) {
			i += 2;
			line++;
			continue;
		}
		const recordLine = line;
		let column = 0;
		for (;;) {
			if (i < n && bytes[i] === QUOTE) {
				const openedOnLine = line;
				const fieldStart = ++i;
				let doubled = false;
				for (;;) {
					if (i >= n) {
						throw new CsvSyntaxError(openedOnLine, `unterminated quote in field ${column + 1}`);
					}
					const c = bytes[i];
					if (c === QUOTE) {
						if (i + 1 < n && bytes[i + 1] === QUOTE) {
							doubled = true;
							i += 2;
							continue;
						}
						break;
					}
					if (c === LF) line++;
					i++;
				}
				visitor.field(column, fieldStart, i, true, doubled);
				i++; // past the closing quote
				if (i >= n) break;
				const after = bytes[i];
				if (after === COMMA) {
					i++;
					column++;
					continue;
				}
				if (after === LF) {
					i++;
					line++;
					break;
				}
				if (after === CR && (i + 1 === n || bytes[i + 1] === LF)) {
					i += 2;
					line++;
					break;
				}
				throw new CsvSyntaxError(line, `unexpected character after the closing quote of field ${column + 1}`);
			}
			const fieldStart = i;
			while (i < n) {
				const c = bytes[i];
				if (c === COMMA || c === LF) break;
				if (c === QUOTE) {
					throw new CsvSyntaxError(line, `quote inside unquoted field ${column + 1} (quote the whole field and double the quote)`);
				}
				i++;
			}
			let fieldEnd = i;
			// The CR of a CRLF (or of a final CR) is not data.
			if (fieldEnd > fieldStart && bytes[fieldEnd - 1] === CR && (i === n || bytes[i] === LF)) fieldEnd--;
			visitor.field(column, fieldStart, fieldEnd, false, false);
			if (i < n && bytes[i] === COMMA) {
				i++;
				column++;
				continue;
			}
			if (i < n) {
				i++; // the LF
				line++;
			}
			break;
		}
		visitor.record(column + 1, recordLine);
	}
}
