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

/** What a run is, for the runs list's "what" column: task · model, judge · who, or the evolve step · model. */
export function runWhat(r: { kind: string; task: string | null; model: string | null; judge: string | null; source_run: string | null }): string {
	if (r.kind === 'judge') return `judge · ${r.judge ?? '?'}${r.source_run ? '' : ' on items'}`;
	const step = EVOLVE_STEPS[r.kind];
	if (step) return `${step}${r.model ? ` · ${r.model}` : ''}`;
	return `${r.task ?? r.kind} · ${r.model ?? '?'}`;
}

/** The evolve step a run is, or null (the run page says it beside the kind). */
export const evolveStep = (kind: string): string | null => EVOLVE_STEPS[kind] ?? null;
