// The one JSON parser for text people write by hand (notebook cell specs, covw.config.json): strict
// JSON that reports line and column. JSON.parse's messages differ between engines (V8 on Node 20
// gives no position at all, and its snippets quote the text back), and errors must point at a
// line. It also remembers where every value starts, so a later check ("unknown mark type") can
// name its line. Nesting is limited (MAX_JSON_DEPTH): `[` repeated 100000 times is a located
// error, not a stack overflow.
import { textLocator } from '../text-position.ts';

/** How deep arrays and objects may nest; hand-written specs and configs stay far below it. */
export const MAX_JSON_DEPTH = 100;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonPosition {
	/** 1-based line within the parsed text. */
	line: number;
	/** 1-based column (UTF-16 code units). */
	column: number;
}

export interface JsonParseError extends JsonPosition {
	message: string;
	/** Offset (UTF-16 code units) in the text where it stops being valid. */
	offset: number;
}

export interface JsonParseOptions {
	/** Deepest nesting of arrays/objects accepted (default MAX_JSON_DEPTH). */
	maxDepth?: number;
}

/** `positions` keys are paths: keys and indices joined by '/' ('marks/0/type'), '' for the root. */
export type JsonParseResult =
	| { ok: true; value: JsonValue; positions: Map<string, JsonPosition> }
	| { ok: false; error: JsonParseError };


class Failure extends Error {
	constructor(
		message: string,
		readonly offset: number
	) {
		super(message);
	}
}

export function parseJson(text: string, options: JsonParseOptions = {}): JsonParseResult {
	const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
	const positions = new Map<string, JsonPosition>();
	const locate = makeLocator(text);
	let i = 0;
	let depth = 0;
	const enter = () => {
		if (++depth > maxDepth) fail(`nested deeper than ${maxDepth} levels (the limit for arrays and objects)`);
	};

	const fail = (message: string, at = i): never => {
		throw new Failure(message, at);
	};
	const describe = (at: number) => (at >= text.length ? 'end of input' : JSON.stringify(text[at]));
	const skipSpace = () => {
		while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
	};
	const expect = (ch: string) => {
		if (text[i] !== ch) fail(`expected '${ch}' but found ${describe(i)}`);
		i++;
	};

	const parseString = (): string => {
		const start = i;
		expect('"');
		let out = '';
		for (;;) {
			if (i >= text.length) fail('unterminated string', start);
			const ch = text[i];
			if (ch === '"') {
				i++;
				return out;
			}
			if (ch === '\\') {
				const esc = text[i + 1];
				const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
				if (esc !== undefined && esc in simple) {
					out += simple[esc];
					i += 2;
				} else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
					out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
					i += 6;
				} else {
					fail(`invalid escape in string`, i + 1);
				}
			} else if (ch < ' ') {
				fail('control character (e.g. a raw newline) inside a string');
			} else {
				out += ch;
				i++;
			}
		}
	};

	const parseNumber = (): number => {
		const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
		if (!match) fail(`unexpected ${describe(i)}`);
		i += match![0].length;
		return Number(match![0]);
	};

	const parseValue = (path: string): JsonValue => {
		skipSpace();
		positions.set(path, locate(i));
		const ch = text[i];
		if (ch === '{') {
			enter();
			i++;
			const obj: { [key: string]: JsonValue } = {};
			skipSpace();
			if (text[i] === '}') {
				i++;
				depth--;
				return obj;
			}
			for (;;) {
				skipSpace();
				const keyAt = i;
				if (text[i] !== '"') fail(`expected a "quoted" key but found ${describe(i)}`);
				const key = parseString();
				if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate key "${key}"`, keyAt);
				skipSpace();
				expect(':');
				// defineProperty: a "__proto__" key is data, never the object's prototype.
				Object.defineProperty(obj, key, { value: parseValue(path === '' ? key : `${path}/${key}`), enumerable: true, writable: true, configurable: true });
				skipSpace();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === '}') {
					i++;
					depth--;
					return obj;
				}
				fail(`expected ',' or '}' but found ${describe(i)}`);
			}
		}
		if (ch === '[') {
			enter();
			i++;
			const arr: JsonValue[] = [];
			skipSpace();
			if (text[i] === ']') {
				i++;
				depth--;
				return arr;
			}
			for (;;) {
				arr.push(parseValue(path === '' ? String(arr.length) : `${path}/${arr.length}`));
				skipSpace();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === ']') {
					i++;
					depth--;
					return arr;
				}
				fail(`expected ',' or ']' but found ${describe(i)}`);
			}
		}
		if (ch === '"') return parseString();
		for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
			if (text.startsWith(word, i)) {
				i += word.length;
				return value;
			}
		}
		if (ch === '-' || (ch >= '0' && ch <= '9')) return parseNumber();
		return fail(`unexpected ${describe(i)}`);
	};

	try {
		skipSpace();
		if (i >= text.length) fail('empty: expected a JSON value');
		const value = parseValue('');
		skipSpace();
		if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
		return { ok: true, value, positions };
	} catch (e) {
		if (!(e instanceof Failure)) throw e;
		return { ok: false, error: { message: e.message, offset: e.offset, ...locate(e.offset) } };
	}
}

/** offset → 1-based line/column (the core's text locator). */
export const makeLocator: (text: string) => (offset: number) => JsonPosition = textLocator;

export function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
