// Run rows as an Arrow table. `compactRun` writes runs/<id>/<table>.arrow (IPC *stream* format,
// which DuckDB-WASM's insertArrowFromIPCStream needs) when a run ends; `runTableIPC` builds the
// same bytes from the log at any moment, so the workbench can read a run still in progress.
// Column types are explicit (plain Utf8, not the dictionary type Arrow infers for strings), so
// a column's type does not depend on which rows happen to be in it yet.
import { Bool, Float64, Int32, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from './run-log.ts';
import type { ResultRow } from './types.ts';

export interface RowsTable {
	table: Table;
	warnings: string[];
}

/** One row per unit (see latestRowPerUnit), run_id first, then the row fields, then meta keys. */
export function rowsToTable(runId: string, rows: ResultRow[]): Table {
	const column = <T>(type: DataType, values: T[]): Vector => vectorFromArray(values as never[], type as never) as Vector;
	const columns: Record<string, Vector> = {
		run_id: column(new Utf8(), rows.map(() => runId)),
		unit_id: column(new Utf8(), rows.map((r) => r.unit_id)),
		sample: column(new Int32(), rows.map((r) => r.sample)),
		status: column(new Utf8(), rows.map((r) => r.status)),
		response: column(new Utf8(), rows.map((r) => r.response)),
		error: column(new Utf8(), rows.map((r) => r.error)),
		latency_ms: column(new Float64(), rows.map((r) => r.latency_ms)),
		tokens_in: column(new Int32(), rows.map((r) => r.tokens_in)),
		tokens_out: column(new Int32(), rows.map((r) => r.tokens_out)),
		cached: column(new Bool(), rows.map((r) => r.cached)),
		attempts: column(new Int32(), rows.map((r) => r.attempts)),
		finished_at: column(new TimestampMillisecond(), rows.map((r) => Date.parse(r.finished_at)))
	};
	const metaKeys: string[] = [];
	for (const r of rows) for (const k of Object.keys(r.meta)) if (!metaKeys.includes(k)) metaKeys.push(k);
	for (const key of metaKeys) {
		if (key in columns) continue; // a meta key may not shadow a row field (run_id included)
		const values = rows.map((r) => (key in r.meta ? r.meta[key] : null));
		const present = values.filter((v) => v !== null);
		if (present.length > 0 && present.every((v) => typeof v === 'boolean')) {
			columns[key] = column(new Bool(), values);
		} else if (present.length > 0 && present.every((v) => typeof v === 'number')) {
			const integral = present.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31);
			columns[key] = column(integral ? new Int32() : new Float64(), values);
		} else {
			columns[key] = column(new Utf8(), values.map((v) => (v === null ? null : String(v))));
		}
	}
	return new Table(columns);
}

/** The run's current rows (one per unit) as Arrow IPC stream bytes; safe while the run writes. */
export function runTableIPC(runDir: string, runId: string): { bytes: Uint8Array; warnings: string[] } {
	const { rows, warnings } = readRunLog(join(runDir, LOG_FILE));
	const table = rowsToTable(runId, [...latestRowPerUnit(rows).values()]);
	return { bytes: tableToIPC(table, 'stream'), warnings };
}

/** Writes runs/<id>/<fileName> atomically from the log; returns the row count and warnings. */
export function compactRun(runDir: string, runId: string, fileName = 'generations.arrow'): { rows: number; warnings: string[] } {
	const { rows, warnings } = readRunLog(join(runDir, LOG_FILE));
	const final = [...latestRowPerUnit(rows).values()];
	writeFileAtomic(join(runDir, fileName), tableToIPC(rowsToTable(runId, final), 'stream'));
	return { rows: final.length, warnings };
}
