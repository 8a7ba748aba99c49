// Readers for record files, from text: JSON Lines, one JSON array, or several JSON documents
// written back to back (the released CoV-Eval results append pretty-printed objects with no
// separator, so the file is not one JSON document). Every record keeps the file and the line
// it starts on, so later errors can point at it.
import { RecordError } from './record-error.ts';
import { textLocator } from '../text-position.ts';

export interface SourcedRecord {
	value: Record<string, unknown>;
	file: string;
	/** 1-based line on which the record starts. */
	line: number;
}

export type RecordFormat = 'jsonl' | 'json';

/** One object per non-blank line. */
export function parseJsonLines(text: string, file: string): SourcedRecord[] {
	const records: SourcedRecord[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i].trim();
		if (raw === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new RecordError(file, i + 1, null, `invalid JSON (${(error as Error).message})`);
		}
		records.push({ value: asObject(value, file, i + 1), file, line: i + 1 });
	}
	return records;
}

/**
 * A JSON array of objects, one object, or several top-level objects/arrays back to back.
 * Arrays are flattened: each element becomes one record.
 */
export function parseJsonDocuments(text: string, file: string): SourcedRecord[] {
	const locate = textLocator(text);
	const lineOf = (offset: number) => locate(offset).line;
	const records: SourcedRecord[] = [];
	let i = skipSpace(text, 0);
	while (i < text.length) {
		const ch = text[i];
		if (ch !== '{' && ch !== '[') {
			throw new RecordError(file, lineOf(i), null, `expected "{" or "[" but found ${JSON.stringify(ch)}`);
		}
		const end = scanComposite(text, i, file, lineOf);
		if (ch === '{') {
			records.push({ value: parseSlice(text, i, end, file, lineOf), file, line: lineOf(i) });
		} else {
			for (const [start, stop] of arrayElementSpans(text, i, end, file, lineOf)) {
				records.push({ value: parseSlice(text, start, stop, file, lineOf), file, line: lineOf(start) });
			}
		}
		i = skipSpace(text, end);
	}
	return records;
}

/** Picks the reader by file name: '.jsonl' is JSON Lines, anything else JSON documents. */
export function parseRecordFile(text: string, file: string, format?: RecordFormat): SourcedRecord[] {
	const chosen = format ?? (file.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json');
	return chosen === 'jsonl' ? parseJsonLines(text, file) : parseJsonDocuments(text, file);
}

function asObject(value: unknown, file: string, line: number): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new RecordError(file, line, null, 'expected a JSON object');
	}
	return value as Record<string, unknown>;
}

function parseSlice(
	text: string,
	start: number,
	end: number,
	file: string,
	lineOf: (offset: number) => number
): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(text.slice(start, end));
	} catch (error) {
		throw new RecordError(file, lineOf(start), null, `invalid JSON (${(error as Error).message})`);
	}
	return asObject(value, file, lineOf(start));
}

function skipSpace(text: string, i: number): number {
	while (i < text.length && /\s/.test(text[i])) i++;
	return i;
}

/** Index just after the object or array that opens at `start` (strings and escapes respected). */
function scanComposite(text: string, start: number, file: string, lineOf: (o: number) => number): number {
	const closers: string[] = [];
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
			continue;
		}
		if (ch === '"') inString = true;
		else if (ch === '{') closers.push('}');
		else if (ch === '[') closers.push(']');
		else if (ch === '}' || ch === ']') {
			if (closers.pop() !== ch) {
				throw new RecordError(file, lineOf(start), null, `invalid JSON (unexpected "${ch}" on line ${lineOf(i)})`);
			}
			if (closers.length === 0) return i + 1;
		}
	}
	throw new RecordError(file, lineOf(start), null, 'unterminated JSON value (file ends inside it)');
}

/** Spans of the elements of the array text[start, end) — each element must be an object. */
function arrayElementSpans(
	text: string,
	start: number,
	end: number,
	file: string,
	lineOf: (o: number) => number
): Array<[number, number]> {
	const spans: Array<[number, number]> = [];
	let i = skipSpace(text, start + 1);
	if (text[i] === ']') return spans;
	while (i < end - 1) {
		if (text[i] !== '{') {
			throw new RecordError(file, lineOf(i), null, 'expected an object as array element');
		}
		const stop = scanComposite(text, i, file, lineOf);
		spans.push([i, stop]);
		i = skipSpace(text, stop);
		if (text[i] === ',') i = skipSpace(text, i + 1);
		else if (text[i] === ']') break;
		else throw new RecordError(file, lineOf(i), null, 'expected "," or "]" after array element');
	}
	return spans;
}

