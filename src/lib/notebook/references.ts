// Which names a cell reads, the parts the cell kinds (cells/) share. For SQL: identifiers (outside
// strings and comments) that match the id of another table-producing cell, compared
// case-insensitively as DuckDB does. For plot specs: any mark's "data": "name". (A cell's full
// list, with from=, is its kind's `references`: cells/index.ts cellReferences.)
//
// The SQL side is a lexical over-approximation, not a parser. It leaves out identifiers that
// cannot be a table here: after '.' (a column of a qualifier, unless the qualifier is the `main`
// schema), after AS or '::' (an alias or a type), before '(' (a function), and CTE names the cell
// defines itself (WITH ranks AS (…) shadows a cell called ranks). A column that happens to share
// a cell's name still counts; the cost is an extra edge, never a missed one.
import { parseJson, isJsonObject } from '../core/json/parse.ts';
import { significantTokens, type SqlToken } from './sql-tokens.ts';
import { textLocator } from '../core/text-position.ts';
import { nameKey } from './sql-ident.ts';

export interface NameReference {
	/** The name as written in the cell. */
	name: string;
	/** Where it was found. */
	via: 'sql' | 'from' | 'data' | 'spec';
	/** 'spec': a field of a JSON spec naming a cell (a run cell's "from"). For 'sql' and 'data': offsets in the cell source of the identifier (quotes included) / JSON string. */
	start?: number;
	end?: number;
	/** 1-based line within the cell source ('from' is on the fence line: 0). */
	line: number;
}

const isWord = (t: SqlToken | undefined, ...words: string[]) =>
	t !== undefined && t.type === 'ident' && words.includes(t.text.toUpperCase());
const isPunct = (t: SqlToken | undefined, p: string) => t !== undefined && t.type === 'punct' && t.text === p;

/** Names a WITH clause defines: `name AS [NOT] [MATERIALIZED] (` or `name(cols) AS (` after WITH/RECURSIVE/','. */
function cteNames(tokens: SqlToken[]): Set<string> {
	const names = new Set<string>();
	tokens.forEach((t, k) => {
		if (t.type !== 'ident' && t.type !== 'quoted') return;
		if (!(isWord(tokens[k - 1], 'WITH', 'RECURSIVE') || isPunct(tokens[k - 1], ','))) return;
		let j = k + 1;
		if (isPunct(tokens[j], '(')) {
			let depth = 0;
			for (; j < tokens.length; j++) {
				if (isPunct(tokens[j], '(')) depth++;
				if (isPunct(tokens[j], ')') && --depth === 0) break;
			}
			j++;
		}
		if (!isWord(tokens[j], 'AS')) return;
		j++;
		if (isWord(tokens[j], 'NOT')) j++;
		if (isWord(tokens[j], 'MATERIALIZED')) j++;
		if (isPunct(tokens[j], '(')) names.add(nameKey(t.name!));
	});
	return names;
}

/**
 * Identifiers in `sql` naming one of `candidates` (cell ids), in order of appearance, one entry
 * per occurrence. `self` (the cell's own id) is never a reference.
 */
export function sqlReferences(sql: string, candidates: Iterable<string>, self?: string | null): NameReference[] {
	const wanted = new Set([...candidates].map(nameKey));
	if (self) wanted.delete(nameKey(self));
	const tokens = significantTokens(sql);
	const shadowed = cteNames(tokens);
	const refs: NameReference[] = [];
	const locate = textLocator(sql); // one pass over the text, not one per reference
	tokens.forEach((t, k) => {
		if (t.type !== 'ident' && t.type !== 'quoted') return;
		const key = nameKey(t.name!);
		if (!wanted.has(key) || shadowed.has(key)) return;
		const prev = tokens[k - 1];
		if (isPunct(prev, '.') && !isWord(tokens[k - 2], 'MAIN')) return;
		if (isWord(prev, 'AS') || (isPunct(prev, ':') && isPunct(tokens[k - 2], ':'))) return;
		if (isPunct(tokens[k + 1], '(')) return;
		refs.push({ name: t.name!, via: 'sql', start: t.start, end: t.end, line: locate(t.start).line });
	});
	return refs;
}

/** `"data": "name"` of each mark in a plot spec; nothing when the spec is not valid JSON. */
export function plotDataReferences(source: string): NameReference[] {
	const parsed = parseJson(source);
	if (!parsed.ok || !isJsonObject(parsed.value) || !Array.isArray(parsed.value.marks)) return [];
	const refs: NameReference[] = [];
	parsed.value.marks.forEach((mark, k) => {
		if (!isJsonObject(mark) || typeof mark.data !== 'string') return;
		const pos = parsed.positions.get(`marks/${k}/data`);
		refs.push({ name: mark.data, via: 'data', line: pos?.line ?? 1 });
	});
	return refs;
}
