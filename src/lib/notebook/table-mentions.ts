// Whether a statement names a table as a word: how a page loads the listed tables a query reads
// (workbench/table-names.ts) and how the server's first paint does the same (server/first-paint/).
// One function for both, so both load the same tables for the same SQL.

/** Whether `sql` (lower-cased) names `table` as a word (not inside a longer identifier). */
export function mentions(sql: string, table: string): boolean {
	let at = sql.indexOf(table);
	while (at >= 0) {
		const before = sql[at - 1];
		const after = sql[at + table.length];
		if (!isWordChar(before) && !isWordChar(after)) return true;
		at = sql.indexOf(table, at + 1);
	}
	return false;
}
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
