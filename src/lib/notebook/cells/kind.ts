// What a cell kind is: one module per kind (markdown.ts, sql.ts, plot.ts, stats.ts, run.ts), listed
// in index.ts. The parser, the diagnostics, the graph, the executor and the workbench ask the list
// what a kind needs (an id?), yields (a table?), reads (references) and does (execute); none of
// them names a kind. Also here: what an execution sees (the SQL engine, the run host) and yields.
import type { Cell } from '../cell.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { NameReference } from '../references.ts';
import type { PlotSpec, SpecError } from '../plot-spec.ts';
import type { RunSpec } from '../run-spec.ts';
import { quoteIdent } from '../sql-ident.ts';
import { plainSqlError } from '../sql-cell-errors.ts';
import type { CellExample, ExampleContext, Upstream } from './example.ts';
import type { JsonSchema } from './schemas.ts';

export interface CellKindModule<Spec = unknown> {
	/** The word that opens the fence (```sql id=…), or 'markdown' for the text between fences. */
	readonly name: string;
	/** One line for people: what a cell of this kind is for. */
	readonly description: string;
	/** False only for markdown: the text between fenced cells. */
	readonly fenced: boolean;
	/** Whether a cell of this kind must carry id= (a missing one is an error on the cell). */
	readonly needsId: boolean;
	/** Whether the cell's result is a table (a view or a registered table) other cells can read by its id. */
	readonly yieldsTable: boolean;
	/** How the workbench's editor highlights the body. */
	readonly language: 'sql' | 'json' | 'markdown';
	/** The body of a new cell of this kind. */
	readonly newSource: string;
	/**
	 * A new cell as a working example reading `upstream` (the nearest sql cell above with its
	 * result's columns, or null), and for run cells the configured models: its body and from=.
	 * Absent: `newSource` with no from=.
	 */
	example?(upstream: Upstream | null, context?: ExampleContext): CellExample;
	/** JSON kinds: the spec's schema (schemas.ts), for the editor's completion and hover docs and the reference page. */
	readonly schema?: JsonSchema;
	/** Whether the fence line's from= names the table the cell reads (the workbench shows a field for it). */
	readonly readsFrom?: boolean;
	/** The body → its spec, or errors with lines within the body. Never throws. */
	parse(source: string): { spec: Spec | null; errors: SpecError[] };
	/** Every name the cell reads; `tableCellIds` are the ids of cells that yield a table. */
	references(cell: Cell, tableCellIds: Iterable<string>): NameReference[];
	/** The body with reads of table `oldId` renamed to `newId` (from= on the fence is renamed for every kind). */
	renameInSource?(source: string, oldId: string, newId: string): string;
	/** Runs the cell; throws CellError (with a file line) when it fails. Absent: the cell never runs (markdown). */
	execute?(ctx: CellContext, cell: Cell): Promise<CellOutcome>;
}

/** Structural subset of an apache-arrow Table. */
export interface ResultTable {
	numRows: number;
	schema: { fields: { name: string; type: unknown }[] };
	getChild(name: string): { get(i: number): unknown; toArray(): ArrayLike<unknown> } | null;
}

export interface SqlEngine {
	/** Run one statement and return its result. */
	query(sql: string): Promise<ResultTable>;
	exec(sql: string): Promise<void>;
	/** Create or replace table `name` from plain columns. */
	registerRows(name: string, columns: Record<string, (number | string | null)[]>): Promise<void>;
	tableNames(): Promise<string[]>;
}

/** The runs a run cell's spec names; ids derive from the parameters, so this reads nothing. */
export interface RunPlan {
	/**
	 * The run the cell's Start, Cancel and progress follow: the generation run; for self-detection
	 * its judge run (the model judging its own programs); for self-repair the repair run; for evolve
	 * the evolution run.
	 */
	generationRunId: string;
	/** The judge run over it (self-repair: the judge of the repairs), or null. */
	judgeRunId: string | null;
	/** Absent: a generation run (completion, repair, detection). */
	kind?: 'self-detection' | 'self-repair' | 'evolve';
	/** self-detection, self-repair: the completion run they start from and its reference judge run. */
	sourceRunId?: string;
	referenceRunId?: string;
}

/**
 * A host's answer when the project cannot name a spec's runs yet (no benchmark items imported):
 * not a mistake in the spec, so the cell is an empty view that says why, not an error. Any error
 * with `unavailable: true` counts (the server's own error classes carry it too).
 */
export class RunUnavailableError extends Error {
	readonly unavailable = true;
}

export const isRunUnavailable = (e: unknown): e is Error => e instanceof Error && (e as { unavailable?: unknown }).unavailable === true;

/** What executes run cells: the workbench server, or the CLI reading the runs folder. */
export interface RunHost {
	/** Throws an Error with a clear message when the spec cannot name a run (unknown model); a RunUnavailableError when the project has no items yet. */
	plan(spec: RunSpec): Promise<RunPlan>;
}

export type CellStatus = 'ok' | 'error' | 'blocked';

export interface PlotResult {
	spec: PlotSpec;
	/** The cell's from= (data for marks without their own "data"). */
	from: string | null;
	/** Every table the spec reads, by the name the spec uses. */
	data: Record<string, ResultTable>;
}

export interface CellResult {
	cellIndex: number;
	cellId: string | null;
	/** The cell's kind (never 'markdown': markdown does not run). */
	kind: string;
	status: CellStatus;
	table?: ResultTable;
	rowCount?: number;
	plot?: PlotResult;
	/** Run cells: the spec and the runs it names. */
	run?: { spec: RunSpec; plan: RunPlan; unavailable?: string };
	/**
	 * line: 1-based line in the notebook file, when known. quotesSource: the message quotes the
	 * cell's SQL with the cell's own line numbers (so a UI need not add the file's line).
	 */
	error?: { message: string; line?: number; quotesSource?: boolean };
	/** A blocked cell: the cell upstream that failed (by id, else kind), which it waits for. */
	waitsFor?: { name: string; line: number };
	/** Non-fatal diagnostics on the cell (unclosed fence, unreadable attribute…). */
	warnings?: Diagnostic[];
	ms: number;
}

/** What a cell's execution yields besides its status. */
export type CellOutcome = Pick<CellResult, 'table' | 'rowCount' | 'plot' | 'run'>;

/** What an execution may use: the engine, the run host, and the notebook's record of what it created. */
export interface CellContext {
	engine: SqlEngine;
	runs?: RunHost;
	/** Another cell of the notebook by id (as DuckDB compares names); run cells read the spec of the cell their "from" names. */
	cell?(id: string): Cell | undefined;
	/** Before creating `id` as a view or a table: drops what this notebook created under that name as the other one. */
	prepare(id: string, as: 'view' | 'table'): Promise<void>;
	/** After creating it: the notebook now owns that name. */
	created(id: string, as: 'view' | 'table'): void;
}

/** A cell's failure, with the 1-based notebook-file line it concerns. */
export class CellError extends Error {
	constructor(
		message: string,
		readonly line?: number,
		readonly quotesSource = false
	) {
		super(message);
	}
}

/**
 * DuckDB errors quote the statement with "LINE n:"; map that back to the file. An error without
 * one is placed on `firstLine`: every failure names a line.
 */
export function engineError(e: unknown, firstLine: number): CellError {
	const message = e instanceof Error ? e.message : String(e);
	const m = /LINE (\d+):/.exec(message);
	return new CellError(plainSqlError(message), m ? firstLine + Number(m[1]) - 1 : firstLine);
}

/** Spec errors (lines within the body) → one CellError at the first one's file line. */
export function specErrors(errors: SpecError[], cell: Cell): CellError {
	const first = errors[0];
	const message = errors.map((e) => e.message).join('\n');
	return new CellError(message, first.line !== undefined ? cell.sourceLine + first.line - 1 : cell.line);
}

/** The cell's id; kinds that need one are never executed without it (a diagnostic stops them). */
export function cellIdOf(cell: Cell): string {
	if (!cell.id) throw new CellError(`${cell.kind} cell on line ${cell.line} has no id (add id=name to the fence line)`, cell.line);
	return cell.id;
}

/** Every row of a view or table (or the first `limit`); an engine failure is reported on `line`. */
export async function readTable(engine: SqlEngine, name: string, line: number, limit?: number): Promise<ResultTable> {
	try {
		return await engine.query(`SELECT * FROM ${quoteIdent(name)}${limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(limit))}` : ''}`);
	} catch (e) {
		throw engineError(e, line);
	}
}
