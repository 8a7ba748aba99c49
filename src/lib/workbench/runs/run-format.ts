// How the runs page and run cells write a run's numbers: durations, costs, token counts.

export function formatDuration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
	const s = Math.round(ms / 1000);
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min ${s % 60} s`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Dollars with enough digits to see a small run's cost ($0.0024); '—' when no price is known. */
export function formatCost(usd: number | null | undefined): string {
	if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
	if (usd === 0) return '$0';
	return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/**
 * The cost of several runs together (a run cell's): their sum, or "—" with the reason when one of
 * them made paid calls at an unknown price (a sum without it would be wrong); null and no reason
 * when none of them has a price.
 */
export function totalCost(runs: readonly { run_id: string; cost_usd: number | null; cost_why?: string | null }[]): { usd: number | null; why: string | null } {
	const unknown = runs.find((r) => r.cost_usd === null && r.cost_why);
	if (unknown) return { usd: null, why: `${unknown.run_id}: ${unknown.cost_why}` };
	const priced = runs.filter((r) => r.cost_usd !== null);
	return { usd: priced.length ? priced.reduce((s, r) => s + (r.cost_usd ?? 0), 0) : null, why: null };
}

export function formatTokens(n: number | null | undefined): string {
	return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** The evolve steps that are runs of their own (src/lib/runs/evolve/evolve-run.ts), by manifest kind. */
const EVOLVE_STEPS: Record<string, string> = {
	evolve: 'evolve (new scenarios from seeds)',
	'evolve-realise': 'evolve step: realisable filter',
	'evolve-induce': 'evolve step: induces-CWE filter',
	'evolve-secure': 'evolve step: already-secure filter'
};

/** What runWhat needs of a run. */
export interface RunWhatFacts {
	kind: string;
	task: string | null;
	model: string | null;
	judge: string | null;
	source_run: string | null;
	item_set?: string | null;
}

/**
 * What a run is, for the runs list's "what" column: task · model, the evolve step · model, or
 * judge · who and over what — "judge · rules over double/gpt-4o completion" (the run it judges,
 * found by `sourceOf` among the listed runs), "over run <id>" when that run is not listed,
 * "on <item set>" for a judge run of items: three rule runs over three models' answers read apart.
 */
export function runWhat(r: RunWhatFacts, sourceOf?: (runId: string) => RunWhatFacts | undefined): string {
	if (r.kind === 'judge') {
		if (!r.source_run) return `judge · ${r.judge ?? '?'} on ${r.item_set ?? 'items'}`;
		const source = sourceOf?.(r.source_run);
		const over = !source
			? `run ${shortRunId(r.source_run, 40)}`
			: source.kind === 'generation'
				? `${source.model ?? '?'} ${source.task ?? 'answers'}`
				: source.kind === 'judge'
					? `${source.judge ?? '?'} verdicts`
					: `${source.kind} · ${source.model ?? '?'}`;
		return `judge · ${r.judge ?? '?'} over ${over}`;
	}
	const step = EVOLVE_STEPS[r.kind];
	if (step) return `${step}${r.model ? ` · ${r.model}` : ''}`;
	return `${r.task ?? r.kind} · ${r.model ?? '?'}`;
}

/** The evolve step a run is, or null (the run page says it beside the kind). */
export const evolveStep = (kind: string): string | null => EVOLVE_STEPS[kind] ?? null;

/** What the pages need of a run to say its state (a RunOverview has it). */
export interface RunStateFacts {
	state: string;
	live: boolean;
	interrupted: boolean;
	counts: { ok: number; error: number; unparsed: number };
}

/**
 * A run's state as a reader should take it, by outcome: a run that completed with failed or
 * unreadable units is not a clean one ("completed · 0 ok, 54 errors", tone 'warn'), and never
 * reads like one ('ok' only when nothing failed). `running` overrides (this page follows it live).
 */
export function runStateOf(r: RunStateFacts, running = false): { text: string; tone: 'ok' | 'warn' | 'bad' | 'muted' | 'running' } {
	if (running || r.live) return { text: 'running', tone: 'running' };
	if (r.interrupted) return { text: 'interrupted', tone: 'warn' };
	if (r.state === 'completed') {
		const { ok, error, unparsed } = r.counts;
		if (error === 0 && unparsed === 0) return { text: 'completed', tone: 'ok' };
		const parts = [`${ok} ok`];
		if (error > 0) parts.push(`${error} error${error === 1 ? '' : 's'}`);
		if (unparsed > 0) parts.push(`${unparsed} unparsed`);
		return { text: `completed · ${parts.join(', ')}`, tone: 'warn' };
	}
	if (r.state === 'failed') return { text: 'failed', tone: 'bad' };
	if (r.state === 'cancelled') return { text: 'cancelled', tone: 'muted' };
	return { text: r.state, tone: 'running' };
}

/**
 * A run's tokens: the manifest totals them when a session ends, so while a run is running or
 * interrupted they are counted from the rows written so far (`row_tokens`, which the list and
 * detail give; soFar: say "so far"). No row with tokens yet: '—', not a false "0". Without
 * `row_tokens`, only the sessions before count ("≥ N").
 */
export function runTokens(
	r: { state: string; live: boolean; interrupted: boolean; tokens: { in: number; out: number }; row_tokens?: { in: number; out: number } | null },
	running = false
): { in: string; out: string; partial: boolean; soFar: boolean } {
	const partial = running || r.live || r.interrupted || r.state === 'running';
	if (!partial) return { in: formatTokens(r.tokens.in), out: formatTokens(r.tokens.out), partial, soFar: false };
	// The rows so far include the sessions before, so never fewer than the manifest's totals.
	const rows = r.row_tokens;
	if (rows) {
		const tin = Math.max(rows.in, r.tokens.in), tout = Math.max(rows.out, r.tokens.out);
		if (tin === 0 && tout === 0) return { in: '—', out: '—', partial, soFar: false };
		return { in: formatTokens(tin), out: formatTokens(tout), partial, soFar: true };
	}
	if (r.tokens.in === 0 && r.tokens.out === 0) return { in: '—', out: '—', partial, soFar: false };
	return { in: `≥ ${formatTokens(r.tokens.in)}`, out: `≥ ${formatTokens(r.tokens.out)}`, partial, soFar: false };
}

/** A drained replica as a run's manifest keeps it (engine/manifest.ts DrainedReplicaRecord). */
export interface DrainedReplicaFacts {
	endpoint: string;
	url: string;
	failures: number;
	drains: number;
	last_error: string | null;
	/** Start of the session it was drained in; absent in manifests written before it was kept. */
	session?: string;
}

/** "2026-11-02 10:00 UTC" from an ISO time (the run page's times are the manifest's, in UTC). */
const utcMinute = (iso: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso);

/**
 * One warning line per replica a run drained: which replica of which endpoint, in which session
 * (when), why (its last failure) and what that cost (failed attempts; while drained, the run's
 * requests went to the endpoint's other replicas). Text only.
 */
export function drainedReplicaWarnings(drained: readonly DrainedReplicaFacts[] | undefined, sessions: readonly string[] = []): string[] {
	return (drained ?? []).map((d) => {
		const at = d.session ? sessions.indexOf(d.session) : -1;
		const when = d.session
			? `in session ${at >= 0 ? `${at + 1} of ${sessions.length} ` : ''}(started ${utcMinute(d.session)})`
			: 'in its latest session';
		const times = d.drains === 1 ? 'once' : `${d.drains}×`;
		const attempts = `${d.failures} failed attempt${d.failures === 1 ? '' : 's'}`;
		return `replica ${d.url} of endpoint "${d.endpoint}" was drained ${times} ${when} after ${attempts}; its requests went to the endpoint's other replicas meanwhile${d.last_error ? ` — last failure: ${d.last_error}` : ''}`;
	});
}

/** A replica drained right now as the manifest of a run another process writes says it (server/runs/run-pages.ts drained_now). */
export interface DrainedNowFacts extends DrainedReplicaFacts {
	drained_since?: string;
}

/** The UTC time of day of an ISO time, to the second ("17:05:09 UTC"), with the date when it is not `today`'s. */
const utcSecond = (iso: string, today: string): string =>
	/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10) === today.slice(0, 10) ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 19)} UTC` : iso;

/**
 * One line per replica drained right now in a run another process writes (from its running
 * manifest): "replica http://… of endpoint "x" drained since 17:05:09 UTC after 3 failed attempts;
 * its requests go to the other replicas — last failure: …". `now`: an ISO time (whose date is not
 * repeated). Text only.
 */
export function drainedSinceLines(drained: readonly DrainedNowFacts[] | undefined, now: string = new Date().toISOString()): string[] {
	return (drained ?? [])
		.filter((d) => d.drained_since)
		.map((d) => {
			const times = d.drains > 1 ? ` (drained ${d.drains}× in this session)` : '';
			const attempts = `${d.failures} failed attempt${d.failures === 1 ? '' : 's'}`;
			return `replica ${d.url} of endpoint "${d.endpoint}" drained since ${utcSecond(d.drained_since!, now)} after ${attempts}${times}; its requests go to the other replicas${d.last_error ? ` — last failure: ${d.last_error}` : ''}`;
		});
}

/** What a live progress event says of an endpoint's drained replicas (engine/run-progress.ts EndpointProgress). */
export interface LiveEndpointFacts {
	name: string;
	drained?: string[];
	drained_replicas?: { url: string; for_ms: number; back_in_ms: number; failures: number; drains: number; last_error: string | null }[];
}

/**
 * One line per replica drained right now, from a run's live progress: "replica http://… of
 * endpoint "x" drained for 30 s (next probe in 12 s) after 3 failed attempts — last failure: …".
 * An event from an engine that gives only the URLs still says which replica. Text only.
 */
export function liveDrainedLines(endpoints: readonly LiveEndpointFacts[] | undefined): string[] {
	return (endpoints ?? []).flatMap((e) => {
		if (e.drained_replicas) {
			return e.drained_replicas.map((d) => {
				const times = d.drains > 1 ? ` (drained ${d.drains}× so far)` : '';
				const attempts = `${d.failures} failed attempt${d.failures === 1 ? '' : 's'}`;
				return `replica ${d.url} of endpoint "${e.name}" drained for ${formatDuration(d.for_ms)} (next probe in ${formatDuration(d.back_in_ms)}) after ${attempts}${times}; its requests go to the other replicas${d.last_error ? ` — last failure: ${d.last_error}` : ''}`;
			});
		}
		return (e.drained ?? []).map((url) => `replica ${url} of endpoint "${e.name}" drained; its requests go to the other replicas`);
	});
}

/**
 * A run id short enough for the runs list: ids longer than `max` keep their start (the kind, task
 * and model) and their end (the hash that tells runs apart) with "…" between; the page gives the
 * full id as the link's title.
 */
export function shortRunId(id: string, max = 34): string {
	if (id.length <= max) return id;
	const tail = Math.min(12, Math.floor((max - 1) / 3));
	return `${id.slice(0, max - 1 - tail)}…${id.slice(id.length - tail)}`;
}

/** A run id in pieces that end at its dashes and underscores: the list shows it whole, wrapping only there. */
export function runIdPieces(id: string): string[] {
	return id.match(/[^-_]*[-_]|[^-_]+$/g) ?? [id];
}
