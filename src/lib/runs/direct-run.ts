// Runs whose verdicts need no endpoint (the rule judge, the detection answer parsers) are
// written in the same shape as engine runs — runs/<id>/manifest.json + log.jsonl, one ResultRow
// per unit — so listing, resuming and the run tables treat every run alike.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../engine/canonical-json.ts';
import { type Manifest, MANIFEST_FILE, readManifest, summarize, writeManifest } from '../engine/manifest.ts';
import { FINISHED, latestRowPerUnit, LOG_FILE, readRunLog, RunLogWriter } from '../engine/run-log.ts';
import { acquireRunLock, LOCK_FILE } from '../engine/run-lock.ts';
import { RunSetupError } from '../engine/run-units.ts';
import type { MetaValue, ResultRow, RowStatus } from '../engine/types.ts';

/** One unit of a direct run: its id and a function computing its row (called only if not yet logged). */
export interface DirectUnit {
	id: string;
	sample: number;
	meta: Record<string, MetaValue | boolean>;
	compute(): { status: RowStatus; response: string | null; error: string | null; fields?: Record<string, MetaValue | boolean> };
}

export interface DirectRunResult {
	manifest: Manifest;
	/** Units computed in this call (the rest were already in the log). */
	computed: number;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function writeDirectRun(options: {
	runsDir: string;
	runId: string;
	kind: string;
	params: Record<string, unknown>;
	datasetHash: string | null;
	units: DirectUnit[];
	onWarning?: (message: string) => void;
}): DirectRunResult {
	const { runId, units } = options;
	if (!RUN_ID.test(runId)) throw new RunSetupError(`run id "${runId}" must be letters, digits, ".", "_" or "-"`);
	const runDir = join(options.runsDir, runId);
	mkdirSync(runDir, { recursive: true });
	const release = acquireRunLock(join(runDir, LOCK_FILE));
	try {
		const manifestPath = join(runDir, MANIFEST_FILE);
		const previous = readManifest(manifestPath);
		if (previous && canonicalJson(previous.params) !== canonicalJson(options.params)) {
			throw new RunSetupError(`${manifestPath}: run "${runId}" exists with different params; use a new run id`);
		}
		const logPath = join(runDir, LOG_FILE);
		const earlier = readRunLog(logPath);
		earlier.warnings.forEach((w) => (options.onWarning ?? console.warn)(w));
		const final = latestRowPerUnit(earlier.rows);
		const now = new Date().toISOString();
		const manifest = (state: Manifest['state'], finished: string | null): Manifest => ({
			run_id: runId,
			kind: options.kind,
			params: options.params,
			dataset_hash: options.datasetHash,
			endpoints: [],
			state,
			started_at: previous?.started_at ?? now,
			sessions: [...(previous?.sessions ?? []), now],
			finished_at: finished,
			...summarize(
				units.map((u) => final.get(u.id)).filter((r): r is ResultRow => r !== undefined),
				units.length,
				() => null
			),
			log_warnings: earlier.warnings.slice(0, 50)
		});
		writeManifest(manifestPath, manifest('running', null));
		const log = new RunLogWriter(logPath);
		let computed = 0;
		try {
			for (const unit of units) {
				if (FINISHED.includes(final.get(unit.id)?.status ?? 'error')) continue;
				const t0 = performance.now();
				const out = unit.compute();
				const row: ResultRow = {
					unit_id: unit.id,
					sample: unit.sample,
					status: out.status,
					response: out.response,
					error: out.error,
					latency_ms: Math.round((performance.now() - t0) * 10) / 10,
					tokens_in: null,
					tokens_out: null,
					cached: false,
					attempts: 0,
					finished_at: new Date().toISOString(),
					meta: { ...unit.meta, ...(out.fields ?? {}) }
				};
				log.append(row);
				final.set(unit.id, row);
				computed++;
			}
		} finally {
			log.close();
		}
		const done = manifest('completed', new Date().toISOString());
		writeManifest(manifestPath, done);
		return { manifest: done, computed };
	} finally {
		release();
	}
}
