// A sql cell in the user's terms. DuckDB runs `CREATE OR REPLACE VIEW "<id>" AS <statement>`,
// so its errors quote that wrapper and count lines of it, and DESCRIBE / SUMMARIZE / SHOW are
// not queries a view can hold. Here:
//   viewBody      — DESCRIBE t, SUMMARIZE t, SHOW TABLES… as `SELECT * FROM (<statement>)`;
//   cellSqlError  — DuckDB's message without its "LINE n:" blocks (parser errors carry two),
//                   followed once by the cell's own SQL with the cell's line numbers and a caret
//                   where DuckDB pointed; a missing benchmark table says how to get it.

const INTROSPECTION = /^(?:DESCRIBE|DESC|SUMMARIZE|SHOW)\b/i;

/** The query a sql cell's view is made of: the statement, or an introspection statement wrapped. */
export function viewBody(statement: string): string {
	// The ")" goes on its own line: a trailing -- comment must not swallow it.
	return INTROSPECTION.test(statement) ? `SELECT * FROM (${statement}\n)` : statement;
}

/** Tables the workbench fills itself, and what to do when one is missing. */
const MISSING_TABLE_HELP: Record<string, string> = {
	items:
		'The table "items" holds the CoV-Eval benchmark, which is not imported yet: run `covw data import path/to/CoV-Eval` (a clone of github.com/MurrayTom/CoV-Eval), then reload this page.',
	labels: 'The table "labels" appears once a first label is given in the labelling view (/label) or a labels CSV is imported.',
	generations: 'The table "generations" comes from the runs folder; reload the page, and see the server log if it stays missing.',
	verdicts: 'The table "verdicts" comes from the runs folder; reload the page, and see the server log if it stays missing.',
	runs: 'The table "runs" comes from the runs folder; reload the page, and see the server log if it stays missing.',
	vul_evol_filters: 'The table "vul_evol_filters" appears once `covw evolve` has run (it writes datasets/evolved/vul_evol_filters.jsonl); reload this page after it.'
};

/** The hint for a "Table with name X does not exist" message, or null. */
export function missingTableHint(message: string): string | null {
	const m = /Table with name "?([^\s"!]+)"? does not exist/i.exec(message);
	return m ? (MISSING_TABLE_HELP[m[1].toLowerCase()] ?? null) : null;
}

export interface CellSqlContext {
	/** What the engine ran. */
	executed: string;
	/** Characters before the cell's statement on the first line of `executed` (the wrapper). */
	prefixLength: number;
	/** The cell's source, as the editor shows it. */
	source: string;
	/** Offset of the statement in `source`. */
	statementStart: number;
}

export interface CellSqlError {
	message: string;
	/** 1-based line inside the cell where DuckDB pointed, when it did. */
	cellLine?: number;
}

const LINE_BLOCK = /\n?LINE (\d+): ?(.*)\n( *)\^[^\n]*/g;
const EXCERPT_ALL = 12;
const EXCERPT_AROUND = 3;

/** Where DuckDB's first LINE block points in `executed`: 1-based line, 0-based column. */
function pointedAt(message: string, executed: string): { line: number; column: number | null } | null {
	LINE_BLOCK.lastIndex = 0;
	const m = LINE_BLOCK.exec(message);
	if (!m) return null;
	const line = Number(m[1]);
	const label = `LINE ${m[1]}: `;
	let context = m[2];
	let caret = m[3].length - label.length;
	if (context.startsWith('...')) {
		context = context.slice(3);
		caret -= 3;
	}
	const search = context.endsWith('...') ? context.slice(0, -3) : context;
	const text = executed.split('\n')[line - 1] ?? '';
	const at = search === '' ? -1 : text.indexOf(search);
	return { line, column: at >= 0 && caret >= 0 ? at + caret : null };
}

/** DuckDB's message without its LINE blocks, with the missing-table hint when there is one. */
export function plainSqlError(rawMessage: string): string {
	LINE_BLOCK.lastIndex = 0;
	// DuckDB suggests its own catalog tables (sqlite_master…) for a missing name: no help to anyone.
	const message = rawMessage
		.replace(LINE_BLOCK, '')
		.replace(/\n?Did you mean "(?:sqlite_|pg_|duckdb_|information_schema)[^"]*"\??/g, '')
		.trimEnd();
	const hint = missingTableHint(rawMessage);
	return hint ? `${message}\n\n${hint}` : message;
}

/** DuckDB's error for a sql cell, in the cell's terms (see the file comment). */
export function cellSqlError(rawMessage: string, ctx: CellSqlContext): CellSqlError {
	const where = pointedAt(rawMessage, ctx.executed);
	const message = plainSqlError(rawMessage);
	if (!where) return { message };

	const lines = ctx.source.split('\n');
	const before = ctx.source.slice(0, ctx.statementStart);
	const statementLine = before.split('\n').length; // 1-based line of the statement in the cell
	const statementColumn = ctx.statementStart - (before.lastIndexOf('\n') + 1);
	const statementLines = ctx.source.slice(ctx.statementStart).split('\n').length;
	// The wrapper adds text on the first line only, and viewBody a last line with ")".
	let k = where.line;
	let column = where.column;
	if (k > statementLines) {
		k = statementLines;
		column = null;
	}
	if (column !== null && k === 1) column = Math.max(0, column - ctx.prefixLength) + statementColumn;
	const cellLine = statementLine + k - 1;

	const from = lines.length <= EXCERPT_ALL ? 1 : Math.max(1, cellLine - EXCERPT_AROUND);
	const to = lines.length <= EXCERPT_ALL ? lines.length : Math.min(lines.length, cellLine + EXCERPT_AROUND);
	const width = String(to).length;
	const excerpt: string[] = [];
	for (let n = from; n <= to; n++) {
		const text = lines[n - 1];
		excerpt.push(`${String(n).padStart(width)} | ${text}`);
		if (n === cellLine && column !== null) {
			// Tabs kept as tabs so the caret lines up under them.
			const pad = text.slice(0, column).replace(/[^\t]/g, ' ');
			excerpt.push(`${' '.repeat(width)} | ${pad}^`);
		}
	}
	return { message: `${message}\n\nline ${cellLine} of the cell:\n${excerpt.join('\n')}`, cellLine };
}
