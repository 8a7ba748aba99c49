// What the runs page shows about a run, from its manifest and its rows: one line for the list
// (state, what ran, counts from the rows, tokens, cost, duration) and, for the detail, the errors
// grouped by reason. Counts come from the rows (liveCounts), so a run still writing or one whose
// process died shows what it has, never a stale manifest count.
import { priceNoteOf } from '../engine/batch/price-factor.ts';
import type { Manifest, RunState } from '../engine/manifest.ts';
import type { RunSpec } from '../notebook/run-spec.ts';
import { runCost, type CostPart } from './run-cost.ts';
import { liveCounts, type RunRecord } from './run-list.ts';
import { usageImplausibleRows } from '../engine/types.ts';

export interface RunOverview {
	run_id: string;
	kind: string;
	/** The manifest's state. */
	state: RunState;
	/** Whether this server is running it now (a 'running' manifest that is not live here is the CLI's, or was interrupted). */
	live: boolean;
	/** A 'running' manifest that no process writes any more (no live holder of its lock): killed or crashed; resuming finishes it. */
	interrupted: boolean;
	task: string | null;
	model: string | null;
	judge: string | null;
	/** The run this one judges (judge runs). */
	source_run: string | null;
	/** The item set it judges instead (judge runs of items: a benchmark set or a labelled set's name). */
	item_set: string | null;
	counts: ReturnType<typeof liveCounts>;
	tokens: Manifest['tokens'];
	/** Tokens of the rows written so far (not from the cache): what a running or interrupted run has used, before its manifest totals them. */
	row_tokens: { in: number; out: number };
	/** USD of the answers on disk (the rows' tokens × the prices recorded with the run, run-cost.ts); "so far" while the run's tokens are. */
	cost_usd: number | null;
	/** Why the cost is not known (a model without a recorded price, an ensemble member's); null when it is, or when nothing was paid. */
	cost_why: string | null;
	/** "batch price (½ of list)" for a Batch API run, whose cost is at that price (engine/batch/price-factor.ts); else null. */
	price_note: string | null;
	/** Rows whose usage is implausible (engine/types.ts usageImplausible): the tokens and cost may be inflated; 0 when none (or not counted: a table compacted before it was). An ensemble's counts its member runs' rows (its cost is theirs). */
	usage_implausible: number;
	started_at: string;
	finished_at: string | null;
	/** Wall time from the first start to the end (or to now while running); null if unknown. */
	duration_ms: number | null;
	sessions: number;
	/** Why the run's rows could not be read (a log that is a link, refused; a damaged file): it is listed without them. */
	broken?: string;
}

export interface ErrorGroup {
	reason: string;
	count: number;
	/** A few unit ids with this reason, to look them up. */
	units: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The run a judge run judges, from its params ({ source: { run } }). */
export function sourceRun(params: Record<string, unknown>): string | null {
	const source = params.source;
	if (source && typeof source === 'object' && !Array.isArray(source)) {
		const s = source as Record<string, unknown>;
		return str(s.run) ?? str(s.run_id);
	}
	return null;
}

/** The item set a judge run of items judges (params.source.items), or null. */
export function sourceItemSet(params: Record<string, unknown>): string | null {
	const source = params.source;
	return source && typeof source === 'object' && !Array.isArray(source) ? str((source as Record<string, unknown>).items) : null;
}

/** One run's line; `live`: whether this server is running it now; `writerGone`: no process holds its lock. */
export function overviewOf(run: RunRecord, live = false, now: number = Date.now(), writerGone = false, memberRun?: (runId: string) => CostPart | null): RunOverview {
	return overviewFromCounts(run.manifest, liveCounts(run), () => lastRowTime(run), live, now, writerGone, rowTokens(run), memberRun, usageImplausibleRows(run.rows));
}

/** Tokens of a run's rows so far, cached rows left out (as the run tables' summary counts them). */
export function rowTokens(run: RunRecord): { in: number; out: number } {
	const t = { in: 0, out: 0 };
	for (const row of run.rows) {
		if (row.cached) continue;
		t.in += row.tokens_in ?? 0;
		t.out += row.tokens_out ?? 0;
	}
	return t;
}

/**
 * The same line from counts already made (the run tables keep them per run, so a caller need
 * not read the log again); `lastRowAt` is asked only for a run that stopped without finishing;
 * `rowTokens`: the tokens of its rows so far (the run tables' summary), which the cost is
 * computed from (run-cost.ts); without them, the manifest's tokens and cost.
 */
export function overviewFromCounts(
	m: Manifest,
	counts: RunOverview['counts'],
	lastRowAt: () => number | null,
	live = false,
	now: number = Date.now(),
	writerGone = false,
	rowTokens: { in: number; out: number } | null = null,
	/** An ensemble's member runs, whose rows its cost is made of (run-cost.ts runCost). */
	memberRun?: (runId: string) => CostPart | null,
	/** Rows whose usage is implausible (the run tables' summary counts them). */
	implausible = 0
): RunOverview {
	const cost = runCost(m, rowTokens, memberRun);
	const p = m.params ?? {};
	const state = m.state;
	// Interrupted: its duration ends at its last row instead of growing for ever.
	const interrupted = state === 'running' && !live && writerGone;
	const start = Date.parse(m.started_at);
	const end = m.finished_at ? Date.parse(m.finished_at) : state === 'running' && !interrupted ? now : lastRowAt();
	return {
		run_id: m.run_id,
		kind: m.kind,
		state,
		live,
		interrupted,
		task: str(p.task),
		model: str(p.model),
		judge: str(p.judge),
		source_run: sourceRun(p),
		item_set: sourceItemSet(p),
		counts,
		tokens: m.tokens,
		row_tokens: rowTokens ?? { in: 0, out: 0 },
		cost_usd: cost.usd,
		cost_why: cost.why,
		price_note: priceNoteOf(p),
		// An ensemble's cost is its member runs': so is its note that the cost may be inflated.
		usage_implausible: implausible + (cost.membersImplausible ?? 0),
		started_at: m.started_at,
		finished_at: m.finished_at,
		duration_ms: Number.isFinite(start) && end !== null && Number.isFinite(end) ? Math.max(0, end - start) : null,
		sessions: m.sessions?.length ?? 1
	};
}

/** When the run's last row finished (ms since the epoch); null when none says. */
export function lastRowTime(run: RunRecord): number | null {
	let last: number | null = null;
	for (const row of run.rows) {
		const t = Date.parse(row.finished_at);
		if (Number.isFinite(t) && (last === null || t > last)) last = t;
	}
	return last;
}

/**
 * A failure's reason without what varies between units (numbers, ids, quoted text), so
 * "HTTP 429 after 6 attempts" and "HTTP 429 after 5 attempts" are one group. CWE ids stay
 * (CWE-787 is a name, not a count).
 */
export function errorReason(error: string): string {
	const first = error.split('\n')[0].trim();
	return first
		.replace(/"[^"]*"|'[^']*'/g, '"…"')
		.replace(/\b[0-9a-f]{12,}\b/gi, '…')
		.replace(/(?<![A-Za-z\d]|CWE-)\d+(\.\d+)?(?![A-Za-z])/g, (n, _f, offset: number, whole: string) => (/HTTP\s*$|status\s*$/i.test(whole.slice(0, offset)) ? n : 'N'))
		.slice(0, 300);
}

/** The run's error and unparsed rows grouped by reason, the largest group first (an answer with no code is no error: it is counted, as no_code). */
export function errorGroups(run: RunRecord, examples = 3): ErrorGroup[] {
	const groups = new Map<string, ErrorGroup>();
	for (const row of run.rows) {
		if (row.status !== 'error' && row.status !== 'unparsed') continue;
		const reason = row.status === 'unparsed' ? `unparsed: ${errorReason(row.error ?? 'no verdict could be read from the answer')}` : errorReason(row.error ?? 'failed without a message');
		const group = groups.get(reason) ?? { reason, count: 0, units: [] };
		group.count++;
		if (group.units.length < examples) group.units.push(row.unit_id);
		groups.set(reason, group);
	}
	return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * The run cell spec that names a generation run again, from its params (task, model, selection,
 * samples), with `judge`/`template` for a judge run over it. A candidate only: the caller plans it
 * and offers "resume" only when the plan names this very run (ids derive from every parameter).
 */
export function resumeSpecOf(generation: Manifest, judge?: Manifest): RunSpec | null {
	const p = generation.params ?? {};
	if (generation.kind !== 'generation' || typeof p.task !== 'string' || typeof p.model !== 'string') return null;
	const selection = (p.selection && typeof p.selection === 'object' ? p.selection : {}) as Record<string, unknown>;
	const spec: Record<string, unknown> = { task: p.task, model: p.model };
	for (const key of ['set', 'cwe', 'language', 'limit', 'seed'] as const) if (selection[key] !== undefined) spec[key] = selection[key];
	if (typeof p.samples === 'number') spec.samples = p.samples;
	if (judge) {
		if (typeof judge.params?.judge !== 'string') return null;
		spec.judge = judge.params.judge;
		if (typeof judge.params.template === 'string') spec.template = judge.params.template;
	}
	return spec as unknown as RunSpec;
}

/** Rows finished over time: (seconds since the run started, rows done by then), at most `points` steps. */
export function progressTimeline(run: RunRecord, points = 80): { seconds: number; done: number }[] {
	const start = Date.parse(run.manifest.started_at);
	const times = run.rows
		.map((r) => Date.parse(r.finished_at))
		.filter((t) => Number.isFinite(t))
		.sort((a, b) => a - b);
	if (!Number.isFinite(start) || times.length === 0) return [];
	const out: { seconds: number; done: number }[] = [{ seconds: 0, done: 0 }];
	const step = Math.max(1, Math.ceil(times.length / points));
	for (let i = step - 1; i < times.length; i += step) out.push({ seconds: Math.max(0, (times[i] - start) / 1000), done: i + 1 });
	if (out[out.length - 1].done !== times.length) out.push({ seconds: Math.max(0, (times[times.length - 1] - start) / 1000), done: times.length });
	return out;
}
