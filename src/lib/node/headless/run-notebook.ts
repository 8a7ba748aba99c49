// One notebook run without a browser: a fresh duckdb-wasm engine (the browser's engine), every
// table of the data folder, every cell in dependency order, each result as plain JSON. Used by
// `covw notebook run`; the shape below is its --json output.
import { parseNotebook } from '../../notebook/format.ts';
import { runNotebook, type CellResult, type RunHost } from '../../notebook/executor.ts';
import { runTablesIPC, RUN_TABLE_NAMES } from '../../runs/index.ts';
import { nameKey } from '../../notebook/sql-ident.ts';
import type { PlotSpec } from '../../notebook/plot-spec.ts';
import { createHeadlessEngine } from './engine.ts';
import { loadDataFolder, type TableLoad } from './load-tables.ts';
import { loadEmptyLabels } from './empty-labels.ts';
import { tableToJson, type JsonColumn } from './result-json.ts';
import { selectCells } from './select-cells.ts';
import type { JsonValue } from './json-values.ts';

export interface HeadlessRunOptions {
	/** How the notebook is named in the report (the path the user gave). */
	notebook: string;
	/** The notebook file's text. */
	text: string;
	/** Data folder whose tables are loaded before the run. */
	dataRoot: string;
	/** Rows kept per result (default 1000). */
	maxRows?: number;
	/** Report only these cells (ids); they and everything they read are run. Default: every cell. */
	cells?: string[];
	/** The runs folder (its generations, verdicts and runs tables are loaded) and what names run cells' runs. */
	runs?: { runsDir: string; host: RunHost };
}

export interface HeadlessMessage {
	message: string;
	/** 1-based line in the notebook file, when known. */
	line?: number;
}

export interface HeadlessCellReport {
	id: string | null;
	kind: CellResult['kind'];
	status: CellResult['status'];
	/** Line of the cell's opening fence in the notebook file. */
	line: number;
	/** Rows of the cell's table (a plot: of its from= table); null when there is none. */
	rowCount: number | null;
	columns: JsonColumn[];
	rows: Record<string, JsonValue>[];
	truncated: boolean;
	plot?: { spec: PlotSpec; from: string | null; data: string[] };
	error?: HeadlessMessage;
	warnings?: HeadlessMessage[];
	ms: number;
}

export interface HeadlessReport {
	notebook: string;
	title?: string;
	tables: { name: string; file: string; rows: number; error?: string; warnings?: string[] }[];
	/** Problems of the file itself (front matter), not of a cell. */
	warnings?: HeadlessMessage[];
	cells: HeadlessCellReport[];
	/** True when every reported cell is ok. */
	ok: boolean;
}

export const DEFAULT_MAX_ROWS = 1000;

export async function runNotebookHeadless(options: HeadlessRunOptions): Promise<HeadlessReport> {
	const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
	const parsed = parseNotebook(options.text);
	// Throws UnknownCellError before the engine starts: a typo costs nothing.
	const doc = options.cells?.length ? selectCells(parsed, options.cells) : parsed;
	const wanted = options.cells?.length ? new Set(options.cells.map(nameKey)) : null;

	const engine = await createHeadlessEngine();
	try {
		const tables: TableLoad[] = await loadDataFolder(engine, options.dataRoot);
		loadEmptyLabels(engine, tables);
		if (options.runs) {
			const runTables = runTablesIPC(options.runs.runsDir);
			for (const name of RUN_TABLE_NAMES) {
				engine.loadArrowTable(name, runTables[name]);
				tables.push({ name, file: `runs/ (${name})`, rows: Number((await engine.query(`SELECT count(*) AS n FROM ${name}`)).getChild('n')!.get(0)) });
			}
		}
		const { results } = await runNotebook(doc, engine, { runs: options.runs?.host });
		const cells = results
			.filter((r) => !wanted || (r.cellId !== null && wanted.has(nameKey(r.cellId))))
			.map((r) => cellReport(r, doc.cells[r.cellIndex].line, maxRows));
		const cellDiagnostics = new Set(parsed.cells.flatMap((c) => c.diagnostics));
		const fileWarnings = parsed.diagnostics.filter((d) => !cellDiagnostics.has(d)).map((d) => ({ message: d.message, line: d.line }));
		const title = parsed.frontMatter?.fields.title;
		return {
			notebook: options.notebook,
			...(title ? { title } : {}),
			tables: tables.map((t) => ({ name: t.name, file: t.file, rows: t.rows, ...(t.error !== undefined ? { error: t.error } : {}), ...(t.warnings ? { warnings: t.warnings } : {}) })),
			...(fileWarnings.length ? { warnings: fileWarnings } : {}),
			cells,
			ok: cells.every((c) => c.status === 'ok')
		};
	} finally {
		engine.close();
	}
}

function cellReport(result: CellResult, line: number, maxRows: number): HeadlessCellReport {
	const rows = result.table ? tableToJson(result.table, maxRows) : { columns: [], rows: [], truncated: false };
	// A SQL cell holds only its first rows (sql.ts SHOWN_ROWS): a result with more than were kept
	// is truncated even when --max-rows asked for more than the cell holds.
	if (result.table && (result.rowCount ?? 0) > rows.rows.length) rows.truncated = true;
	return {
		id: result.cellId,
		kind: result.kind,
		status: result.status,
		line,
		rowCount: result.rowCount ?? null,
		...rows,
		...(result.plot ? { plot: { spec: result.plot.spec, from: result.plot.from, data: Object.keys(result.plot.data) } } : {}),
		...(result.error ? { error: { message: result.error.message, ...(result.error.line !== undefined ? { line: result.error.line } : {}) } } : {}),
		...(result.warnings?.length || result.run?.unavailable
			? { warnings: [...(result.warnings ?? []).map((w) => ({ message: w.message, line: w.line })), ...(result.run?.unavailable ? [{ message: `run not planned: ${result.run.unavailable}`, line }] : [])] }
			: {}),
		ms: Math.round(result.ms * 10) / 10
	};
}
