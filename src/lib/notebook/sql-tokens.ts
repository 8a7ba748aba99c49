// A small SQL tokenizer (DuckDB/Postgres lexical rules) — enough to find names and statement
// boundaries without being fooled by string literals, quoted identifiers or comments. It does not
// parse SQL; the engine does that.

export type SqlTokenType = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'comment' | 'space';

export interface SqlToken {
	type: SqlTokenType;
	/** Exact text. */
	text: string;
	/** Offsets in the input. */
	start: number;
	end: number;
	/** For 'ident' and 'quoted': the identifier's name (quotes removed, "" unescaped). */
	name?: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Every token, comments and whitespace included; concatenating their text gives the input back. */
export function tokenizeSql(sql: string): SqlToken[] {
	const tokens: SqlToken[] = [];
	let i = 0;
	const push = (type: SqlTokenType, end: number, name?: string) => {
		tokens.push({ type, text: sql.slice(i, end), start: i, end, ...(name !== undefined ? { name } : {}) });
		i = end;
	};
	// Ends of quoted runs; an unterminated one runs to the end (the engine reports it).
	const endOfQuoted = (from: number, quote: string, backslash: boolean): number => {
		let k = from + 1;
		while (k < sql.length) {
			if (backslash && sql[k] === '\\') k += 2;
			else if (sql[k] === quote) {
				if (sql[k + 1] === quote) k += 2;
				else return k + 1;
			} else k++;
		}
		return sql.length;
	};

	while (i < sql.length) {
		const ch = sql[i];
		const next = sql[i + 1];
		if (/\s/.test(ch)) {
			let k = i + 1;
			while (k < sql.length && /\s/.test(sql[k])) k++;
			push('space', k);
		} else if (ch === '-' && next === '-') {
			// Ends at LF or CR, as in DuckDB's (Postgres's) lexer: a lone CR ends it too, so text
			// after it is SQL — a second statement there must not hide inside "the comment".
			let k = i + 2;
			while (k < sql.length && sql[k] !== '\n' && sql[k] !== '\r') k++;
			push('comment', k);
		} else if (ch === '/' && next === '*') {
			// Block comments nest in DuckDB (as in Postgres).
			let depth = 0;
			let k = i;
			while (k < sql.length) {
				if (sql[k] === '/' && sql[k + 1] === '*') {
					depth++;
					k += 2;
				} else if (sql[k] === '*' && sql[k + 1] === '/') {
					depth--;
					k += 2;
					if (depth === 0) break;
				} else k++;
			}
			push('comment', k);
		} else if (ch === "'") {
			push('string', endOfQuoted(i, "'", false));
		} else if (/[eE]/.test(ch) && next === "'") {
			push('string', endOfQuoted(i + 1, "'", true)); // E'…' escape string: backslashes escape
		} else if (/[xXbBnN]/.test(ch) && next === "'") {
			push('string', endOfQuoted(i + 1, "'", false)); // hex/bit/national string literal
		} else if (ch === '"') {
			const end = endOfQuoted(i, '"', false);
			const closed = end > i + 1 && sql[end - 1] === '"';
			push('quoted', end, sql.slice(i + 1, closed ? end - 1 : end).replaceAll('""', '"'));
		} else if (ch === '$' && next !== undefined && /[0-9]/.test(next)) {
			let k = i + 1;
			while (k < sql.length && /[0-9]/.test(sql[k])) k++;
			push('param', k);
		} else if (ch === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i))) {
			const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))![0];
			const close = sql.indexOf(tag, i + tag.length);
			push('string', close < 0 ? sql.length : close + tag.length);
		} else if (IDENT_START.test(ch)) {
			let k = i + 1;
			while (k < sql.length && IDENT_PART.test(sql[k])) k++;
			push('ident', k, sql.slice(i, k));
		} else if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
			let k = i + 1;
			while (k < sql.length && /[0-9A-Za-z_.]/.test(sql[k])) {
				if (sql[k] === '.' && sql[k + 1] === '.') break;
				k++;
			}
			push('number', k);
		} else {
			push('punct', i + 1);
		}
	}
	return tokens;
}

/** Tokens that mean something (no whitespace, no comments). */
export function significantTokens(sql: string): SqlToken[] {
	return tokenizeSql(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
}

export interface StatementSplit {
	/**
	 * Each statement's text from its first meaningful token (leading comments and blank lines are
	 * left out) up to, not including, its ';'. Empty statements are left out.
	 */
	statements: { text: string; start: number }[];
}

/** Split on top-level semicolons (not inside strings, quoted names, comments or dollar quotes). */
export function splitStatements(sql: string): StatementSplit {
	const tokens = tokenizeSql(sql);
	const statements: { text: string; start: number }[] = [];
	let start = -1; // offset of the current statement's first meaningful token
	for (const t of tokens) {
		if (t.type === 'punct' && t.text === ';') {
			if (start >= 0) statements.push({ text: sql.slice(start, t.start), start });
			start = -1;
		} else if (start < 0 && t.type !== 'space' && t.type !== 'comment') {
			start = t.start;
		}
	}
	if (start >= 0) statements.push({ text: sql.slice(start), start });
	return { statements };
}

/** 1-based line of an offset (the core's, re-exported for the notebook's users). */
export { lineOf } from '../core/text-position.ts';
