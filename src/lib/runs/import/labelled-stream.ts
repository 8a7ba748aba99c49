// Records of a labelled file read as a stream, never the whole file at once: JSON Lines line by
// line, CSV record by record (RFC 4180 as the data folder's scanner: quoted fields with doubled
// quotes and line breaks, LF or CRLF, blank lines skipped, a BOM skipped), each with the line it
// starts on; the file's sha256 computed on the way. A file that is one JSON document (starts with
// "[") is read whole (at most JSON_DOCUMENT_LIMIT bytes). A JSON Lines line that is not a JSON
// object, or a CSV row whose field count is not the header's, is a problem naming its line; a CSV
// syntax error (an unterminated quote, text after a closing quote) ends the file with an error. A
// record holding bytes that are not UTF-8 is a problem naming its field (labelled-utf8.ts).
import { createHash } from 'node:crypto';
import { createReadStream, readSync, closeSync, statSync } from 'node:fs';
import { openRegularFile } from '../../engine/atomic-file.ts';
import { parseRecordFile } from '../../core/items/json-records.ts';
import { RecordError } from '../../core/items/record-error.ts';
import type { ImportProblem } from './types.ts';
import { byteSize } from '../../core/text/byte-size.ts';
import { decodeEscaped, EscapingDecoder, fieldWithInvalidUtf8, invalidUtf8Message } from './labelled-utf8.ts';

export const JSON_DOCUMENT_LIMIT = 256 * 1024 * 1024;
const CHUNK = 1 << 20;

export type StreamItem = { value: Record<string, unknown>; line: number } | { problem: ImportProblem };

export class LabelledFileError extends Error {}

/**
 * The file's kind from its name and first bytes. `content`: the file's bytes when they were read
 * already (standard input, `covw import -`): `path` then only names them.
 */
export function fileKind(path: string, content?: Uint8Array): 'csv' | 'jsonl' | 'json' {
	if (path.toLowerCase().endsWith('.csv')) return 'csv';
	if (content) return Buffer.from(content.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('[') ? 'json' : 'jsonl';
	// A FIFO, socket or device is refused by name (a FIFO would block the read).
	const fd = openRegularFile(path);
	try {
		const head = Buffer.alloc(4096);
		const n = readSync(fd, head, 0, head.length, 0);
		const start = head.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
		return start.startsWith('[') ? 'json' : 'jsonl';
	} finally {
		closeSync(fd);
	}
}

/** The file's bytes as a stream, opened as a regular file only (engine/atomic-file.ts openRegularFile); `content` in chunks when given. */
async function* regularStream(path: string, content?: Uint8Array): AsyncGenerator<Buffer> {
	if (content) {
		for (let at = 0; at < content.length; at += CHUNK) yield Buffer.from(content.buffer, content.byteOffset + at, Math.min(CHUNK, content.length - at));
		return;
	}
	for await (const chunk of createReadStream(path, { fd: openRegularFile(path), highWaterMark: CHUNK })) yield chunk as Buffer;
}

/** sha256 of a file, streamed (of `content` when given). */
export async function fileSha256(path: string, content?: Uint8Array): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of regularStream(path, content)) hash.update(chunk);
	return hash.digest('hex');
}

/**
 * Yields the file's records (and its bad lines as problems); `done()` after the last gives the
 * sha256 of the bytes read.
 */
export function streamRecords(path: string, content?: Uint8Array): { records: AsyncGenerator<StreamItem>; sha256: () => string } {
	const hash = createHash('sha256');
	let digest: string | null = null;
	const kind = fileKind(path, content);
	async function* chunks(): AsyncGenerator<Buffer> {
		for await (const chunk of regularStream(path, content)) {
			hash.update(chunk);
			yield chunk;
		}
		digest = hash.digest('hex');
	}
	const records = kind === 'csv' ? csvRecords(path, chunks()) : kind === 'json' ? jsonDocument(path, chunks(), content?.length) : jsonLines(path, chunks());
	return {
		records: utf8Only(path, records),
		sha256: () => {
			if (digest === null) throw new Error('sha256 asked before the file was read');
			return digest;
		}
	};
}

/** A record holding bytes that are not UTF-8 is a problem naming its field, never imported altered. */
async function* utf8Only(file: string, items: AsyncGenerator<StreamItem>): AsyncGenerator<StreamItem> {
	for await (const item of items) {
		const hit = 'value' in item ? fieldWithInvalidUtf8(item.value) : null;
		if (hit && 'value' in item) yield { problem: { file, line: item.line, field: hit.field, message: invalidUtf8Message(hit) } };
		else yield item;
	}
}

async function* jsonLines(file: string, chunks: AsyncGenerator<Buffer>): AsyncGenerator<StreamItem> {
	let rest: Buffer = Buffer.alloc(0);
	let line = 0;
	const parse = (bytes: Buffer): StreamItem | null => {
		line++;
		let s = decodeEscaped(bytes);
		if (line === 1) s = s.replace(/^\uFEFF/, '');
		const trimmed = s.trim();
		if (trimmed === '') return null;
		let value: unknown;
		try {
			value = JSON.parse(trimmed);
		} catch (error) {
			return { problem: { file, line, field: null, message: `invalid JSON (${(error as Error).message}); line not imported` } };
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: { file, line, field: null, message: 'not a JSON object; line not imported' } };
		return { value: value as Record<string, unknown>, line };
	};
	for await (const chunk of chunks) {
		let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
		let start = 0;
		for (;;) {
			const nl = buf.indexOf(10, start);
			if (nl < 0) break;
			const item = parse(buf.subarray(start, nl));
			if (item) yield item;
			start = nl + 1;
		}
		rest = Buffer.from(buf.subarray(start));
		buf = rest;
	}
	if (rest.length > 0) {
		const item = parse(rest);
		if (item) yield item;
	}
}

async function* jsonDocument(file: string, chunks: AsyncGenerator<Buffer>, knownSize?: number): AsyncGenerator<StreamItem> {
	const size = knownSize ?? statSync(file).size;
	if (size > JSON_DOCUMENT_LIMIT) throw new LabelledFileError(`${file}: a ${byteSize(size)} JSON document is too large to read at once (at most ${byteSize(JSON_DOCUMENT_LIMIT)}); write it as JSON Lines (one record a line)`);
	const parts: Buffer[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	try {
		for (const r of parseRecordFile(decodeEscaped(Buffer.concat(parts)).replace(/^\uFEFF/, ''), file)) yield { value: r.value, line: r.line };
	} catch (e) {
		if (e instanceof RecordError) throw new LabelledFileError(e.message);
		throw e;
	}
}

export class CsvStreamError extends Error {
	constructor(
		readonly line: number,
		readonly reason: string
	) {
		super(`line ${line}: ${reason}`);
	}
}

interface CsvRow {
	fields: (string | null)[];
	line: number;
}

/** An incremental RFC 4180 reader over text chunks: push text, take the rows completed so far. */
export class CsvRows {
	private fields: (string | null)[] = [];
	private buf = '';
	private quoted = false;
	private inQuotes = false;
	private afterQuote = false;
	private crAfterQuote = false;
	private started = false;
	private line = 1;
	private recordLine = 1;
	private openLine = 1;

	push(text: string, out: CsvRow[]): void {
		const n = text.length;
		let i = 0;
		while (i < n) {
			if (this.inQuotes) {
				const q = text.indexOf('"', i);
				const end = q < 0 ? n : q;
				for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) this.line++;
				this.buf += text.slice(i, end);
				if (q < 0) return;
				this.inQuotes = false;
				this.afterQuote = true;
				i = q + 1;
				continue;
			}
			const c = text.charCodeAt(i);
			if (this.crAfterQuote) {
				this.crAfterQuote = false;
				if (c !== 10) throw new CsvStreamError(this.line, `unexpected character after the closing quote of field ${this.fields.length + 1}`);
				this.endField();
				this.endRecord(out);
				this.line++;
				i++;
				continue;
			}
			if (this.afterQuote) {
				this.afterQuote = false;
				if (c === 34) {
					this.buf += '"';
					this.inQuotes = true;
					i++;
					continue;
				}
				if (c === 44) {
					this.endField();
					i++;
					continue;
				}
				if (c === 10) {
					this.endField();
					this.endRecord(out);
					this.line++;
					i++;
					continue;
				}
				if (c === 13) {
					this.crAfterQuote = true;
					i++;
					continue;
				}
				throw new CsvStreamError(this.line, `unexpected character after the closing quote of field ${this.fields.length + 1}`);
			}
			if (!this.started) {
				// blank lines between records are skipped
				if (c === 10) {
					this.line++;
					i++;
					continue;
				}
				if (c === 13 && (i + 1 >= n || text.charCodeAt(i + 1) === 10)) {
					i++;
					continue;
				}
				this.started = true;
				this.recordLine = this.line;
			}
			if (c === 34) {
				if (this.buf !== '' || this.quoted) throw new CsvStreamError(this.line, `quote inside unquoted field ${this.fields.length + 1} (quote the whole field and double the quote)`);
				this.quoted = true;
				this.inQuotes = true;
				this.openLine = this.line;
				i++;
				continue;
			}
			// an unquoted run up to the next comma, quote or line end
			let j = i;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (d === 44 || d === 10 || d === 34) break;
				j++;
			}
			this.buf += text.slice(i, j);
			if (j >= n) return;
			const d = text.charCodeAt(j);
			if (d === 34) {
				if (this.buf !== '') throw new CsvStreamError(this.line, `quote inside unquoted field ${this.fields.length + 1} (quote the whole field and double the quote)`);
				i = j;
				continue;
			}
			if (d === 44) {
				this.endField();
				i = j + 1;
				continue;
			}
			// LF: the CR of a CRLF is not data
			if (this.buf.endsWith('\r')) this.buf = this.buf.slice(0, -1);
			this.endField();
			this.endRecord(out);
			this.line++;
			i = j + 1;
		}
	}

	end(out: CsvRow[]): void {
		if (this.inQuotes) throw new CsvStreamError(this.openLine, `unterminated quote in field ${this.fields.length + 1}`);
		if (this.started || this.afterQuote || this.crAfterQuote) {
			if (!this.quoted && this.buf.endsWith('\r')) this.buf = this.buf.slice(0, -1);
			this.endField();
			this.endRecord(out);
		}
	}

	private endField(): void {
		this.fields.push(this.quoted ? this.buf : this.buf === '' ? null : this.buf);
		this.buf = '';
		this.quoted = false;
	}

	private endRecord(out: CsvRow[]): void {
		out.push({ fields: this.fields, line: this.recordLine });
		this.fields = [];
		this.started = false;
	}
}

async function* csvRecords(file: string, chunks: AsyncGenerator<Buffer>): AsyncGenerator<StreamItem> {
	const decoder = new EscapingDecoder();
	const parser = new CsvRows();
	let header: string[] | null = null;
	let first = true;
	const rows: CsvRow[] = [];
	function* take(): Generator<StreamItem> {
		for (const row of rows) {
			if (!header) {
				header = row.fields.map((h) => (h ?? '').trim());
				continue;
			}
			if (row.fields.length !== header.length) {
				yield { problem: { file, line: row.line, field: null, message: `${row.fields.length} field(s) where the header has ${header.length}; row not imported` } };
				continue;
			}
			const value: Record<string, unknown> = {};
			header.forEach((name, k) => (value[name] = row.fields[k]));
			yield { value, line: row.line };
		}
		rows.length = 0;
	}
	try {
		for await (const chunk of chunks) {
			let s = decoder.write(chunk);
			if (first) {
				s = s.replace(/^\uFEFF/, '');
				first = false;
			}
			parser.push(s, rows);
			yield* take();
		}
		parser.push(decoder.end(), rows);
		parser.end(rows);
		yield* take();
	} catch (e) {
		if (e instanceof CsvStreamError) throw new LabelledFileError(`${file}:${e.line}: ${e.reason} (not a CSV file covw import can read)`);
		throw e;
	}
	if (!header) throw new LabelledFileError(`${file}: empty CSV file (no header row)`);
}
