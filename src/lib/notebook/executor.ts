// Runs a notebook's cells in dependency order against an abstract SQL engine: DuckDB-WASM in the
// browser, duckdb-wasm's Node bundle headless — the same engine, so a notebook means the same in
// both. This file is the scheduling only: the order (graph.ts), what is blocked by a failed
// upstream cell, cancellation, and the record of the views and tables the notebook created.
// What a cell does is its kind's `execute` (cells/sql.ts, plot.ts, stats.ts, run.ts, …, listed in
// cells/index.ts); an engine only runs SQL and registers tables.
// A failing cell does not stop independent cells; cells that read it are 'blocked'.
import type { Cell, NotebookDoc } from './format.ts';
import { buildGraph, type NotebookGraph } from './graph.ts';
import { nameKey, quoteIdent } from './sql-ident.ts';
import { cellKind, yieldsTable } from './cells/index.ts';
import {
	CellError,
	engineError,
	type CellContext,
	type CellOutcome,
	type CellResult,
	type CellStatus,
	type RunHost,
	type SqlEngine
} from './cells/kind.ts';

export type { ResultTable, SqlEngine, CellStatus, PlotResult, CellResult, RunPlan, RunHost, CellOutcome } from './cells/kind.ts';
export { RunUnavailableError, isRunUnavailable } from './cells/kind.ts';
export { sqlCellStatement } from './cells/sql.ts';
export { runCellViewSql } from './cells/run.ts';

export interface RunOptions {
	/** Needed by run cells; without it they fail with a message saying so. */
	runs?: RunHost;
	/** Run only this cell (index in doc.cells, or id) — or these cells — and everything downstream of it. */
	only?: number | string | readonly (number | string)[];
	/** A standard AbortSignal works; only `aborted` is read. */
	signal?: { readonly aborted: boolean };
	/**
	 * Report the cells whose problems are known before anything runs (a cycle, an unknown name,
	 * a bad spec, no id) first, so a slow query does not hold them back; the rest follow in order.
	 */
	staticErrorsFirst?: boolean;
	/** Called with each result as soon as it is known. */
	onResult?: (result: CellResult) => void;
	/** Called when a cell starts to run on the engine (the page shows it running, with a Cancel). */
	onStart?: (cellIndex: number) => void;
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

interface Context {
	engine: SqlEngine;
	runs?: RunHost;
	state: ExecutionState;
	doc: NotebookDoc;
}

async function dropOurs(ctx: Context, key: string, name: string): Promise<void> {
	const kind = ctx.state.created.get(key);
	if (!kind) return;
	await ctx.engine.exec(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(name)}`);
	ctx.state.created.delete(key);
}

/** What a kind's execute sees: the engine, the run host, and the record of what the notebook created. */
function cellContext(ctx: Context): CellContext {
	return {
		engine: ctx.engine,
		runs: ctx.runs,
		cell: (id) => ctx.doc.cells.find((c) => c.id !== null && nameKey(c.id) === nameKey(id)),
		async prepare(id, as) {
			const mine = ctx.state.created.get(nameKey(id));
			if (mine && mine !== as) await dropOurs(ctx, nameKey(id), id);
		},
		created(id, as) {
			ctx.state.created.set(nameKey(id), as);
		}
	};
}

async function executeCell(ctx: Context, cell: Cell): Promise<CellOutcome> {
	const kind = cellKind(cell.kind);
	if (!kind?.execute) throw new CellError(`no cell kind "${cell.kind}" can run this cell`, cell.line);
	if (kind.needsId && !cell.id) throw new CellError(`${cell.kind} cell on line ${cell.line} has no id (add id=name to the fence line)`, cell.line);
	return kind.execute(cellContext(ctx), cell);
}

/** Thrown by the engine of a static check: the cell needs the engine, so its error is not static. */
class NeedsEngine extends Error {}

/**
 * A cell whose spec does not parse (an unknown mark, bad JSON, two statements) fails in its
 * kind's execute before that touches the engine: run it against an engine that refuses every
 * call, and its error is known without waiting for the cells before it. Anything else: null.
 */
async function specError(ctx: Context, cell: Cell): Promise<CellResult['error'] | null> {
	const kind = cellKind(cell.kind);
	if (!kind?.execute || kind.parse(cell.source).errors.length === 0) return null;
	let touched = false; // kinds turn engine failures into their own errors: the flag tells
	const refuse = async (): Promise<never> => {
		touched = true;
		throw new NeedsEngine();
	};
	const engine: SqlEngine = { query: refuse, exec: refuse, registerRows: refuse, tableNames: () => ctx.engine.tableNames() };
	try {
		await executeCell({ ...ctx, engine, runs: undefined, state: newExecutionState() }, cell);
		return null;
	} catch (e) {
		if (touched || !(e instanceof CellError)) return null;
		return { message: e.message, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.quotesSource ? { quotesSource: true } : {}) };
	}
}

/** Cells to run: all of them in order, or one cell and its downstream. */
function selection(doc: NotebookDoc, graph: NotebookGraph, only: RunOptions['only']): number[] {
	if (only === undefined) return graph.order;
	const set = new Set<number>();
	for (const one of typeof only === 'object' ? only : [only]) {
		const index = typeof one === 'number' ? one : graph.indexOf(one);
		if (index === undefined || !doc.cells[index]) throw new RangeError(`no cell ${JSON.stringify(one)} to run`);
		if (doc.cells[index].kind === 'markdown') continue;
		for (const i of [index, ...graph.downstream(index)]) set.add(i);
	}
	return graph.order.filter((i) => set.has(i));
}

/**
 * Run cells, yielding each result as it is known. Stops when the signal aborts: a cell already
 * running finishes first and its result is still yielded (it ran); no cell after it starts.
 */
export async function* executeNotebook(doc: NotebookDoc, engine: SqlEngine, options: Omit<RunOptions, 'onResult'> = {}): AsyncGenerator<CellResult> {
	const state = options.state ?? newExecutionState();
	const signal = options.signal;
	const tables = await engine.tableNames();
	const cellKeys = new Set(doc.cells.filter((c) => c.id && yieldsTable(c.kind)).map((c) => nameKey(c.id!)));
	// Views and tables left from cells that no longer exist are not "known tables": a notebook must
	// not silently read a view its own file no longer defines.
	const stale = [...state.created.keys()].filter((key) => !cellKeys.has(key));
	const known = tables.filter((t) => !stale.includes(nameKey(t)));
	const graph = buildGraph(doc.cells, known);
	const ctx: Context = { engine, state, runs: options.runs, doc };
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

	const staticProblems = (index: number) => [...doc.cells[index].diagnostics.filter((d) => d.severity === 'error'), ...(graph.errors.get(index) ?? [])];
	const reported = new Set<number>();
	if (options.staticErrorsFirst) {
		for (const index of run) {
			const cell = doc.cells[index];
			const problems = staticProblems(index);
			const error = problems.length ? { message: problems.map((d) => d.message).join('\n'), line: problems[0].line } : await specError(ctx, cell);
			if (!error) continue;
			const warnings = cell.diagnostics.filter((d) => d.severity === 'warning');
			const result: CellResult = { cellIndex: index, cellId: cell.id, kind: cell.kind, status: 'error', error, ms: 0, ...(warnings.length ? { warnings } : {}) };
			if (cell.id && graph.indexOf(cell.id) === index && yieldsTable(cell.kind)) await dropOurs(ctx, nameKey(cell.id), cell.id).catch(() => undefined);
			if (signal?.aborted) return;
			reported.add(index);
			statusOf.set(index, 'error');
			if (cell.id && graph.indexOf(cell.id) === index) state.statuses.set(nameKey(cell.id), 'error');
			yield result;
		}
	}

	for (const index of run) {
		if (signal?.aborted) return;
		if (reported.has(index)) continue;
		const cell = doc.cells[index];
		const started = now();
		const base = { cellIndex: index, cellId: cell.id, kind: cell.kind };
		// Only the first cell with an id owns its view and status: a later duplicate is an error on
		// itself and must not drop, nor mark failed, the view other cells read under that name.
		const ownsId = cell.id !== null && graph.indexOf(cell.id) === index;
		const warnings = cell.diagnostics.filter((d) => d.severity === 'warning');
		let result: CellResult;
		const failedUpstream = (graph.upstream.get(index) ?? []).find((u) => upstreamStatus(u) !== 'ok');
		const problems = staticProblems(index);

		if (problems.length) {
			result = { ...base, status: 'error', error: { message: problems.map((d) => d.message).join('\n'), line: problems[0].line }, ms: 0 };
		} else if (failedUpstream !== undefined) {
			const root = rootFailure.get(failedUpstream) ?? failedUpstream;
			rootFailure.set(index, root);
			const rootCell = doc.cells[root];
			result = {
				...base,
				status: 'blocked',
				error: { message: blockedMessage({ name: rootCell.id ?? rootCell.kind, line: rootCell.line }), line: cell.line },
				waitsFor: { name: rootCell.id ?? rootCell.kind, line: rootCell.line },
				ms: 0
			};
		} else {
			try {
				options.onStart?.(index);
				const out = await executeCell(ctx, cell);
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
		if (result.status !== 'ok' && cell.id && ownsId && yieldsTable(cell.kind)) {
			// Leave no stale view behind a failed cell: nothing may read last run's result by accident.
			await dropOurs(ctx, nameKey(cell.id), cell.id).catch(() => undefined);
		}
		if (warnings.length) result.warnings = warnings;
		statusOf.set(index, result.status);
		if (cell.id && ownsId) state.statuses.set(nameKey(cell.id), result.status);
		// Aborted while the cell ran: it did run, so its result is reported (the page must not keep
		// the old result under the SQL that just ran, review10 #1); nothing after it runs.
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
 * supersede an older one (the older stops after the cell it runs, whose result it still reports:
 * nothing more; runs never interleave on the engine).
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

/**
 * What a cell whose upstream failed says, in one wording everywhere (the page, `covw notebook
 * run`, the HTML export): it did not run, and which cell upstream failed.
 */
export function blockedMessage(root: { name: string; line: number }): string {
	return `Not run: upstream cell "${root.name}" (line ${root.line}) failed`;
}
