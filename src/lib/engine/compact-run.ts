// The end of a run: runs/<id>/<table>.arrow (IPC *stream* format, which DuckDB-WASM's
// insertArrowFromIPCStream needs) written atomically in exactly the schema the workbench
// serves for that table (arrow/run-schema.ts): generations.arrow for a generation run,
// verdicts.arrow for a judge run. The workbench serves this file's record batches as they
// are, so a finished run is never re-read from its log.
// The schema's metadata says which log it was made from (`covw.log_bytes`: the log's size;
// the log is append-only, so a resumed run's longer log no longer matches) and the run's row
// counts (`covw.summary`), so the runs table needs no second look at the rows.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRunRows, type RowTableName, summarizeRows } from '../arrow/run-schema.ts';
import { type CheckedFolder, writeFileAtomic } from './atomic-file.ts';
import { storageFailure } from './run-errors.ts';
import type { RunSession } from './run-session.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from './run-log.ts';
import { type ResultRow, usageImplausible } from './types.ts';

export const LOG_BYTES_KEY = 'covw.log_bytes';
export const SUMMARY_KEY = 'covw.summary';
/** The log's skipped lines, when the file's maker recorded them (the workbench server does). */
export const WARNINGS_KEY = 'covw.warnings';

/** The served table a compacted file holds: its name without ".arrow". */
export function compactedTable(fileName: string): RowTableName {
	const table = fileName.replace(/\.arrow$/, '');
	if (table !== 'generations' && table !== 'verdicts') throw new Error(`${fileName}: a run compacts to generations.arrow or verdicts.arrow`);
	return table;
}

/** The compacted file's bytes for these rows (one per unit, in log order). */
export function compactBytes(table: RowTableName, runId: string, rows: ResultRow[], logBytes: number, warnings?: string[]): Uint8Array {
	const metadata = new Map([
		[LOG_BYTES_KEY, String(logBytes)],
		[SUMMARY_KEY, JSON.stringify(summarizeRows(rows, usageImplausible))]
	]);
	if (warnings) metadata.set(WARNINGS_KEY, JSON.stringify(warnings));
	return encodeRunRows(table, runId, rows, metadata);
}

function logSize(runDir: string): number {
	try {
		return statSync(join(runDir, LOG_FILE)).size;
	} catch {
		return 0;
	}
}

/**
 * Writes runs/<id>/<fileName> atomically from the log; returns the row count and warnings.
 * `within`: the run folder as its session checked it (RunSession.within): the file is written
 * there or refused, never through a run folder swapped for a link since (atomic-file.ts).
 */
export function compactRun(runDir: string, runId: string, fileName = 'generations.arrow', within?: CheckedFolder): { rows: number; warnings: string[] } {
	const size = logSize(runDir);
	const { rows, warnings } = readRunLog(join(runDir, LOG_FILE));
	const final = [...latestRowPerUnit(rows).values()];
	writeFileAtomic(join(runDir, fileName), compactBytes(compactedTable(fileName), runId, final, size), { within });
	return { rows: final.length, warnings };
}

/**
 * The same file from rows already in hand: one per unit, exactly what latestRowPerUnit over
 * the log gives (the run engine keeps that map as it appends, so the end of a run does not
 * re-read and re-parse its whole log). The log must be closed: its size is recorded.
 */
export function compactRows(runDir: string, runId: string, fileName: string, rows: ResultRow[], within?: CheckedFolder): void {
	writeFileAtomic(join(runDir, fileName), compactBytes(compactedTable(fileName), runId, rows, logSize(runDir)), { within });
}

/** Compacts a session's run into `file` at its end, from the rows it logged when it kept them. */
export function compactSession(session: RunSession, runId: string, file: string): void {
	try {
		const rows = session.loggedRows();
		// Into the folder the session checked at its open, never through a link swapped in since.
		if (rows) compactRows(session.runDir, runId, file, rows, session.within);
		else compactRun(session.runDir, runId, file, session.within);
	} catch (e) {
		throw storageFailure('the compacted table', join(session.runDir, file), e);
	}
}
