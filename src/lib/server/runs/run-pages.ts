// The runs page's data: every run's overview line, and one run's detail (manifest, errors by
// reason, what is live, and the spec that resumes it when its parameters still name it).
import { join } from 'node:path';
import { listRunIds, readRun, writerGone, type RunRecord } from '../../runs/run-list.ts';
import { errorGroups, lastRowTime, overviewFromCounts, overviewOf, progressTimeline, resumeSpecOf, rowTokens, sourceRun, type ErrorGroup, type RunOverview } from '../../runs/run-overview.ts';
import { type DrainedReplicaRecord, type Manifest, MANIFEST_FILE, readManifest } from '../../engine/manifest.ts';
import { ensembleMembers, type CostPart } from '../../runs/run-cost.ts';
import type { RunSpec } from '../../notebook/run-spec.ts';
import { labelledReport, labelledSetNameOf, type LabelledReport } from '../../runs/import/labelled-report.ts';
import { loadLabelledSet } from '../../runs/import/labelled-set.ts';
import type { ProjectRuns } from './project-runs.ts';
import type { RunEvent, RunManager } from './run-manager.ts';
import type { RunTablesCache } from './run-tables-cache.ts';
import { publicMessage } from '../http.ts';
import { answersCutRows, usageImplausibleRows, usageInvalidRows } from '../../engine/types.ts';
import { batchNotResumableHere, batchSummary, type BatchSummary } from '../../engine/batch/batch-summary.ts';
import { oldReleasedImport } from '../../runs/import/coveval-released.ts';

export interface RunDetail {
	overview: RunOverview;
	manifest: Manifest;
	errors: ErrorGroup[];
	/**
	 * What each example unit of `errors` is, by unit id: the item (and, when it is not the item
	 * itself — a generation a judge judged — the target) and the judge, so a page names programs,
	 * never hashes alone.
	 */
	examples: Record<string, ExampleUnit>;
	/** The live state when this server runs it (keyed by the generation run). */
	liveEvent: RunEvent | null;
	/** The generation run id that Cancel and the progress stream use. */
	controlId: string | null;
	/** The spec that resumes this run, when planning it names this very run; else why not. */
	resume: { spec: RunSpec } | { unavailable: string };
	/** Rows finished over time (seconds since the start, rows done). */
	timeline: { seconds: number; done: number }[];
	/** Rows whose endpoint sent a usage that is no count (engine/types.ts usageInvalid): its tokens and cost are lower bounds. */
	usage_unreadable: number;
	/** Rows whose endpoint reported more tokens than the answer or prompt could take (engine/types.ts usageImplausible): tokens and cost may be inflated. */
	usage_implausible: number;
	/** A run of an old import of the CoV-Eval released results: what it is and the command that imports its file again (coveval-released.ts oldReleasedImport); else null. */
	old_import: { what: string; command: string; newer: string[] } | null;
	/** Judge runs over this one (generation runs), and the run this one judges. */
	judgedBy: string[];
	/** A judge run of a labelled set: the figures `covw runs show` prints (labelled-report.ts); else null. */
	labelled: LabelledReport | null;
	/** A batch run (params.batch): its batches as last recorded, its price and the command that resumes it (engine/batch/batch-summary.ts); else null. */
	batch: BatchSummary | null;
	/** Rows whose answer stopped at the token limit (engine/types.ts ANSWER_CUT). */
	answers_cut: number;
	/**
	 * A run another process (the CLI) writes right now: the replicas drained right now as its
	 * "running" manifest last said (run-session.ts watchDrains: each with `drained_since`); else
	 * empty (a run this server runs has them in its live progress; a run no process writes any
	 * more is drained nowhere now).
	 */
	drained_now: DrainedReplicaRecord[];
}

/** The replicas a run another process writes says are drained right now (RunDetail.drained_now). */
export function drainedNowElsewhere(manifest: Manifest, overview: Pick<RunOverview, 'state' | 'live' | 'interrupted'>): DrainedReplicaRecord[] {
	if (manifest.state !== 'running' || overview.live || overview.interrupted) return [];
	const session = manifest.sessions[manifest.sessions.length - 1];
	return (manifest.replicas_drained ?? []).filter((d) => typeof d.drained_since === 'string' && d.session === session);
}

export interface ExampleUnit {
	item_id: string | null;
	/** The judged target when it differs from the item (a generation's unit id); else null. */
	target_id: string | null;
	judge: string | null;
	sample: number;
}

const metaText = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The item, target and judge of every example unit the error groups name. */
export function exampleUnits(run: RunRecord, errors: readonly ErrorGroup[]): Record<string, ExampleUnit> {
	const wanted = new Set(errors.flatMap((g) => g.units));
	const out: Record<string, ExampleUnit> = {};
	for (const row of run.rows) {
		if (!wanted.has(row.unit_id)) continue;
		const item = metaText(row.meta.item_id);
		const target = metaText(row.meta.target_id);
		out[row.unit_id] = { item_id: item, target_id: target !== null && target !== item ? target : null, judge: metaText(row.meta.judge), sample: row.sample };
	}
	return out;
}

/** The live event of a run: a generation run by its id, a judge run through the generation run it follows. */
function liveFor(manager: RunManager, runId: string, sourceRun: string | null): { event: RunEvent | null; controlId: string | null } {
	const own = manager.get(runId);
	if (own) return { event: own, controlId: runId };
	if (sourceRun) {
		const parent = manager.get(sourceRun);
		if (parent?.plan.judgeRunId === runId) return { event: parent, controlId: sourceRun };
	}
	return { event: null, controlId: null };
}

/**
 * Every run, newest first; with `ids`, only those runs (in any order). Counts come from the run
 * tables (kept in step with each log as it grows), so a page asking every second while a run
 * goes on costs no re-read of its log.
 */
export async function listRuns(tables: RunTablesCache, manager: RunManager, ids?: string[]): Promise<RunOverview[]> {
	const sources = await tables.sources(ids);
	const memberRun = await memberRuns(tables, sources.map((s) => s.manifest!));
	return sources
		.map((source) => {
			const manifest = source.manifest!;
			const s = source.summary;
			const counts = { total: manifest.counts.total, ok: s.ok, error: s.error, unparsed: s.unparsed, no_code: s.no_code, pending: Math.max(0, manifest.counts.total - s.rows), cached: s.cached };
			// Only a run that stopped without finishing needs its rows (its last row's time).
			const lastRowAt = () => {
				const run = readRun(source.runsDir, source.runId);
				return run ? lastRowTime(run) : null;
			};
			const { event } = liveFor(manager, manifest.run_id, sourceRun(manifest.params ?? {}));
			const live = event?.state === 'running';
			const overview = overviewFromCounts(manifest, counts, lastRowAt, live, Date.now(), writerGone(source.runsDir, source.runId, manifest), { in: s.tokens_in, out: s.tokens_out }, memberRun, s.usage_implausible ?? 0);
			// Said as the warnings are: no absolute path of the server's (publicMessage).
			return source.failure ? { ...overview, broken: publicMessage(source.failure) } : overview;
		})
		.reverse();
}

/**
 * The member runs of the ensembles among `manifests`, from the run tables (their rows' tokens as
 * the tables keep them): what an ensemble's cost is made of (run-cost.ts runCost).
 */
async function memberRuns(tables: RunTablesCache, manifests: readonly Manifest[]): Promise<(runId: string) => CostPart | null> {
	const ids = [...new Set(manifests.flatMap((m) => (ensembleMembers(m) ?? []).map((x) => x.run)))];
	const parts = new Map<string, CostPart>();
	if (ids.length > 0) {
		for (const source of await tables.sources(ids)) parts.set(source.runId, { manifest: source.manifest!, rowTokens: { in: source.summary.tokens_in, out: source.summary.tokens_out }, usageImplausible: source.summary.usage_implausible ?? 0 });
	}
	return (runId) => parts.get(runId) ?? null;
}

/** The same from the runs folder (no run tables): each member run's log read. */
function memberRunsOnDisk(runsDir: string, manifest: Manifest): (runId: string) => CostPart | null {
	const parts = new Map<string, CostPart>();
	for (const { run: id } of ensembleMembers(manifest) ?? []) {
		const run = readRun(runsDir, id);
		if (run) parts.set(id, { manifest: run.manifest, rowTokens: rowTokens(run), usageImplausible: usageImplausibleRows(run.rows) });
	}
	return (runId) => parts.get(runId) ?? null;
}

const NOT_A_CELL_RUN = 'only runs started from a run cell (a generation run, or a judge run over one) can be resumed here';
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Why the page cannot give a plain spec that resumes this run, from its kind and params (the id
 * only where nothing else tells: a hand-given id); null when its spec is to be planned.
 * `generation`: the run itself, or the generation run a judge run judges.
 */
export function notResumableHere(manifest: Manifest, generation: Manifest | undefined): string | null {
	const params = manifest.params ?? {};
	// Vul-Evol: the evolve run, and its filter steps (kind evolve-realise, …) which name it.
	if (manifest.kind === 'evolve') return 'an evolve run: resume it from the evolve run cell or covw evolve command that started it (the same seeds, strategies and model name it again)';
	if (manifest.kind.startsWith('evolve-')) {
		const parent = str(params.source_run_id);
		return `the ${manifest.kind.slice('evolve-'.length)} filter step of ${parent ? `the evolve run ${parent}` : 'an evolve run'}: it resumes with that run, from its evolve run cell or covw evolve command`;
	}
	// An imported run's answers came from a file (covw import, the runs page's Import): never re-sent.
	const imported = (params.imported ?? generation?.params?.imported) as { file?: unknown } | undefined;
	if (imported) return `imported from ${String(imported.file)}: its answers are never re-sent (judge it like any other run)`;
	// A batch run (covw run/judge … --batch or --batch-export): planned here it would be a live run
	// (the page's spec has no batch mode), so another run id, and its units sent live at full price.
	const batch = batchNotResumableHere(manifest.run_id, params);
	if (batch) return batch;
	if (!generation || generation.kind !== 'generation') return NOT_A_CELL_RUN;
	// A judge run over a batch generation run: the page plans the generation run again, live.
	if (manifest.kind === 'judge' && (generation.params?.batch === true || generation.params?.batch === 'vllm'))
		return `it judges the batch run ${generation.run_id}, which the page cannot plan again (it would plan a live run): resume it with the same covw judge command`;
	// Self-repair runs take their items from another run, not from a plain spec: only the run cell
	// (or covw command) that started them names them again. Their params are a plain repair run's
	// (task repair, no selection): only the id tells them apart.
	if (generation.run_id.startsWith('self-repair-')) return 'derived from another run: resume it from the run cell or covw command that started it';
	// Any other id was given by hand: the page's spec would name the derived id, another run.
	if (manifest.kind === 'judge' && !manifest.run_id.startsWith('judge-'))
		return `its id "${manifest.run_id}" was given by hand (covw judge --run-id): resume it with the same covw command, which names it again`;
	if (!generation.run_id.startsWith('gen-')) return `its id "${generation.run_id}" was given by hand (covw run --run-id): resume it with the same covw command, which names it again`;
	return null;
}

/**
 * Every run's manifest, oldest first: from the run tables the server keeps (refreshed at the cost
 * of what changed), else read from the runs folder — manifests only, never a log.
 */
export async function runManifests(runsDir: string, tables?: RunTablesCache): Promise<Manifest[]> {
	if (tables) return (await tables.sources()).map((s) => s.manifest!);
	const manifests: Manifest[] = [];
	for (const id of listRunIds(runsDir)) {
		try {
			const m = readManifest(join(runsDir, id, MANIFEST_FILE));
			if (m) manifests.push(m);
		} catch {
			// A broken manifest is the runs list's warning; it judges nothing here.
		}
	}
	return manifests.sort((a, b) => a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id));
}

/** The judge runs over a run, oldest first, from the manifests alone (a judge run names the run it judges in its params). */
export function judgeRunsOver(manifests: readonly Manifest[], runId: string): string[] {
	return manifests.filter((m) => m.kind === 'judge' && sourceRun(m.params ?? {}) === runId).map((m) => m.run_id);
}

/**
 * One run's detail. Only this run's log is read (its errors and timeline); the judge runs over it
 * and the generation run a judge run judges come from the manifests (`tables`: the server's run
 * tables, which hold every manifest; without them, the manifests on disk).
 */
export async function runDetail(runsDir: string, runId: string, manager: RunManager, runs: ProjectRuns, tables?: RunTablesCache, dataDir?: string): Promise<RunDetail | null> {
	const run = readRun(runsDir, runId);
	if (!run) return null;
	const base = overviewOf(run);
	const live = liveFor(manager, runId, base.source_run);
	const memberRun = ensembleMembers(run.manifest) === null ? undefined : tables ? await memberRuns(tables, [run.manifest]) : memberRunsOnDisk(runsDir, run.manifest);
	const read = overviewOf(run, live.event?.state === 'running', Date.now(), writerGone(runsDir, runId, run.manifest), memberRun);
	const overview = run.broken ? { ...read, broken: publicMessage(run.broken) } : read;
	const manifests = await runManifests(runsDir, tables);
	const judgedBy = judgeRunsOver(manifests, runId);
	const generation = run.manifest.kind === 'generation' ? run.manifest : base.source_run ? manifests.find((m) => m.run_id === base.source_run) : undefined;
	const unavailable = notResumableHere(run.manifest, generation);
	let resume: RunDetail['resume'] = { unavailable: unavailable ?? '' };
	const spec = unavailable === null && generation ? resumeSpecOf(generation, run.manifest.kind === 'judge' ? run.manifest : undefined) : null;
	if (unavailable === null && !spec) resume = { unavailable: NOT_A_CELL_RUN };
	if (spec) {
		try {
			const plan = await runs.plan(spec);
			const names = run.manifest.kind === 'judge' ? plan.judgeRunId === runId : plan.generationRunId === runId;
			resume = names ? { spec } : { unavailable: 'the config, items or templates changed since this run: its parameters now name another run' };
		} catch (e) {
			resume = { unavailable: e instanceof Error ? e.message : String(e) };
		}
	}
	const errors = errorGroups(run);
	// A judge run of a labelled set (covw import --labelled): the report `covw runs show` prints.
	const setName = dataDir && run.manifest.kind === 'judge' ? labelledSetNameOf(run) : null;
	const set = setName ? await loadLabelledSet(dataDir!, setName) : null;
	const labelled = set ? labelledReport(run, set) : null;
	const batch = batchSummary(runsDir, runId, run.manifest.params);
	return { overview, manifest: run.manifest, errors, examples: exampleUnits(run, errors), timeline: progressTimeline(run), usage_unreadable: usageInvalidRows(run.rows), usage_implausible: read.usage_implausible, old_import: oldReleasedImport(run.manifest, manifests), liveEvent: live.event, controlId: live.controlId ?? (run.manifest.kind === 'generation' ? runId : base.source_run), resume, judgedBy, labelled, batch, answers_cut: answersCutRows(run.rows), drained_now: drainedNowElsewhere(run.manifest, read) };
}
