// The executor of analyzer judges (execution 'tool', judges/analyzers/analyzer-judges.ts) in
// judge runs. Each tool is its own judge and its own run, written like the rule judge's (no
// endpoint, one row per target); the tool's name and version are in the run's params, so a new
// tool version starts a new run instead of mixing verdicts from two versions.
//
// Targets in a language the tool does not read get NO row (runJudge leaves them out and counts
// them): they are not judgements that failed. Targets the tool did read but could not judge (a
// syntax error, a timeout, a crash, no code) are status 'error' rows with the reason, retried —
// and only they — on resume.
import { tryNormalizeCweId } from '../core/cwe.ts';
import type { Item, ItemSet } from '../core/items/item.ts';
import { unitId } from '../engine/canonical-json.ts';
import { LOG_FILE, FINISHED, latestRowPerUnit, readRunLog } from '../engine/run-log.ts';
import type { Progress } from '../engine/run-units.ts';
import { judgeBatchWithAnalyzer } from '../judges/analyzers/judge.ts';
import { toolAvailability } from '../judges/analyzers/locate-tool.ts';
import { ANALYZER_TOOLS } from '../judges/analyzers/registry.ts';
import type { AnalyzerAvailability, AnalyzerName, AnalyzerOptions, AnalyzerVerdict } from '../judges/analyzers/types.ts';
import type { MetaValue, RowStatus } from '../engine/types.ts';
import { join } from 'node:path';
import type { DirectUnit } from './direct-run.ts';
import { NoMatchingTargetsError, TargetError, type JudgeTarget } from './judge-targets.ts';
import { derivedRunId } from './run-ids.ts';
import { judgeSource } from './judge-source.ts';
import { targetMeta } from '../judges/target.ts';

/** Programs per tool invocation: one invocation for many files is what makes the tools fast,
 * and a batch that times out or crashes costs at most this many 'error' rows. */
export const ANALYZER_BATCH = 100;

/** The analyzer asked for is not installed (or does not answer `--version`). */
export class AnalyzerMissingError extends TargetError {}

/** None of the targets is in the analyzer's language: there is nothing for it to judge. */
export const NoAnalyzerTargetsError = NoMatchingTargetsError;

/** The installed tool, or AnalyzerMissingError with the install hint — before any work starts. */
export async function requireAnalyzer(tool: AnalyzerName, opts: AnalyzerOptions = {}): Promise<AnalyzerAvailability & { path: string; version: string }> {
	const a = await toolAvailability(ANALYZER_TOOLS[tool], opts);
	if (!a.available || !a.path || !a.version) throw new AnalyzerMissingError(a.message ?? `${tool} is not available`);
	return { ...a, path: a.path, version: a.version };
}

export interface AnalyzerUnitsOptions {
	tool: AnalyzerName;
	version: string;
	/** Targets in the tool's language (runJudge leaves the others out). */
	targets: readonly JudgeTarget[];
	sourceRunId: string | null;
	/** Unit ids already finished in this run's log: not analysed again. */
	finished: ReadonlySet<string>;
	analyzer?: AnalyzerOptions;
	runId: string;
	/** Stops before the next batch; the programs not analysed become 'error' rows that resume retries. */
	signal?: AbortSignal;
	onProgress?: (p: Progress) => void;
}

export interface AnalyzerUnits {
	units: DirectUnit[];
	/** Programs handed to the tool in this call (0 when everything was already in the log). */
	analysed: number;
}

type Outcome = { status: RowStatus; response: string | null; error: string | null; fields: Record<string, MetaValue | boolean> };

const NO_VERDICT = { vulnerable: null, rule: null, line: null };

/** Unit id of one analyzer verdict (the tool version is part of the run id, not of the unit). */
export function analyzerUnitId(tool: AnalyzerName, t: JudgeTarget): string {
	return unitId({ judge: tool, target_id: t.target_id, cwe: t.cwe, language: t.language, code: t.code });
}

/** Finished unit ids in an existing run's log (none for a new run), so resume re-analyses nothing. */
export function finishedUnitIds(runsDir: string, runId: string): Set<string> {
	const { rows } = readRunLog(join(runsDir, runId, LOG_FILE));
	return new Set([...latestRowPerUnit(rows).values()].filter((r) => FINISHED.includes(r.status)).map((r) => r.unit_id));
}

/**
 * Runs the tool over the targets in its language that are not finished yet (in batches) and
 * returns one direct-run unit per such target, its row already computed: writeDirectRun's
 * compute() is synchronous, the tools are not.
 */
export async function analyzerUnits(o: AnalyzerUnitsOptions): Promise<AnalyzerUnits> {
	const mine = o.targets;
	const ids = mine.map((t) => analyzerUnitId(o.tool, t));
	const outcomes = new Map<string, Outcome>();

	// Targets the tool cannot be asked about are errors without running it.
	const todo: number[] = [];
	mine.forEach((t, i) => {
		if (o.finished.has(ids[i])) return;
		if (!tryNormalizeCweId(String(t.cwe))) outcomes.set(ids[i], errorOutcome(`${o.tool}: target CWE ${JSON.stringify(t.cwe)} is not one of the 18 CoV-Eval CWEs`));
		else if (t.code.trim() === '') outcomes.set(ids[i], errorOutcome(`${o.tool}: no code to analyse`));
		else todo.push(i);
	});

	const started = Date.now();
	let done = mine.length - todo.length;
	const tally = { ok: 0, error: 0 };
	const report = () =>
		o.onProgress?.({
			run_id: o.runId, total: mine.length, done, ok: tally.ok, error: tally.error, unparsed: 0, cached: 0,
			requests: 0, tokens_in: 0, tokens_out: 0, elapsed_ms: Date.now() - started, endpoints: []
		});
	for (let from = 0; from < todo.length; from += ANALYZER_BATCH) {
		const batch = todo.slice(from, from + ANALYZER_BATCH);
		if (o.signal?.aborted) {
			for (const i of batch) outcomes.set(ids[i], errorOutcome(`${o.tool}: cancelled before the tool ran; judge again to resume`));
			continue;
		}
		const verdicts = await judgeBatchWithAnalyzer(
			o.tool,
			batch.map((i) => ({ code: mine[i].code, language: mine[i].language, cwe: mine[i].cwe })),
			o.analyzer
		);
		batch.forEach((i, k) => {
			const outcome = toOutcome(o.tool, o.version, verdicts[k]);
			tally[outcome.status === 'ok' ? 'ok' : 'error']++;
			outcomes.set(ids[i], outcome);
		});
		done += batch.length;
		report();
	}

	const units: DirectUnit[] = mine.map((t, i) => ({
		id: ids[i],
		sample: t.sample,
		meta: targetMeta(t, o.tool, o.sourceRunId),
		// Only called for units not finished in the log, which are exactly the ones analysed above.
		compute: () => outcomes.get(ids[i]) ?? errorOutcome(`${o.tool}: not analysed (the run log changed while the tool ran)`)
	}));
	return { units, analysed: tally.ok + tally.error };
}

function errorOutcome(error: string): Outcome {
	return { status: 'error', response: null, error, fields: NO_VERDICT };
}

/** A verdict as a row: every finding kept in raw; rule and line name the first finding on the target CWE. */
function toOutcome(tool: AnalyzerName, version: string, v: AnalyzerVerdict): Outcome {
	if (v.status === 'error') return errorOutcome(v.error);
	const raw = JSON.stringify({
		tool,
		version,
		findings: v.findings.map((f) => ({ rule: f.rule, line: f.line, cwes: f.cwes, tool_cwe: f.tool_cwe, message: f.message }))
	});
	const decisive = v.findings.find((f) => f.cwes.includes(v.cwe));
	return { status: 'ok', response: raw, error: null, fields: { vulnerable: v.vulnerable, rule: decisive?.rule ?? null, line: decisive?.line ?? null } };
}

/** The version of how an analyzer's findings become verdicts (see analyzerRunIdentity). */
export const ANALYZER_VERDICTS_VERSION = 2;

/** An analyzer run's params and id: the tool and its version, and the source (as judgeRunIdentity does for the other judges). */
export function analyzerRunIdentity(
	options: { judge: AnalyzerName; sourceRunId?: string; itemSet?: ItemSet; items?: readonly Item[] },
	version: string
): { runId: string; params: Record<string, unknown> } {
	const { source, name } = judgeSource(options);
	// the target CWEs it judges (AnalyzerTool.cwes), when not all 18: a run that judged others
	// (before they were declared) is another run, never resumed with fewer targets
	const cwes = ANALYZER_TOOLS[options.judge]?.cwes;
	// verdicts: how findings become verdicts, not the tool's own version — 2: code in another
	// language, binary or empty is refused before any tool runs; flawfinder's `char` (a static
	// array declared) counts toward no CWE. A run made before is another run, never resumed.
	const params = { kind: 'judge', judge: options.judge, tool_version: version, verdicts: ANALYZER_VERDICTS_VERSION, ...(cwes ? { cwes: [...cwes] } : {}), source };
	return { runId: derivedRunId('judge', [options.judge, name], params), params };
}
