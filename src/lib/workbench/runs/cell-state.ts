// What a run cell says about its runs when this page gets no live events for them (a tab opened
// after the run started elsewhere, after a server restart or crash, a run of the CLI): the
// server's view of each run (its overview: manifest state, whether it is live here, whether its
// writer is gone) read into one state word and tone for the cell — interrupted, running,
// cancelled, failed, completed — and the totals a cell shows (tokens from the rows so far when
// the manifest has not totalled them yet: a crashed run's manifest still says 0).
import { runStateOf, type RunStateFacts } from './run-format.ts';

export interface CellRunFacts extends RunStateFacts {
	run_id: string;
	kind: string;
	tokens: { in: number; out: number };
	row_tokens?: { in: number; out: number } | null;
}

export interface CellState {
	text: string;
	tone: 'ok' | 'warn' | 'bad' | 'muted' | 'running';
}

/**
 * The cell's state from its runs (main first, then the judge run it plans): null before any of
 * them is on disk. The first run that is not completed decides; the judge run is named when it is
 * the one. A run running with no live events here is another process's (the CLI, another server).
 */
export function cellStateOf(runs: readonly (CellRunFacts | undefined)[], names: readonly string[] = []): CellState | null {
	const known = runs.filter((r): r is CellRunFacts => !!r);
	if (known.length === 0) return null;
	for (let i = 0; i < runs.length; i++) {
		const r = runs[i];
		const which = i > 0 && names[i] ? ` (${names[i]})` : '';
		if (!r) {
			// The main run ended, its judge run was never started (cancelled before, or not yet).
			return { text: `not started${which}`, tone: 'muted' };
		}
		const s = runStateOf(r);
		if (r.interrupted) return { text: `interrupted${which} — Resume goes on from the rows saved`, tone: 'warn' };
		if (r.live) return { text: `running${which}`, tone: 'running' };
		if (r.state === 'running') return { text: `running${which} (not from this server: the CLI or another server)`, tone: 'running' };
		if (r.state !== 'completed') return { text: `${s.text}${which}`, tone: s.tone };
	}
	const last = known.map((r) => runStateOf(r)).find((s) => s.tone === 'warn');
	return last ?? { text: known.length > 1 ? 'completed · all runs' : 'completed', tone: 'ok' };
}

/** What a cell says while the server does not answer (its live stream lost, no read since): never "running". */
export const SERVER_NOT_ANSWERING: CellState = {
	text: 'server not answering — the run may have stopped with it; the counts shown are from before (Resume once it is back goes on from the rows saved)',
	tone: 'warn'
};

/**
 * The cell's state with the server's reachability: `lost` — the live stream was lost and no read
 * of the runs folder has answered since — so the last read's "running" (and its counts) is no
 * longer known to be true: "server not answering" instead, until a fresh read or event comes.
 */
export function cellStateWhenLost(state: CellState | null, lost: boolean): CellState | null {
	return lost ? SERVER_NOT_ANSWERING : state;
}

/**
 * Tokens of runs for a cell's totals: the manifest's totals, or the rows' so far when those are
 * more (a running or interrupted run's manifest totals only when a session ends; a crashed one's
 * stays 0 while its rows, and so its cost, grow). `soFar`: some run is not finished.
 */
export function cellTokens(runs: readonly CellRunFacts[]): { in: number; out: number; soFar: boolean } {
	let tin = 0;
	let tout = 0;
	let soFar = false;
	for (const r of runs) {
		tin += Math.max(r.tokens.in, r.row_tokens?.in ?? 0);
		tout += Math.max(r.tokens.out, r.row_tokens?.out ?? 0);
		if (r.live || r.interrupted || r.state === 'running') soFar = true;
	}
	return { in: tin, out: tout, soFar };
}
