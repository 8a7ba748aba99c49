// Every run in the runs folder: its manifest and its current rows (one per unit, read from the
// append-only log, so a run still going shows what it has so far). Folders without a manifest
// are not runs and are skipped; a broken manifest is a warning naming the file, never fatal.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Manifest, MANIFEST_FILE, readManifest, type RunState } from '../engine/manifest.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from '../engine/run-log.ts';
import { LOCK_FILE, runLockHeld } from '../engine/run-lock.ts';
import type { ResultRow } from '../engine/types.ts';
import { legacyCarriedCorrection } from './import/carried-legacy.ts';

export interface RunRecord {
	manifest: Manifest;
	/** One row per unit, the finished row winning over an error row (see latestRowPerUnit). */
	rows: ResultRow[];
	/** Why the run's log could not be read (a link, refused; an I/O error): it has no rows then. */
	broken?: string;
}

export function listRunIds(runsDir: string): string[] {
	if (!existsSync(runsDir)) return [];
	return readdirSync(runsDir, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(runsDir, d.name, MANIFEST_FILE)))
		.map((d) => d.name)
		.sort();
}

export function readRun(runsDir: string, runId: string, warn: (m: string) => void = () => {}): RunRecord | null {
	const dir = join(runsDir, runId);
	let manifest: Manifest | null;
	try {
		manifest = readManifest(join(dir, MANIFEST_FILE));
	} catch (e) {
		warn((e as Error).message);
		return null;
	}
	if (!manifest) return null;
	let log: ReturnType<typeof readRunLog>;
	try {
		log = readRunLog(join(dir, LOG_FILE));
	} catch (e) {
		// A log that is a link (refused) or cannot be read: the run is listed, broken, without rows.
		const broken = (e as Error).message;
		warn(broken);
		return { manifest, rows: [], broken };
	}
	log.warnings.forEach(warn);
	const rows = [...latestRowPerUnit(log.rows).values()];
	// An import's carried verdicts written before code-less answers were kept from verdicts.
	const legacy = legacyCarriedCorrection(runsDir, manifest);
	if (!legacy) return { manifest, rows };
	legacy.warnings.forEach(warn);
	return { manifest, rows: rows.map(legacy.apply) };
}

/** All runs, oldest first. */
export function readAllRuns(runsDir: string, warn: (m: string) => void = () => {}): RunRecord[] {
	const runs = listRunIds(runsDir)
		.map((id) => readRun(runsDir, id, warn))
		.filter((r): r is RunRecord => r !== null);
	return runs.sort((a, b) => a.manifest.started_at.localeCompare(b.manifest.started_at) || a.manifest.run_id.localeCompare(b.manifest.run_id));
}

/** Status counts from the rows themselves (a manifest's counts are only as fresh as its last write). */
export function liveCounts(run: RunRecord) {
	const counts = { total: run.manifest.counts.total, ok: 0, error: 0, unparsed: 0, no_code: 0, pending: 0, cached: 0 };
	for (const row of run.rows) {
		counts[row.status]++;
		if (row.cached) counts.cached++;
	}
	counts.pending = Math.max(0, counts.total - run.rows.length);
	return counts;
}

/**
 * Whether a run whose manifest said 'running' has no writer any more (killed or crashed): no live
 * process holds its lock, and its manifest, read again after the lock was found gone, still says
 * 'running' (a run that just finished writes its manifest, then releases its lock).
 */
export function writerGone(runsDir: string, runId: string, manifest: Manifest): boolean {
	if (manifest.state !== 'running' || runLockHeld(join(runsDir, runId, LOCK_FILE))) return false;
	try {
		return readManifest(join(runsDir, runId, MANIFEST_FILE))?.state === 'running';
	} catch {
		return false;
	}
}

/** A run's state as every command and page says it: its manifest's, or 'interrupted' for a 'running' one no process writes. */
export type ShownRunState = RunState | 'interrupted';

/**
 * The one reading of a run's state (`covw runs`, `runs show`, `batch status`, the run pages):
 * 'interrupted' when its manifest says 'running' but its writer is gone (writerGone), else the
 * manifest's state.
 */
export function runStateOf(runsDir: string, runId: string, manifest: Manifest): ShownRunState {
	return writerGone(runsDir, runId, manifest) ? 'interrupted' : manifest.state;
}
