// The three run tables the workbench queries, across ALL runs in the runs folder, as Arrow IPC
// stream bytes (the format DuckDB-WASM's insertArrowFromIPCStream reads):
//   generations — one row per generation unit of every generation run;
//   verdicts    — one row per judge unit of every judge run (LLM, rules, parsers);
//   runs        — one row per manifest.
// Built from the logs, not the compacted files, so a run still going is visible. Column types
// are fixed here, so a table's schema never depends on which rows exist yet (an empty runs
// folder gives empty tables with the same columns).
import { Bool, Float64, Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import type { MetaValue, ResultRow } from '../engine/types.ts';
import { liveCounts, readAllRuns, type RunRecord } from './run-list.ts';

type Kind = 'text' | 'int' | 'float' | 'bool' | 'time';
type Value = string | number | boolean | null;
type ColumnSpec<R> = [name: string, kind: Kind, get: (row: R) => Value];

const typeOf = (kind: Kind): DataType =>
	({ text: new Utf8(), int: new Int32(), float: new Float64(), bool: new Bool(), time: new TimestampMillisecond() })[kind];

function tableOf<R>(rows: readonly R[], spec: ColumnSpec<R>[]): Table {
	const columns: Record<string, Vector> = {};
	for (const [name, kind, get] of spec) {
		const values = rows.map((r) => {
			const v = get(r);
			if (v === null || v === undefined) return null;
			if (kind === 'text') return String(v);
			if (kind === 'bool') return typeof v === 'boolean' ? v : null;
			if (kind === 'time') return typeof v === 'string' ? Date.parse(v) : null;
			return typeof v === 'number' && Number.isFinite(v) ? v : null;
		});
		columns[name] = vectorFromArray(values as never[], typeOf(kind) as never) as Vector;
	}
	return new Table(columns);
}

interface RunRow {
	run: RunRecord;
	row: ResultRow;
}
const meta = (r: RunRow, key: string): MetaValue | boolean => r.row.meta[key] ?? null;
const text = (v: MetaValue | boolean) => (v === null ? null : String(v));

export const GENERATION_COLUMNS: ColumnSpec<RunRow>[] = [
	['run_id', 'text', (r) => r.run.manifest.run_id],
	['unit_id', 'text', (r) => r.row.unit_id],
	['item_id', 'text', (r) => text(meta(r, 'item_id'))],
	['model', 'text', (r) => text(meta(r, 'model'))],
	['sample', 'int', (r) => r.row.sample],
	['prompt_hash', 'text', (r) => text(meta(r, 'prompt_hash'))],
	['response', 'text', (r) => r.row.response],
	['code', 'text', (r) => text(meta(r, 'code'))],
	['status', 'text', (r) => r.row.status],
	['error', 'text', (r) => r.row.error],
	['latency_ms', 'float', (r) => r.row.latency_ms],
	['tokens_in', 'int', (r) => r.row.tokens_in],
	['tokens_out', 'int', (r) => r.row.tokens_out],
	['cached', 'bool', (r) => r.row.cached],
	['attempts', 'int', (r) => r.row.attempts],
	['finished_at', 'time', (r) => r.row.finished_at],
	['task', 'text', (r) => text(meta(r, 'task'))],
	['set', 'text', (r) => text(meta(r, 'set'))],
	['cwe', 'text', (r) => text(meta(r, 'cwe'))],
	['language', 'text', (r) => text(meta(r, 'language'))],
	['scenario', 'text', (r) => text(meta(r, 'scenario'))],
	['label', 'text', (r) => text(meta(r, 'label'))],
	['label_class', 'text', (r) => text(meta(r, 'label_class'))]
];

export const VERDICT_COLUMNS: ColumnSpec<RunRow>[] = [
	['run_id', 'text', (r) => r.run.manifest.run_id],
	['target_id', 'text', (r) => text(meta(r, 'target_id'))],
	['item_id', 'text', (r) => text(meta(r, 'item_id'))],
	['model', 'text', (r) => text(meta(r, 'model'))],
	['sample', 'int', (r) => r.row.sample],
	['judge', 'text', (r) => text(meta(r, 'judge'))],
	['template', 'text', (r) => text(meta(r, 'template'))],
	['mode', 'text', (r) => text(meta(r, 'mode'))],
	['task', 'text', (r) => text(meta(r, 'task'))],
	['cwe', 'text', (r) => text(meta(r, 'cwe'))],
	['language', 'text', (r) => text(meta(r, 'language'))],
	// Only 'ok' rows carry a verdict: an unparsed or failed judgement is neither safe nor unsafe.
	['vulnerable', 'bool', (r) => (r.row.status === 'ok' ? (meta(r, 'vulnerable') as boolean | null) : null)],
	['predicted_cwe', 'text', (r) => text(meta(r, 'predicted_cwe'))],
	// The item's own label when it has one (detection and reference items): the reference a
	// judge's verdict is compared with.
	['label', 'text', (r) => text(meta(r, 'label'))],
	['label_class', 'text', (r) => text(meta(r, 'label_class'))],
	['predicted_class', 'text', (r) => text(meta(r, 'predicted_class'))],
	['rule', 'text', (r) => text(meta(r, 'rule'))],
	['line', 'int', (r) => meta(r, 'line') as number | null],
	['raw', 'text', (r) => r.row.response],
	['status', 'text', (r) => r.row.status],
	['error', 'text', (r) => r.row.error ?? text(meta(r, 'parse_error'))],
	['source_run_id', 'text', (r) => text(meta(r, 'source_run_id'))],
	['unit_id', 'text', (r) => r.row.unit_id],
	['cached', 'bool', (r) => r.row.cached],
	['latency_ms', 'float', (r) => r.row.latency_ms],
	['tokens_in', 'int', (r) => r.row.tokens_in],
	['tokens_out', 'int', (r) => r.row.tokens_out],
	['finished_at', 'time', (r) => r.row.finished_at]
];

const param = (run: RunRecord, key: string): Value => {
	const v = run.manifest.params?.[key];
	return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Value);
};

export const RUN_COLUMNS: ColumnSpec<RunRecord>[] = [
	['run_id', 'text', (r) => r.manifest.run_id],
	['kind', 'text', (r) => r.manifest.kind],
	['task', 'text', (r) => param(r, 'task')],
	['model', 'text', (r) => param(r, 'model')],
	['judge', 'text', (r) => param(r, 'judge')],
	['template', 'text', (r) => param(r, 'template')],
	['source_run_id', 'text', (r) => {
		const source = r.manifest.params?.source as { run?: string } | undefined;
		return source?.run ?? null;
	}],
	['params', 'text', (r) => JSON.stringify(r.manifest.params ?? {})],
	['dataset_hash', 'text', (r) => r.manifest.dataset_hash],
	['state', 'text', (r) => r.manifest.state],
	['started', 'time', (r) => r.manifest.started_at],
	['finished', 'time', (r) => r.manifest.finished_at],
	['total', 'int', (r) => liveCounts(r).total],
	['ok', 'int', (r) => liveCounts(r).ok],
	['error', 'int', (r) => liveCounts(r).error],
	['unparsed', 'int', (r) => liveCounts(r).unparsed],
	['no_code', 'int', (r) => liveCounts(r).no_code],
	['pending', 'int', (r) => liveCounts(r).pending],
	['cached', 'int', (r) => liveCounts(r).cached],
	['tokens_in', 'int', (r) => r.rows.reduce((s, x) => s + (x.cached ? 0 : (x.tokens_in ?? 0)), 0)],
	['tokens_out', 'int', (r) => r.rows.reduce((s, x) => s + (x.cached ? 0 : (x.tokens_out ?? 0)), 0)],
	['cost_usd', 'float', (r) => r.manifest.cost_usd]
];

export interface RunTables {
	generations: Uint8Array;
	verdicts: Uint8Array;
	runs: Uint8Array;
	/** Skipped log lines, unreadable manifests: "<file>:<line>: …". */
	warnings: string[];
}

export const RUN_TABLE_NAMES = ['generations', 'verdicts', 'runs'] as const;

export function runTablesIPC(runsDir: string): RunTables {
	const warnings: string[] = [];
	const runs = readAllRuns(runsDir, (m) => warnings.push(m));
	const rowsOf = (kind: string): RunRow[] => runs.filter((r) => r.manifest.kind === kind).flatMap((run) => run.rows.map((row) => ({ run, row })));
	return {
		generations: tableToIPC(tableOf(rowsOf('generation'), GENERATION_COLUMNS), 'stream'),
		verdicts: tableToIPC(tableOf(rowsOf('judge'), VERDICT_COLUMNS), 'stream'),
		runs: tableToIPC(tableOf(runs, RUN_COLUMNS), 'stream'),
		warnings
	};
}
