/**
 * A bad input row, reported with where it came from: the source (a file name, a table name,
 * whatever the caller passes), the row's position and the offending field. Callers reading a
 * file pass `firstLine` so the message names the file's own line number.
 */
export class RowError extends Error {
	constructor(
		readonly source: string,
		/** Line in the source when firstLine was given, else the 0-based row index. */
		readonly line: number,
		readonly field: string,
		problem: string
	) {
		super(`${source}: line ${line}: field "${field}": ${problem}`);
		this.name = 'RowError';
	}
}

/** Where rows came from, for error messages. */
export interface RowSource {
	/** e.g. 'runs/abc/verdicts.jsonl'; default 'rows'. */
	source?: string;
	/** Line number of rows[0] in the source (e.g. 1 for JSONL, 2 for CSV with a header); default 0. */
	firstLine?: number;
}

export function rowLocator(where: RowSource | undefined, fn: string) {
	const source = where?.source ?? `${fn} rows`;
	const firstLine = where?.firstLine ?? 0;
	return (index: number, field: string, problem: string) =>
		new RowError(source, firstLine + index, field, problem);
}
