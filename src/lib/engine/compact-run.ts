// Run rows as an Arrow table. `compactRun` writes runs/<id>/<table>.arrow (IPC *stream* format,
// which DuckDB-WASM's insertArrowFromIPCStream needs) when a run ends; `runTableIPC` builds the
// same bytes from the log at any moment, so the workbench can read a run still in progress.
// Column types are explicit (plain Utf8, not the dictionary type Arrow infers for strings), so
// a column's type does not depend on which rows happen to be in it yet.
import { Table, tableToIPC, type Vector } from 'apache-arrow';
import { boolColumn, constantUtf8Column, float64Column, int32Column, timestampMsColumn, utf8Column } from '../arrow/columns.ts';
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
	const columns: Record<string, Vector> = {
		run_id: constantUtf8Column(runId, rows.length),
		unit_id: utf8Column(rows.map((r) => r.unit_id)),
		sample: int32Column(rows.map((r) => r.sample)),
		status: utf8Column(rows.map((r) => r.status)),
		response: utf8Column(rows.map((r) => r.response)),
		error: utf8Column(rows.map((r) => r.error)),
		latency_ms: float64Column(rows.map((r) => r.latency_ms)),
		tokens_in: int32Column(rows.map((r) => r.tokens_in)),
		tokens_out: int32Column(rows.map((r) => r.tokens_out)),
		cached: boolColumn(rows.map((r) => r.cached)),
		attempts: int32Column(rows.map((r) => r.attempts)),
		finished_at: timestampMsColumn(rows.map((r) => Date.parse(r.finished_at)))
	};
	// A Set, not includes() on an array: one lookup per key per row, not a scan.
	const metaKeys = new Set<string>();
	for (const r of rows) for (const k of Object.keys(r.meta)) metaKeys.add(k);
	for (const key of metaKeys) {
		if (key in columns) continue; // a meta key may not shadow a row field (run_id included)
		const values = rows.map((r) => (key in r.meta ? r.meta[key] : null));
		const present = values.filter((v) => v !== null);
		if (present.length > 0 && present.every((v) => typeof v === 'boolean')) {
			columns[key] = boolColumn(values as (boolean | null)[]);
		} else if (present.length > 0 && present.every((v) => typeof v === 'number')) {
			const integral = present.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31);
			columns[key] = integral ? int32Column(values as (number | null)[]) : float64Column(values as (number | null)[]);
		} else {
			columns[key] = utf8Column(values.map((v) => (v === null ? null : String(v))));
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
	compactRows(runDir, runId, fileName, final);
	return { rows: final.length, warnings };
}

/**
 * The same file from rows already in hand: one per unit, exactly what latestRowPerUnit over
 * the log gives (the run engine keeps that map as it appends, so the end of a run does not
 * re-read and re-parse its whole log).
 */
export function compactRows(runDir: string, runId: string, fileName: string, rows: ResultRow[]): void {
	writeFileAtomic(join(runDir, fileName), tableToIPC(rowsToTable(runId, rows), 'stream'));
}
