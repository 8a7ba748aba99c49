// The `sql` cell kind: one DuckDB query that becomes a view named by the cell's id.
//   CREATE OR REPLACE VIEW "<id>" AS <body>; its result: SELECT * FROM "<id>"
import type { Cell } from '../cell.ts';
import type { SpecError } from '../plot-spec.ts';
import { sqlReferences } from '../references.ts';
import { nameKey, quoteIdent } from '../sql-ident.ts';
import { lineOf, splitStatements } from '../sql-tokens.ts';
import { CellError, cellIdOf, engineError, type CellKindModule } from './kind.ts';
import { readHeadAndCount } from '../sql-result-read.ts';
import type { Upstream } from './example.ts';
import { cellSqlError, viewBody } from '../sql-cell-errors.ts';
import { refusedStatement } from '../sql-statement-guard.ts';

export interface SqlStatement {
	/** The statement without a trailing ';' and without leading comments. */
	text: string;
	/** Offset of `text` in the body. */
	start: number;
}

const EMPTY = 'is empty';
/** Rows of a sql cell's result brought out of the engine (grid, CSV of the page, sample view); the count is exact. */
export const SHOWN_ROWS = 100_000;
const many = (n: number) => `holds ${n} statements; a cell is one query (it becomes a view)`;

function parse(source: string): { spec: SqlStatement | null; errors: SpecError[] } {
	const { statements } = splitStatements(source);
	if (statements.length === 0) return { spec: null, errors: [{ message: EMPTY, line: 1 }] };
	if (statements.length > 1) return { spec: null, errors: [{ message: many(statements.length), line: lineOf(source, statements[1].start) }] };
	const refused = refusedStatement(statements[0].text);
	if (refused) return { spec: null, errors: [{ message: refused, line: lineOf(source, statements[0].start) }] };
	return { spec: statements[0], errors: [] };
}

/** The one statement of a sql cell, without a trailing ';', and its first line in the file. */
export function sqlCellStatement(cell: Cell): { sql: string; firstLine: number; start: number } {
	const { statements } = splitStatements(cell.source);
	if (statements.length === 0) throw new CellError(`sql cell "${cell.id}" ${EMPTY}`, cell.line);
	if (statements.length > 1) {
		const second = cell.sourceLine + lineOf(cell.source, statements[1].start) - 1;
		throw new CellError(`sql cell "${cell.id}" ${many(statements.length)}. The second starts on line ${second}.`, second);
	}
	const firstLine = cell.sourceLine + lineOf(cell.source, statements[0].start) - 1;
	// COPY, ATTACH, SET… can never run in a cell: said so, instead of DuckDB's syntax error.
	const refused = refusedStatement(statements[0].text);
	if (refused) throw new CellError(`sql cell "${cell.id}": ${refused}`, firstLine);
	return { sql: statements[0].text, firstLine, start: statements[0].start };
}

/** Every SQL reference to `oldId` → `newId` (tokens, so strings and comments are untouched). */
function renameInSource(source: string, oldId: string, newId: string): string {
	const refs = sqlReferences(source, [oldId]).filter((r) => nameKey(r.name) === nameKey(oldId));
	let out = source;
	for (const r of refs.reverse()) {
		const quoted = source[r.start!] === '"';
		out = out.slice(0, r.start) + (quoted ? `"${newId}"` : newId) + out.slice(r.end);
	}
	return out;
}

export const sqlCell: CellKindModule<SqlStatement> = {
	name: 'sql',
	description: 'one DuckDB query; it becomes a view named by the cell id that other cells read',
	fenced: true,
	needsId: true,
	yieldsTable: true,
	language: 'sql',
	newSource: 'SELECT 1 AS one',
	example: (up: Upstream | null) => ({ source: up ? `SELECT *\nFROM ${quoteIdent(up.id)}\nLIMIT 100` : 'SELECT 1 AS one' }),
	parse,
	references: (cell, tableCellIds) => sqlReferences(cell.source, tableCellIds, cell.id),
	renameInSource,
	async execute(ctx, cell) {
		const id = cellIdOf(cell);
		const { sql, firstLine, start } = sqlCellStatement(cell);
		await ctx.prepare(id, 'view');
		// Body on the same line as AS, so DuckDB's "LINE n" counts lines of the body. DESCRIBE,
		// SUMMARIZE and SHOW are wrapped as SELECT * FROM (…) (sql-cell-errors.ts).
		const prefix = `CREATE OR REPLACE VIEW ${quoteIdent(id)} AS `;
		const body = viewBody(sql);
		const executed = prefix + body;
		try {
			await ctx.engine.exec(executed);
		} catch (e) {
			// The error in the cell's terms: the user's SQL with the cell's line numbers, once.
			const prefixLength = prefix.length + body.indexOf(sql);
			const { message, cellLine } = cellSqlError(e instanceof Error ? e.message : String(e), { executed, prefixLength, source: cell.source, statementStart: start });
			throw new CellError(message, cellLine !== undefined ? cell.sourceLine + cellLine - 1 : firstLine, cellLine !== undefined);
		}
		ctx.created(id, 'view');
		// The result stays in the engine as the view; the page gets its first SHOWN_ROWS rows and
		// the count (a 3M-row SELECT materialised whole took a tab from 3 to 669 MB), the user's
		// query run once where a second run would sort or group it all again (sql-result-read.ts).
		const { table, rowCount } = await readHeadAndCount(ctx.engine, id, SHOWN_ROWS, (e) => engineError(e, cell.sourceLine));
		return { table, rowCount };
	}
};
