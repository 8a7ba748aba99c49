// JSON parsing for hand-edited files (the engine config) with errors that name a line: V8's
// messages give a position only for some mistakes, so on failure a small scanner finds where
// the text stops being JSON, and field errors point at the line where the field's key sits.

export class JsonSourceError extends Error {}

export function parseJsonSource(text: string, file: string): unknown {
	try {
		return JSON.parse(text);
	} catch (e) {
		const offset = firstSyntaxError(text);
		const where = offset === null ? file : `${file}:${lineOf(text, offset)}`;
		throw new JsonSourceError(`${where}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
	}
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
	return line;
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
export function firstSyntaxError(text: string): number | null {
	let i = 0;
	const ws = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const fail = (): never => {
		throw i;
	};
	const value = (): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') return void i++;
			for (;;) {
				ws();
				if (text[i] !== '"') fail();
				string();
				ws();
				if (text[i] !== ':') fail();
				i++;
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') return void i++;
				else fail();
			}
		}
		if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') return void i++;
			for (;;) {
				value();
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') return void i++;
				else fail();
			}
		}
		if (c === '"') return string();
		for (const word of ['true', 'false', 'null']) {
			if (text.startsWith(word, i)) return void (i += word.length);
		}
		const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
		if (num) return void (i += num[0].length);
		fail();
	};
	const string = (): void => {
		i++;
		while (i < text.length) {
			const c = text[i];
			if (c === '"') return void i++;
			if (c === '\\') {
				i++;
				if (text[i] === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
					i += 5;
				} else if ('"\\/bfnrt'.includes(text[i] ?? 'x')) i++;
				else fail();
			} else if (c.charCodeAt(0) < 0x20) fail();
			else i++;
		}
		fail();
	};
	try {
		value();
		ws();
		return i < text.length ? i : null;
	} catch (at) {
		if (typeof at === 'number') return Math.min(at, text.length);
		throw at;
	}
}
