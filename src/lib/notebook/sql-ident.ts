// SQL identifiers for cell ids. Ids are restricted to plain identifiers so a cell id can be
// written unquoted in another cell's SQL; we still quote whenever we generate SQL ourselves.

/** The shape every sql/plot/stats cell id must have. */
export const CELL_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidCellId(id: string): boolean {
	return CELL_ID_PATTERN.test(id);
}

/** Double-quoted SQL identifier (DuckDB/Postgres style): embedded quotes are doubled. */
export function quoteIdent(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** DuckDB resolves identifiers case-insensitively, so names are compared in this form. */
export function nameKey(name: string): string {
	return name.toLowerCase();
}

/** Single-quoted SQL string literal. */
export function quoteLiteral(value: string): string {
	return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The query that tells whether `name` is a table or a view in the main schema (DuckDB refuses
 * `DROP VIEW IF EXISTS t` when t is a table, so a replace must know which it drops).
 */
export function objectTypeQuery(name: string): string {
	return `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND lower(table_name) = lower(${quoteLiteral(name)})`;
}

/** `DROP …` for an object whose information_schema table_type is `type`, or null if none. */
export function dropStatement(name: string, type: unknown): string | null {
	if (type === 'VIEW') return `DROP VIEW ${quoteIdent(name)}`;
	if (type === 'BASE TABLE' || type === 'LOCAL TEMPORARY') return `DROP TABLE ${quoteIdent(name)}`;
	return null;
}
