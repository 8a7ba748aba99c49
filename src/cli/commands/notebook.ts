// `covw notebook run <file.md>`: runs a notebook without a browser on duckdb-wasm (the browser's
// engine, so a notebook means the same in both) and prints every cell's result — readable, or one
// JSON document with --json. For CI, reproducibility and scripts. All work happens in run(ctx).
import { stat } from 'node:fs/promises';
import { readUserFile } from '../../lib/engine/atomic-file.ts';
import { resolve } from 'node:path';
import { defaultDataRoot } from '../../lib/node/datasets/index.ts';
import { DEFAULT_MAX_ROWS, runNotebookHeadless } from '../../lib/node/headless/run-notebook.ts';
import { UnknownCellError } from '../../lib/node/headless/select-cells.ts';
import { formatTextReport } from '../../lib/node/headless/text-report.ts';
import { decodeNotebook } from '../../lib/notebook/decode.ts';
import { NOTEBOOK_MAX_BYTES } from '../../lib/notebook/format.ts';
import { ProjectRuns } from '../../lib/server/runs/project-runs.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { runFolders } from './run-setup.ts';
import { printable, printableJson, printableLines } from '../../lib/core/text/printable.ts';

/** Rows shown per cell in the readable output unless --max-rows says otherwise. */
export const TEXT_PREVIEW_ROWS = 10;

export const notebookRunCommand: Command = {
	words: ['notebook', 'run'],
	summary: 'run a notebook headless and print every cell (--json for scripts)',
	usage: [
		'Usage: covw notebook run <file.md> [--json] [--data <dir>] [--max-rows N] [--cell <id>]',
		'',
		'Runs every cell in dependency order on duckdb-wasm (the engine the browser uses) after',
		'loading every table of the data folder, and prints each cell\'s result.',
		'',
		'--json        one JSON document on stdout: { notebook, tables, cells, ok }',
		'--data <dir>  data folder (default: $COVW_DATA, else the project\'s datasets/)',
		`--max-rows N  rows kept per cell (default ${DEFAULT_MAX_ROWS} with --json, ${TEXT_PREVIEW_ROWS} otherwise)`,
		'--cell <id>   report only this cell (repeatable); it and the cells it reads are run',
		'',
		'A data file that does not load is reported on stderr; the run goes on without it.',
		'Relative paths are taken from the current directory. Exit status: 0 when every cell is',
		'ok, 1 when any cell failed or was blocked, 2 on usage errors.'
	].join('\n'),
	run: runNotebookCommand
};

interface NotebookArgs {
	file: string;
	json: boolean;
	data: string | undefined;
	maxRows: number | undefined;
	cells: string[];
}

async function runNotebookCommand(ctx: CliContext): Promise<number> {
	// stdout carries the report only (with --json: exactly one JSON document). Whatever else
	// prints through the console while the notebook runs — duckdb-wasm's own messages and stack
	// traces, warnings of the libraries below — is a diagnostic and goes to stderr.
	const restore = consoleToStderr(ctx);
	try {
		return await runNotebookReport(ctx);
	} finally {
		restore();
	}
}

const CONSOLE_METHODS = ['log', 'info', 'debug', 'trace', 'dir', 'table', 'warn', 'error'] as const;

/** Points console.* at ctx.stderr until the returned function is called. */
export function consoleToStderr(ctx: Pick<CliContext, 'stderr'>): () => void {
	const saved = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
	const write = (...values: unknown[]) => {
		ctx.stderr(`${printableLines(values.map((v) => (typeof v === 'string' ? v : v instanceof Error ? (v.stack ?? v.message) : safeInspect(v))).join(' '))}\n`);
	};
	for (const name of CONSOLE_METHODS) (console as unknown as Record<string, unknown>)[name] = write;
	return () => {
		for (const [name, method] of saved) (console as unknown as Record<string, unknown>)[name] = method;
	};
}

function safeInspect(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

async function runNotebookReport(ctx: CliContext): Promise<number> {
	const args = parseArgs(ctx.args);
	const path = resolve(ctx.cwd, args.file);
	// Named by the user: may be a pipe (read as a stream); over the notebook size limit, not read.
	const text = await Promise.resolve().then(() => decodeNotebook(readUserFile(path, NOTEBOOK_MAX_BYTES))).catch((error: { code?: string; message: string }) => {
		throw new CliError(`notebook run: cannot read ${path} (${error.code ?? error.message})`);
	});
	let dataRoot: string;
	if (args.data !== undefined) {
		dataRoot = resolve(ctx.cwd, args.data);
		// An explicit folder that is not there is a typo, not "no tables".
		if (!(await stat(dataRoot).catch(() => null))?.isDirectory()) throw new CliError(`notebook run: --data ${dataRoot} is not a folder`);
	} else {
		const fromEnv = ctx.env('COVW_DATA');
		dataRoot = fromEnv ? resolve(ctx.cwd, fromEnv) : defaultDataRoot(ctx.root);
	}

	let report;
	try {
		const { runsDir, cacheDir } = runFolders(ctx);
		const env = new Proxy({} as Record<string, string | undefined>, { get: (_t, key) => (typeof key === 'string' ? ctx.env(key) : undefined) });
		report = await runNotebookHeadless({
			notebook: args.file,
			text,
			dataRoot,
			// Run cells name their runs and read them from the runs folder; nothing is started here.
			runs: { runsDir, host: new ProjectRuns({ root: ctx.root, runsDir, cacheDir, dataDir: dataRoot, env }) },
			maxRows: args.maxRows ?? (args.json ? DEFAULT_MAX_ROWS : TEXT_PREVIEW_ROWS),
			cells: args.cells
		});
	} catch (error) {
		if (error instanceof UnknownCellError) throw new CliError(`notebook run: ${args.file}: ${error.message}`);
		throw error;
	}

	for (const table of report.tables) {
		if (table.error !== undefined) ctx.stderr(`covw: table ${printable(table.name)} not loaded: ${printable(table.error)}\n`);
		for (const warning of table.warnings ?? []) ctx.stderr(`covw: table ${printable(table.name)}: warning: ${printable(warning)}\n`);
	}
	for (const warning of report.warnings ?? []) ctx.stderr(`covw: ${printable(args.file)}:${warning.line ?? 1}: ${printable(warning.message)}\n`);
	ctx.stdout(args.json ? `${printableJson(JSON.stringify(report, null, 2))}\n` : formatTextReport(report));
	return report.ok ? 0 : 1;
}

function parseArgs(args: string[]): NotebookArgs {
	const out: NotebookArgs = { file: '', json: false, data: undefined, maxRows: undefined, cells: [] };
	const positional: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const eq = arg.indexOf('=');
		const [name, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
		const value = (): string => {
			const v = inline ?? args[++i];
			if (v === undefined || (inline === undefined && v.startsWith('--'))) throw usage(`${name} needs a value`);
			return v;
		};
		if (name === '--json') {
			if (inline !== undefined) throw usage('--json takes no value');
			out.json = true;
		} else if (name === '--data') out.data = value();
		else if (name === '--max-rows') {
			const v = value();
			if (!/^\d+$/.test(v)) throw usage(`--max-rows must be a whole number ≥ 0, got ${JSON.stringify(v)}`);
			out.maxRows = Number(v);
		} else if (name === '--cell') out.cells.push(value());
		else if (arg.startsWith('-') && arg !== '-') throw usage(`unknown option ${arg}`);
		else positional.push(arg);
	}
	if (positional.length !== 1) throw usage(`expected one notebook file, got ${positional.length}`);
	out.file = positional[0];
	return out;
}

function usage(problem: string): CliError {
	return new CliError(`notebook run: ${problem}\n\n${notebookRunCommand.usage}`);
}
