// Hand-edited JSON files (covw.config.json) read with the one positions parser (parse.ts): a
// syntax error names the file and line in our own words (never V8's snippet of the text), and a
// field error can point at the line where the field's key sits.
import { lineOf } from '../text-position.ts';
import { parseJson, type JsonParseOptions } from './parse.ts';

export class JsonSourceError extends Error {}

/** The parsed value; a JsonSourceError "file:line: not valid JSON (…)" when it is not JSON. */
export function parseJsonSource(text: string, file: string, options: JsonParseOptions = {}): unknown {
	const parsed = parseJson(text, options);
	if (parsed.ok) return parsed.value;
	const { line, column, message } = parsed.error;
	throw new JsonSourceError(`${file}:${line}: not valid JSON (line ${line}, column ${column}: ${message})`);
}

/**
 * Line where the key at `path` (e.g. ['endpoints', 'vllm', 'concurrency']) is written, found
 * by looking for each key in turn after the previous one. Approximate for keys repeated in
 * earlier siblings, which is good enough to send a reader to the right place.
 */
export function lineOfPath(text: string, path: (string | number)[]): number | null {
	let from = 0;
	for (const segment of path) {
		if (typeof segment === 'number') continue;
		const re = new RegExp(`"${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
		re.lastIndex = from;
		const match = re.exec(text);
		if (!match) return from === 0 ? null : lineOf(text, from);
		from = match.index;
	}
	return lineOf(text, from);
}

/** Offset of the first character where `text` stops being valid JSON, or null if it is valid. */
export function firstSyntaxError(text: string, options: JsonParseOptions = {}): number | null {
	const parsed = parseJson(text, options);
	return parsed.ok ? null : parsed.error.offset;
}
