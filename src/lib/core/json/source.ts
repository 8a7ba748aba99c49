// Hand-edited JSON files (covw.config.json) read with the one positions parser (parse.ts): a
// syntax error names the file and line in our own words (never V8's snippet of the text), and a
// field error can point at the line where the field's value sits.
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
 * Line where the value at `path` (e.g. ['endpoints', 'vllm', 'concurrency']) is written, from the
 * parser's positions; for a path that is not there (a missing field), the line of its nearest
 * enclosing value. Null when the text is not JSON.
 */
export function lineOfPath(text: string, path: (string | number)[], options: JsonParseOptions = {}): number | null {
	const parsed = parseJson(text, options);
	if (!parsed.ok) return null;
	for (let n = path.length; n >= 0; n--) {
		const position = parsed.positions.get(path.slice(0, n).join('/'));
		if (position) return position.line;
	}
	return null;
}

/** Offset of the first character where `text` stops being valid JSON, or null if it is valid. */
export function firstSyntaxError(text: string, options: JsonParseOptions = {}): number | null {
	const parsed = parseJson(text, options);
	return parsed.ok ? null : parsed.error.offset;
}
