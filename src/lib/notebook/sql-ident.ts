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
