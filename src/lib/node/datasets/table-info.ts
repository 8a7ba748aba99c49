/** What the workbench lists for one data file: enough to show it and to fetch its rows. */
export interface ColumnInfo {
	name: string;
	/** Arrow type as printed by apache-arrow: "Float64", "Utf8", "Bool", "Int32", "Timestamp<MILLISECOND>", … */
	type: string;
}

export interface TableInfo {
	/** The SQL name the table gets in DuckDB (see table-name.ts). */
	name: string;
	/** Path relative to the data folder, with forward slashes. */
	file: string;
	rows: number;
	columns: ColumnInfo[];
	/** Set when the file could not be loaded; then rows is 0 and columns is empty. */
	error?: string;
	/** Lines the table leaves out, each naming its file and line (labels/*.jsonl: lines that are not valid labels). */
	warnings?: string[];
}

/**
 * A file that could not be read as a table. `message` already starts with the file's relative
 * path and, where there is one, the 1-based physical line: "paper/x.csv line 3: …".
 */
export class DataFileError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DataFileError';
	}
}
