// Runs a notebook's cells in dependency order against an abstract SQL engine: DuckDB-WASM in the
// browser, duckdb-wasm's Node bundle headless — the same engine, so a notebook means the same in
// both. All execution logic lives here; an engine only runs SQL and registers tables.
//
// sql   → CREATE OR REPLACE VIEW "<id>" AS <body>; result: SELECT * FROM "<id>"
// stats → reads its from= view, computes (stats-cell.ts), registers a table named by its id
// plot  → validates its spec against the columns of the data it reads; yields spec + tables
// run   → asks the host which runs its spec names (run-spec.ts); becomes a view named by its id
//         over that run's generations, joined with its judge's verdicts when it has a judge
// A failing cell does not stop independent cells; cells that read it are 'blocked'.
import { attribute, type Cell, type CellKind, type NotebookDoc } from './format.ts';
import type { Diagnostic } from './diagnostics.ts';
import { buildGraph, TABLE_KINDS, type NotebookGraph } from './graph.ts';
import { splitStatements, lineOf } from './sql-tokens.ts';
import { nameKey, quoteIdent, quoteLiteral } from './sql-ident.ts';
import { parsePlotSpec, plotDataNames, checkPlotColumns, type PlotSpec, type SpecError } from './plot-spec.ts';
import { parseStatsSpec, computeStats } from './stats-cell.ts';
import { parseRunSpec, type RunSpec } from './run-spec.ts';
import { cellSqlError, plainSqlError, viewBody } from './sql-cell-errors.ts';

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
	kind: Exclude<CellKind, 'markdown'>;
	status: CellStatus;
	table?: ResultTable;
	rowCount?: number;
	plot?: PlotResult;
	/** Run cells: the spec and the runs it names. */
	run?: { spec: RunSpec; plan: RunPlan };
	/**
	 * line: 1-based line in the notebook file, when known. quotesSource: the message quotes the
	 * cell's SQL with the cell's own line numbers (so a UI need not add the file's line).
	 */
	error?: { message: string; line?: number; quotesSource?: boolean };
	/** Non-fatal diagnostics on the cell (unclosed fence, unreadable attribute…). */
	warnings?: Diagnostic[];
	ms: number;
}

/** The runs a run cell's spec names; ids derive from the parameters, so this reads nothing. */
export interface RunPlan {
	generationRunId: string;
	judgeRunId: string | null;
}

/** What executes run cells: the workbench server, or the CLI reading the runs folder. */
export interface RunHost {
	/** Throws an Error with a clear message when the spec cannot name a run (unknown model, no items). */
	plan(spec: RunSpec): Promise<RunPlan>;
}

export interface RunOptions {
	/** Needed by run cells; without it they fail with a message saying so. */
	runs?: RunHost;
	/** Run only this cell (index in doc.cells, or id) and everything downstream of it. */
	only?: number | string;
	/** A standard AbortSignal works; only `aborted` is read. */
	signal?: { readonly aborted: boolean };
	/** Called with each result as soon as it is known. */
	onResult?: (result: CellResult) => void;
	/**
	 * State kept between runs on one engine (NotebookRunner keeps one): which views/tables the
	 * notebook created, and each cell's last status, so a partial run knows whether the upstream
	 * cells it does not re-run had failed.
	 */
	state?: ExecutionState;
}

export interface ExecutionState {
	/** nameKey(id) → what we created under that name. */
	created: Map<string, 'view' | 'table'>;
	/** nameKey(id) → last status. */
	statuses: Map<string, CellStatus>;
}

export function newExecutionState(): ExecutionState {
	return { created: new Map(), statuses: new Map() };
}

export interface RunReport {
	results: CellResult[];
	/** True when the signal stopped the run before every cell was reported. */
	cancelled: boolean;
}

// Typed structurally: this folder is compiled without DOM typings, but every runtime has it.
const clock = (globalThis as { performance?: { now(): number } }).performance;
const now = () => (clock ? clock.now() : Date.now());

class CellError extends Error {
	constructor(
		message: string,
		readonly line?: number,
		readonly quotesSource = false
	) {
		super(message);
	}
}

/** DuckDB errors quote the statement with "LINE n:"; map that back to the file. */
function engineError(e: unknown, firstLine: number): CellError {
	const message = e instanceof Error ? e.message : String(e);
	const m = /LINE (\d+):/.exec(message);
	return new CellError(plainSqlError(message), m ? firstLine + Number(m[1]) - 1 : undefined);
}

function specErrors(errors: SpecError[], cell: Cell): CellError {
	const first = errors[0];
	const message = errors.map((e) => e.message).join('\n');
	return new CellError(message, first.line !== undefined ? cell.sourceLine + first.line - 1 : cell.line);
}

/** The one statement of a sql cell, without a trailing ';'. */
export function sqlCellStatement(cell: Cell): { sql: string; firstLine: number; start: number } {
	const { statements } = splitStatements(cell.source);
	if (statements.length === 0) throw new CellError(`sql cell "${cell.id}" is empty`, cell.line);
	if (statements.length > 1) {
		const second = cell.sourceLine + lineOf(cell.source, statements[1].start) - 1;
		throw new CellError(
			`sql cell "${cell.id}" holds ${statements.length} statements; a cell is one query (it becomes a view). The second starts on line ${second}.`,
			second
		);
	}
	return { sql: statements[0].text, firstLine: cell.sourceLine + lineOf(cell.source, statements[0].start) - 1, start: statements[0].start };
}

interface Context {
	engine: SqlEngine;
	runs?: RunHost;
	state: ExecutionState;
	graph: NotebookGraph;
	doc: NotebookDoc;
}

async function dropOurs(ctx: Context, key: string, name: string): Promise<void> {
	const kind = ctx.state.created.get(key);
	if (!kind) return;
	await ctx.engine.exec(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(name)}`);
	ctx.state.created.delete(key);
}

async function runSql(ctx: Context, cell: Cell): Promise<Partial<CellResult>> {
	const id = cell.id!;
	const { sql, firstLine, start } = sqlCellStatement(cell);
	if (ctx.state.created.get(nameKey(id)) === 'table') await dropOurs(ctx, nameKey(id), id);
	// Body on the same line as AS, so DuckDB's "LINE n" counts lines of the body.
	const prefix = `CREATE OR REPLACE VIEW ${quoteIdent(id)} AS `;
	const body = viewBody(sql);
	const executed = prefix + body;
	try {
		await ctx.engine.exec(executed);
	} catch (e) {
		const prefixLength = prefix.length + body.indexOf(sql);
		const { message, cellLine } = cellSqlError(e instanceof Error ? e.message : String(e), { executed, prefixLength, source: cell.source, statementStart: start });
		throw new CellError(message, cellLine !== undefined ? cell.sourceLine + cellLine - 1 : firstLine, cellLine !== undefined);
	}
	ctx.state.created.set(nameKey(id), 'view');
	let table: ResultTable;
	try {
		table = await ctx.engine.query(`SELECT * FROM ${quoteIdent(id)}`);
	} catch (e) {
		throw new CellError(plainSqlError(e instanceof Error ? e.message : String(e)), firstLine);
	}
	return { table, rowCount: table.numRows };
}

async function runStats(ctx: Context, cell: Cell): Promise<Partial<CellResult>> {
	const id = cell.id!;
	const from = attribute(cell, 'from');
	if (!from) throw new CellError(`stats cell "${id}" needs from=<view> on its fence line`, cell.line);
	const { spec, errors } = parseStatsSpec(cell.source);
	if (!spec) throw specErrors(errors, cell);
	let input: ResultTable;
	try {
		input = await ctx.engine.query(`SELECT * FROM ${quoteIdent(from)}`);
	} catch (e) {
		throw engineError(e, cell.line);
	}
	let columns;
	try {
		columns = computeStats(input, spec);
	} catch (e) {
		throw new CellError(`stats cell "${id}" over ${from}: ${e instanceof Error ? e.message : String(e)}`, cell.sourceLine);
	}
	if (ctx.state.created.get(nameKey(id)) === 'view') await dropOurs(ctx, nameKey(id), id);
	await ctx.engine.registerRows(id, columns as unknown as Record<string, (number | string | null)[]>);
	ctx.state.created.set(nameKey(id), 'table');
	const table = await ctx.engine.query(`SELECT * FROM ${quoteIdent(id)}`);
	return { table, rowCount: table.numRows };
}

/**
 * The run's rows as a view named by the cell: generations, with the judge's verdict columns
 * when the spec has a judge. The run tables always exist (empty before any run), so the view
 * does too, and downstream cells simply see no rows until the run starts.
 */
export function runCellViewSql(id: string, plan: RunPlan): string {
	const generations = `SELECT * FROM generations WHERE run_id = ${quoteLiteral(plan.generationRunId)}`;
	const body = plan.judgeRunId
		? `SELECT g.*, v.judge, v.template, v.vulnerable, v.predicted_cwe, v.status AS verdict_status, v.error AS verdict_error, v.raw AS verdict_raw
FROM (${generations}) g
LEFT JOIN (SELECT * FROM verdicts WHERE run_id = ${quoteLiteral(plan.judgeRunId)}) v ON v.target_id = g.unit_id`
		: generations;
	return `CREATE OR REPLACE VIEW ${quoteIdent(id)} AS ${body}`;
}

async function runRunCell(ctx: Context, cell: Cell): Promise<Partial<CellResult>> {
	const id = cell.id!;
	const { spec, errors } = parseRunSpec(cell.source);
	if (!spec) throw specErrors(errors, cell);
	if (!ctx.runs) throw new CellError('run cells need the workbench server or the covw CLI to name their runs', cell.line);
	let plan: RunPlan;
	try {
		plan = await ctx.runs.plan(spec);
	} catch (e) {
		throw new CellError(`run cell "${id}": ${e instanceof Error ? e.message : String(e)}`, cell.sourceLine);
	}
	if (ctx.state.created.get(nameKey(id)) === 'table') await dropOurs(ctx, nameKey(id), id);
	try {
		await ctx.engine.exec(runCellViewSql(id, plan));
	} catch (e) {
		throw engineError(e, cell.line);
	}
	ctx.state.created.set(nameKey(id), 'view');
	const table = await ctx.engine.query(`SELECT * FROM ${quoteIdent(id)}`);
	return { table, rowCount: table.numRows, run: { spec, plan } };
}

async function runPlot(ctx: Context, cell: Cell): Promise<Partial<CellResult>> {
	const parsed = parsePlotSpec(cell.source);
	if (!parsed.spec) throw specErrors(parsed.errors, cell);
	const from = attribute(cell, 'from') ?? null;
	const data: Record<string, ResultTable> = {};
	for (const name of plotDataNames(parsed.spec, from)) {
		try {
			data[name] = await ctx.engine.query(`SELECT * FROM ${quoteIdent(name)}`);
		} catch (e) {
			throw engineError(e, cell.line);
		}
	}
	const errors = checkPlotColumns({ spec: parsed.spec, positions: parsed.positions }, from, (name) =>
		data[name]?.schema.fields.map((f) => f.name)
	);
	if (errors.length) throw specErrors(errors, cell);
	const main = from ? data[from] : undefined;
	return { plot: { spec: parsed.spec, from, data }, ...(main ? { rowCount: main.numRows } : {}) };
}

/** Cells to run: all of them in order, or one cell and its downstream. */
function selection(doc: NotebookDoc, graph: NotebookGraph, only: number | string | undefined): number[] {
	if (only === undefined) return graph.order;
	const index = typeof only === 'number' ? only : graph.indexOf(only);
	if (index === undefined || !doc.cells[index]) throw new RangeError(`no cell ${JSON.stringify(only)} to run`);
	if (doc.cells[index].kind === 'markdown') return [];
	const set = new Set([index, ...graph.downstream(index)]);
	return graph.order.filter((i) => set.has(i));
}

/**
 * Run cells, yielding each result as it is known. Stops (without yielding further) when the
 * signal aborts; an engine call already in flight finishes first and its result is discarded.
 */
export async function* executeNotebook(doc: NotebookDoc, engine: SqlEngine, options: Omit<RunOptions, 'onResult'> = {}): AsyncGenerator<CellResult> {
	const state = options.state ?? newExecutionState();
	const signal = options.signal;
	const tables = await engine.tableNames();
	const cellKeys = new Set(doc.cells.filter((c) => c.id && TABLE_KINDS.has(c.kind)).map((c) => nameKey(c.id!)));
	// Views and tables left from cells that no longer exist are not "known tables": a notebook must
	// not silently read a view its own file no longer defines.
	const stale = [...state.created.keys()].filter((key) => !cellKeys.has(key));
	const known = tables.filter((t) => !stale.includes(nameKey(t)));
	const graph = buildGraph(doc.cells, known);
	const ctx: Context = { engine, state, graph, doc, runs: options.runs };
	const run = selection(doc, graph, options.only);

	if (options.only === undefined) {
		for (const key of stale) {
			if (signal?.aborted) return;
			const name = tables.find((t) => nameKey(t) === key) ?? key;
			await dropOurs(ctx, key, name);
		}
	}

	const statusOf = new Map<number, CellStatus>();
	const rootFailure = new Map<number, number>(); // blocked/failed cell → the failed cell to name
	const inRun = new Set(run);
	const upstreamStatus = (i: number): CellStatus => {
		if (statusOf.has(i)) return statusOf.get(i)!;
		if (!inRun.has(i) && doc.cells[i].id) return state.statuses.get(nameKey(doc.cells[i].id!)) ?? 'ok';
		return 'ok';
	};

	for (const index of run) {
		if (signal?.aborted) return;
		const cell = doc.cells[index];
		const started = now();
		const base = { cellIndex: index, cellId: cell.id, kind: cell.kind as CellResult['kind'] };
		const warnings = cell.diagnostics.filter((d) => d.severity === 'warning');
		let result: CellResult;
		const failedUpstream = (graph.upstream.get(index) ?? []).find((u) => upstreamStatus(u) !== 'ok');
		const problems = [...cell.diagnostics.filter((d) => d.severity === 'error'), ...(graph.errors.get(index) ?? [])];

		if (problems.length) {
			result = { ...base, status: 'error', error: { message: problems.map((d) => d.message).join('\n'), line: problems[0].line }, ms: 0 };
		} else if (failedUpstream !== undefined) {
			const root = rootFailure.get(failedUpstream) ?? failedUpstream;
			rootFailure.set(index, root);
			const rootCell = doc.cells[root];
			result = {
				...base,
				status: 'blocked',
				error: { message: `blocked: upstream cell "${rootCell.id ?? rootCell.kind}" (line ${rootCell.line}) failed`, line: cell.line },
				ms: 0
			};
		} else {
			try {
				const out =
					cell.kind === 'sql'
						? await runSql(ctx, cell)
						: cell.kind === 'stats'
							? await runStats(ctx, cell)
							: cell.kind === 'plot'
								? await runPlot(ctx, cell)
								: await runRunCell(ctx, cell);
				result = { ...base, status: 'ok', ...out, ms: now() - started };
			} catch (e) {
				const error = e instanceof CellError ? e : engineError(e, cell.sourceLine);
				result = {
					...base,
					status: 'error',
					error: { message: error.message, ...(error.line !== undefined ? { line: error.line } : {}), ...(error.quotesSource ? { quotesSource: true } : {}) },
					ms: now() - started
				};
			}
		}
		if (signal?.aborted) return;
		if (result.status !== 'ok' && cell.id && TABLE_KINDS.has(cell.kind)) {
			// Leave no stale view behind a failed cell: nothing may read last run's result by accident.
			await dropOurs(ctx, nameKey(cell.id), cell.id).catch(() => undefined);
		}
		if (warnings.length) result.warnings = warnings;
		statusOf.set(index, result.status);
		if (cell.id) state.statuses.set(nameKey(cell.id), result.status);
		yield result;
	}
}

/** executeNotebook with a callback; resolves with every result once done or cancelled. */
export async function runNotebook(doc: NotebookDoc, engine: SqlEngine, options: RunOptions = {}): Promise<RunReport> {
	const results: CellResult[] = [];
	for await (const result of executeNotebook(doc, engine, options)) {
		results.push(result);
		options.onResult?.(result);
	}
	return { results, cancelled: options.signal?.aborted ?? false };
}

/**
 * One notebook on one engine: keeps the execution state between runs, and makes a newer run
 * supersede an older one (the older stops after its current engine call and reports nothing
 * more; runs never interleave on the engine).
 */
export class NotebookRunner {
	private readonly state = newExecutionState();
	private current: { controller: { aborted: boolean; abort(): void }; done: Promise<unknown> } | null = null;

	constructor(private readonly engine: SqlEngine) {}

	async run(doc: NotebookDoc, options: Omit<RunOptions, 'signal' | 'state'> = {}): Promise<RunReport> {
		const previous = this.current;
		previous?.controller.abort();
		const controller = { aborted: false, abort() { this.aborted = true; } };
		const done = (async () => {
			await previous?.done.catch(() => undefined);
			return runNotebook(doc, this.engine, { ...options, signal: controller, state: this.state });
		})();
		this.current = { controller, done };
		return done;
	}

	cancel(): void {
		this.current?.controller.abort();
	}
}
