// The page's DuckDB schema: every table and view with its columns (for the schema browser and
// SQL autocomplete), read from information_schema so notebook views are included.
import { quoteIdent } from '../notebook/sql-ident.ts';
import { browserEngine } from './browser-engine.ts';
import { tables as listedTables } from './tables.svelte.ts';

export interface ColumnInfo {
	name: string;
	type: string;
}

/** DESCRIBE <table>: its columns and their DuckDB types. */
export async function describeTable(name: string): Promise<ColumnInfo[]> {
	const result = await browserEngine.query(`DESCRIBE ${quoteIdent(name)}`);
	const names = result.getChild('column_name');
	const types = result.getChild('column_type');
	return Array.from({ length: result.numRows }, (_, i) => ({ name: String(names?.get(i)), type: String(types?.get(i)) }));
}

/**
 * Table or view name → its column names: every object DuckDB holds, and the tables the server
 * lists that the page has not fetched yet (their columns come with the listing).
 */
export async function schemaColumns(): Promise<Record<string, string[]>> {
	const result = await browserEngine.query(
		"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
	);
	const tables = result.getChild('table_name');
	const columns = result.getChild('column_name');
	const schema: Record<string, string[]> = {};
	for (let i = 0; i < result.numRows; i++) (schema[String(tables?.get(i))] ??= []).push(String(columns?.get(i)));
	for (const entry of listedTables.entries) {
		if (!(entry.name in schema) && entry.columns.length > 0) schema[entry.name] = entry.columns.map((c) => c.name);
	}
	return schema;
}
