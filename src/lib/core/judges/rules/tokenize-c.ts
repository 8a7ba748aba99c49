// A forgiving C tokenizer: drops comments, keeps string/char literals whole, keeps each
// preprocessor line as one 'directive' token. Never throws: anything unknown becomes a
// one-character punctuation token, unterminated literals end at the line end.

import { tick } from './deadline.ts';
import type { Token } from './types.ts';

const C_OPERATORS = [
	'<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
	'+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '::'
];

const isIdentStart = (ch: string) => /[A-Za-z_$]/.test(ch);
const isIdentPart = (ch: string) => /[A-Za-z0-9_$]/.test(ch);
const isDigit = (ch: string) => ch >= '0' && ch <= '9';

export function tokenizeC(code: string): Token[] {
	const tokens: Token[] = [];
	const n = code.length;
	let i = 0;
	let line = 1;
	let atLineStart = true;
	while (i < n) {
		tick(); // a step toward the time limit (deadline.ts): a long program can be stopped while it is read
		const ch = code[i];
		if (ch === '\n') {
			line++;
			i++;
			atLineStart = true;
			continue;
		}
		if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
			i++;
			continue;
		}
		if (ch === '/' && code[i + 1] === '/') {
			while (i < n && code[i] !== '\n') i++;
			continue;
		}
		if (ch === '/' && code[i + 1] === '*') {
			const end = code.indexOf('*/', i + 2);
			const stop = end < 0 ? n : end + 2;
			for (let k = i; k < stop; k++) if (code[k] === '\n') line++;
			i = stop;
			continue;
		}
		if (ch === '#' && atLineStart) {
			// A directive runs to the end of line, with backslash continuations; comments dropped.
			const startLine = line;
			let text = '';
			while (i < n && code[i] !== '\n') {
				if (code[i] === '\\' && code[i + 1] === '\n') {
					i += 2;
					line++;
					continue;
				}
				if (code[i] === '/' && code[i + 1] === '/') {
					while (i < n && code[i] !== '\n') i++;
					break;
				}
				text += code[i];
				i++;
			}
			tokens.push({ kind: 'directive', text: text.trim(), line: startLine });
			continue;
		}
		atLineStart = false;
		const literal = readCLiteral(code, i);
		if (literal) {
			tokens.push({ kind: 'string', text: code.slice(i, literal.end), line, value: literal.value, prefix: literal.prefix });
			i = literal.end;
			continue;
		}
		if (isIdentStart(ch)) {
			let j = i + 1;
			while (j < n && isIdentPart(code[j])) j++;
			tokens.push({ kind: 'ident', text: code.slice(i, j), line });
			i = j;
			continue;
		}
		if (isDigit(ch) || (ch === '.' && isDigit(code[i + 1] ?? ''))) {
			let j = i + 1;
			while (j < n && (isIdentPart(code[j]) || code[j] === '.' || ((code[j] === '+' || code[j] === '-') && /[eEpP]/.test(code[j - 1])))) j++;
			tokens.push({ kind: 'number', text: code.slice(i, j), line });
			i = j;
			continue;
		}
		const op = C_OPERATORS.find((candidate) => code.startsWith(candidate, i));
		const text = op ?? ch;
		tokens.push({ kind: 'punct', text, line });
		i += text.length;
	}
	return tokens;
}

/** A string ("...") or character ('...') literal at `start`, with an optional L/u/U/u8 prefix. */
function readCLiteral(code: string, start: number): { end: number; value: string; prefix: string } | null {
	let i = start;
	let prefix = '';
	const m = /^(u8|[LuU])?["']/.exec(code.slice(start, start + 3));
	if (!m) return null;
	prefix = (m[1] ?? '').toLowerCase();
	i += prefix.length;
	const quote = code[i];
	i++;
	const valueStart = i;
	while (i < code.length && code[i] !== quote && code[i] !== '\n') {
		if (code[i] === '\\' && i + 1 < code.length) i++;
		i++;
	}
	const value = code.slice(valueStart, i);
	if (code[i] === quote) i++;
	// Characters are numbers to a C rule; keep them as strings with a `'` prefix mark.
	return { end: i, value, prefix: quote === "'" ? `${prefix}'` : prefix };
}
