// Judge runs of carried verdicts that `covw import` wrote before CARRIED_VERDICTS: their rows on
// answers with no code (a refusal, an empty answer) say 'ok' with a verdict. Such a run stays on
// disk as it was (a saved run is never rewritten); every reader of rows — the run tables
// (run-source.ts: the page, the notebooks), readRun (run-list.ts: `covw runs show`,
// self-correct, the run page) — passes its rows through the one correction here, which gives a
// row the status of the answer it judged when that answer is not 'ok', as the import does now
// (import-runs.ts carriedRow).
//
// Why only these runs, found by their manifest, and not every judge run whose answer is not ok:
// our own judge runs never judge an answer that is not ok (judge-targets.ts leaves no_code and
// error answers out, counted), so for them the rule would change nothing, yet it would make
// every judge run's rows depend on another run's log (read, watched, never served from its
// compacted file). The carried runs of an import made since already hold the corrected rows.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../engine/manifest.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from '../../engine/run-log.ts';
import type { ResultRow, RowStatus } from '../../engine/types.ts';

/**
 * What the imported judge runs' rows mean, in their params (so their run ids): 2 = a carried
 * verdict on an answer whose generation is not 'ok' gets that status, never a verdict; 3 = also a
 * grading that failed in the file (promptfoo failureReason 2, an Inspect sample that errored, a
 * plain file's `error`) is an error row, never a verdict. Runs of an import made before keep their
 * ids and stay on disk untouched: read through legacyCarriedRows (version 2 runs of promptfoo,
 * Inspect and plain files with a warning asking to import the file again).
 */
export const CARRIED_VERDICTS = 3;

/**
 * The carried version an import of `format` writes now. The released CoV-Eval results carry no
 * grading that can fail, so version 3 changed nothing in them: they stay at 2 (their run ids, and
 * the runs the released-results notebook reads, do not change).
 */
export function carriedVersion(format: unknown): number {
	return format === 'coveval-released' ? 2 : CARRIED_VERDICTS;
}

type Params = { imported?: unknown; carried?: unknown; source?: { run?: unknown } };

/** The carried version of an imported judge run's params, and the one its format is written with now. */
function versions(p: Params): { carried: unknown; now: number; format: unknown; file: unknown } {
	const imported = (typeof p.imported === 'object' && p.imported !== null ? p.imported : {}) as { format?: unknown; file?: unknown };
	return { carried: p.carried, now: carriedVersion(imported.format), format: imported.format, file: imported.file };
}

/** A judge run of verdicts an import carried, written before CARRIED_VERDICTS. */
export function isLegacyCarriedRun(manifest: Pick<Manifest, 'kind' | 'params'> | null): boolean {
	if (!manifest || manifest.kind !== 'judge') return false;
	const p = (manifest.params ?? {}) as Params;
	return typeof p.imported === 'object' && p.imported !== null && p.carried !== versions(p).now && typeof p.source?.run === 'string';
}

export interface LegacyCorrection {
	/** The generation run whose answers the run judged. */
	sourceRunId: string;
	/** The identity of that run's log when it was read (a change means reading it again). */
	sourceKey: string;
	/** The row as it is reported: the answer's status when that is not 'ok'. */
	apply(row: ResultRow): ResultRow;
	warnings: string[];
}

/** The identity of a run's log (inode, size, mtime), or 'absent'. */
export function logIdentity(runsDir: string, runId: string): string {
	try {
		const s = statSync(join(runsDir, runId, LOG_FILE), { throwIfNoEntry: false });
		return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'absent';
	} catch {
		return 'absent';
	}
}

/** For a legacy carried run, the identity of its generation run's log (see LegacyCorrection.sourceKey); else null. */
export function legacySourceKey(runsDir: string, manifest: Pick<Manifest, 'kind' | 'params'> | null): string | null {
	if (!isLegacyCarriedRun(manifest)) return null;
	return logIdentity(runsDir, String(((manifest!.params ?? {}) as Params).source!.run));
}

/**
 * The correction a legacy carried run's rows are read through, or null for any other run.
 * The answers' statuses are its generation run's rows as logged. Without that run (removed),
 * nothing can be checked: the rows are reported as written, with a warning saying so.
 */
export function legacyCarriedCorrection(runsDir: string, manifest: Pick<Manifest, 'kind' | 'params' | 'run_id'> | null): LegacyCorrection | null {
	if (!isLegacyCarriedRun(manifest)) return null;
	const sourceRunId = String(((manifest!.params ?? {}) as Params).source!.run);
	const sourceKey = logIdentity(runsDir, sourceRunId);
	const warnings: string[] = [];
	const v = versions((manifest!.params ?? {}) as Params);
	if (v.carried === 2 && v.now > 2) {
		// written before a failed grading was kept from verdicts: nothing here can tell which rows were one
		warnings.push(`run ${manifest!.run_id} holds verdicts imported from a ${String(v.format)} file${typeof v.file === 'string' ? ` (${v.file})` : ''} before a grading that failed there was kept from verdicts: such a row may count here as a verdict. Import the file again (covw import) to write the corrected run beside it, then remove runs/${manifest!.run_id}`);
	}
	const status = new Map<string, RowStatus>();
	if (sourceKey === 'absent') {
		warnings.push(`run ${manifest!.run_id} holds verdicts an import carried before answers with no code were kept from verdicts, and its generation run ${sourceRunId} is gone: its rows cannot be checked and are shown as written (remove runs/${manifest!.run_id}, or import the file again)`);
	} else {
		for (const row of latestRowPerUnit(readRunLog(join(runsDir, sourceRunId, LOG_FILE)).rows).values()) status.set(row.unit_id, row.status);
	}
	return {
		sourceRunId,
		sourceKey,
		warnings,
		apply(row) {
			if (sourceKey === 'absent') return row;
			// An answer missing from its generation run is no answer: as the import does now, 'error'.
			const answer = status.get(typeof row.meta.target_id === 'string' ? row.meta.target_id : '');
			if (answer === 'ok') return row;
			const error = answer === undefined ? `the answer judged is not in generation run ${sourceRunId}` : answer === 'error' ? `the answer judged failed (generation run ${sourceRunId})` : null;
			return { ...row, status: answer ?? 'error', error, meta: { ...row.meta, vulnerable: null, parse_error: null } };
		}
	};
}
