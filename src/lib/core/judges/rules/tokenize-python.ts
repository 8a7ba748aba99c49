// A forgiving Python tokenizer: drops comments, keeps string literals whole (prefixes,
// triple quotes, f-strings), marks the first token of each logical line with its indent.
// Never throws: unterminated strings end at the end of input (triple) or line (single).

import { tick } from './deadline.ts';
import type { Token } from './types.ts';

const PY_OPERATORS = [
	'**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=',
	'+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='
];

const isIdentStart = (ch: string) => /[A-Za-z_]/.test(ch) || ch.charCodeAt(0) > 127;
const isIdentPart = (ch: string) => /[A-Za-z0-9_]/.test(ch) || ch.charCodeAt(0) > 127;
const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const OPENERS = '([{';
const CLOSERS = ')]}';

export function tokenizePython(code: string): Token[] {
	const tokens: Token[] = [];
	const n = code.length;
	let i = 0;
	let line = 1;
	let depth = 0;
	let lineStartIndex = 0;
	let atLogicalStart = true;
	let continued = false;
	const indentAt = (index: number) => {
		let col = 0;
		for (let k = lineStartIndex; k < index; k++) col += code[k] === '\t' ? 8 - (col % 8) : 1;
		return col;
	};
	const push = (token: Token, start: number) => {
		tick(); // a token is a step toward the time limit (deadline.ts): a long program can be stopped while it is read
		if (atLogicalStart) {
			token.bol = true;
			token.indent = indentAt(start);
			atLogicalStart = false;
		}
		tokens.push(token);
	};
	while (i < n) {
		const ch = code[i];
		if (ch === '\n') {
			line++;
			i++;
			lineStartIndex = i;
			if (depth === 0 && !continued) atLogicalStart = true;
			continued = false;
			continue;
		}
		if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
			i++;
			continue;
		}
		if (ch === '\\' && code[i + 1] === '\n') {
			continued = true;
			i++;
			continue;
		}
		if (ch === '#') {
			while (i < n && code[i] !== '\n') i++;
			continue;
		}
		const literal = readPythonString(code, i);
		if (literal) {
			push({ kind: 'string', text: code.slice(i, literal.end), line, value: literal.value, prefix: literal.prefix }, i);
			// the line start from this literal's own newlines (never a scan back: many literals on
			// one long line made that quadratic — review 9b)
			for (let k = i; k < literal.end; k++) {
				if (code[k] === '\n') {
					line++;
					lineStartIndex = k + 1;
				}
			}
			i = literal.end;
			continue;
		}
		if (isIdentStart(ch)) {
			let j = i + 1;
			while (j < n && isIdentPart(code[j])) j++;
			push({ kind: 'ident', text: code.slice(i, j), line }, i);
			i = j;
			continue;
		}
		if (isDigit(ch) || (ch === '.' && isDigit(code[i + 1] ?? ''))) {
			let j = i + 1;
			while (j < n && (isIdentPart(code[j]) || code[j] === '.' || ((code[j] === '+' || code[j] === '-') && /[eE]/.test(code[j - 1])))) j++;
			push({ kind: 'number', text: code.slice(i, j), line }, i);
			i = j;
			continue;
		}
		const op = PY_OPERATORS.find((candidate) => code.startsWith(candidate, i));
		const text = op ?? ch;
		if (OPENERS.includes(text)) depth++;
		else if (CLOSERS.includes(text)) depth = Math.max(0, depth - 1);
		push({ kind: 'punct', text, line }, i);
		i += text.length;
	}
	return tokens;
}

function readPythonString(code: string, start: number): { end: number; value: string; prefix: string } | null {
	const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(code.slice(start, start + 5));
	if (!m) return null;
	const prefix = m[1].toLowerCase();
	if (prefix.length === 2 && !/^(rb|br|rf|fr)$/.test(prefix)) return null;
	const quote = m[2];
	const raw = prefix.includes('r');
	let i = start + m[0].length;
	const valueStart = i;
	const triple = quote.length === 3;
	while (i < code.length) {
		if (code.startsWith(quote, i)) {
			return { end: i + quote.length, value: code.slice(valueStart, i), prefix };
		}
		if (!triple && code[i] === '\n') break;
		if (code[i] === '\\' && i + 1 < code.length) i += raw && code[i + 1] !== quote[0] ? 1 : 2;
		else i++;
	}
	return { end: i, value: code.slice(valueStart, i), prefix };
}
