// The schemas of the run tables the workbench serves, and their encoder:
//   generations — one row per generation unit (a generation run's compacted generations.arrow);
//   verdicts    — one row per judge unit (a judge run's compacted verdicts.arrow);
//   runs        — one row per run.
// A run's rows are encoded once, in exactly these columns, both when the engine compacts a
// finished run and when the server reads a live run's log; the served table is then the
// schema followed by each run's record batches (see ipc-stream.ts), never re-encoded.
// Column types are fixed here, so a table's schema never depends on which rows exist yet.
// No engine import: rows are described structurally (the engine's ResultRow fits).
import { RecordBatch, Schema, Table, tableToIPC, type Vector } from 'apache-arrow';
import { boolColumn, float64Column, int32Column, timestampMsColumn, utf8Column } from './columns.ts';

export type Kind = 'text' | 'int' | 'float' | 'bool' | 'time';
export type Value = string | number | boolean | null;
export type ColumnSpec<R> = [name: string, kind: Kind, get: (row: R) => Value];

/** A logged unit's row, as the engine's run log gives it (engine/types.ts ResultRow narrows it). */
export interface LoggedRow {
	unit_id: string;
	sample: number;
	status: string;
	response: string | null;
	error: string | null;
	latency_ms: number | null;
	tokens_in: number | null;
	tokens_out: number | null;
	cached: boolean;
	attempts: number;
	finished_at: string;
	meta: Record<string, string | number | boolean | null>;
}

/** A row of one run: the run's id beside the logged row. */
export interface RunRow {
	runId: string;
	row: LoggedRow;
}

const meta = (r: RunRow, key: string): Value => r.row.meta[key] ?? null;
const text = (v: Value) => (v === null ? null : String(v));

export const GENERATION_COLUMNS: ColumnSpec<RunRow>[] = [
	['run_id', 'text', (r) => r.runId],
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
	['run_id', 'text', (r) => r.runId],
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
	['vulnerable', 'bool', (r) => (r.row.status === 'ok' ? meta(r, 'vulnerable') : null)],
	['predicted_cwe', 'text', (r) => text(meta(r, 'predicted_cwe'))],
	// The item's own label when it has one (detection and reference items): the reference a
	// judge's verdict is compared with.
	['label', 'text', (r) => text(meta(r, 'label'))],
	['label_class', 'text', (r) => text(meta(r, 'label_class'))],
	// The item's scenario; for a labelled set's programs, their pair id ('' when unpaired).
	['scenario', 'text', (r) => text(meta(r, 'scenario'))],
	['predicted_class', 'text', (r) => text(meta(r, 'predicted_class'))],
	['rule', 'text', (r) => text(meta(r, 'rule'))],
	['line', 'int', (r) => meta(r, 'line')],
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

/** What the runs table needs of one run: its manifest and counts over its current rows. */
export interface RunSummaryRecord {
	manifest: {
		run_id: string;
		kind: string;
		params?: Record<string, unknown>;
		dataset_hash: string | null;
		state: string;
		started_at: string;
		finished_at: string | null;
		counts: { total: number };
		cost_usd: number | null;
	};
	summary: RowSummary;
}

/** Counts over a run's current rows (one per unit). */
export interface RowSummary {
	rows: number;
	ok: number;
	error: number;
	unparsed: number;
	no_code: number;
	cached: number;
	/** Tokens of rows not served from the cache. */
	tokens_in: number;
	tokens_out: number;
	/** Rows whose usage is implausible (engine/types.ts usageImplausible): the tokens and cost may be inflated. Absent in files written before it was counted. */
	usage_implausible?: number;
}

/** `implausible`: engine/types.ts usageImplausible (this layer may not import it), counted when given. */
export function summarizeRows(rows: Iterable<LoggedRow>, implausible?: (row: LoggedRow) => boolean): RowSummary {
	const s: RowSummary = { rows: 0, ok: 0, error: 0, unparsed: 0, no_code: 0, cached: 0, tokens_in: 0, tokens_out: 0 };
	if (implausible) s.usage_implausible = 0;
	for (const row of rows) {
		s.rows++;
		if (implausible?.(row)) s.usage_implausible!++;
		if (row.status === 'ok' || row.status === 'error' || row.status === 'unparsed' || row.status === 'no_code') s[row.status]++;
		if (row.cached) s.cached++;
		else {
			s.tokens_in += row.tokens_in ?? 0;
			s.tokens_out += row.tokens_out ?? 0;
		}
	}
	return s;
}

const param = (run: RunSummaryRecord, key: string): Value => {
	const v = run.manifest.params?.[key];
	return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as Value);
};

export const RUN_COLUMNS: ColumnSpec<RunSummaryRecord>[] = [
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
	['total', 'int', (r) => r.manifest.counts.total],
	['ok', 'int', (r) => r.summary.ok],
	['error', 'int', (r) => r.summary.error],
	['unparsed', 'int', (r) => r.summary.unparsed],
	['no_code', 'int', (r) => r.summary.no_code],
	['pending', 'int', (r) => Math.max(0, r.manifest.counts.total - r.summary.rows)],
	['cached', 'int', (r) => r.summary.cached],
	['tokens_in', 'int', (r) => r.summary.tokens_in],
	['tokens_out', 'int', (r) => r.summary.tokens_out],
	['cost_usd', 'float', (r) => r.manifest.cost_usd]
];

export const RUN_TABLE_NAMES = ['generations', 'verdicts', 'runs'] as const;
export type RunTableName = (typeof RUN_TABLE_NAMES)[number];
/** The tables that hold one run's rows, and the file a finished run is compacted to. */
export type RowTableName = 'generations' | 'verdicts';
export const ROW_TABLE_OF_KIND: Record<string, RowTableName | undefined> = { generation: 'generations', judge: 'verdicts' };
export const ROW_COLUMNS: Record<RowTableName, ColumnSpec<RunRow>[]> = { generations: GENERATION_COLUMNS, verdicts: VERDICT_COLUMNS };

function column(kind: Kind, values: Value[]): Vector {
	const n = values.length;
	switch (kind) {
		case 'text':
			return utf8Column(values.map((v) => (v === null || v === undefined ? null : String(v))));
		case 'bool':
			return boolColumn(values.map((v) => (typeof v === 'boolean' ? v : null)));
		case 'time':
			return timestampMsColumn(
				values.map((v) => {
					const ms = typeof v === 'string' ? Date.parse(v) : NaN;
					return Number.isFinite(ms) ? ms : null;
				})
			);
		case 'int':
		case 'float': {
			const numbers = new Array<number | null>(n);
			for (let i = 0; i < n; i++) {
				const v = values[i];
				numbers[i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
			}
			return kind === 'int' ? int32Column(numbers) : float64Column(numbers);
		}
	}
}

/** Rows → an Arrow table with exactly the columns of `spec`, in its order. */
export function tableOf<R>(rows: readonly R[], spec: ColumnSpec<R>[], metadata?: Map<string, string>): Table {
	const columns: Record<string, Vector> = {};
	for (const [name, kind, get] of spec) columns[name] = column(kind, rows.map(get));
	const table = new Table(columns);
	if (!metadata) return table;
	const schema = new Schema(table.schema.fields, metadata);
	return new Table(schema, table.batches.map((b) => new RecordBatch(schema, b.data)));
}

/** One run's rows as IPC stream bytes in the served schema; `metadata` goes into the schema. */
export function encodeRunRows(table: RowTableName, runId: string, rows: readonly LoggedRow[], metadata?: Map<string, string>): Uint8Array {
	return tableToIPC(tableOf(rows.map((row) => ({ runId, row })), ROW_COLUMNS[table], metadata), 'stream');
}

export function encodeRunsTable(runs: readonly RunSummaryRecord[]): Uint8Array {
	return tableToIPC(tableOf(runs, RUN_COLUMNS), 'stream');
}
