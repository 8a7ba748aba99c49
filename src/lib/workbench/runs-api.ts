// The browser's calls for run cells: plan, start, cancel, and the progress stream.
import { RunUnavailableError, type RunPlan } from '../notebook/executor.ts';
import type { RunSpec } from '../notebook/run-spec.ts';
import type { RunEvent } from '../server/runs/run-manager.ts';
import { errorMessage } from './tables.svelte.ts';

// The server's own event shape, imported type-only (erased at build time: no server code here).
export type { RunEvent };

async function post<T>(url: string, body?: unknown): Promise<T> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body ?? {})
	});
	if (!response.ok) throw new Error(await errorMessage(response));
	return response.json();
}

export const runsApi = {
	plan: (spec: RunSpec) => post<{ plan: RunPlan | null; unavailable?: string; live: RunEvent | null }>('/api/runs/plan', { spec }),
	start: (spec: RunSpec) => post<RunEvent>('/api/runs', { spec }),
	/** Stop a run, saving the requests in flight; `abandon` throws those away. */
	cancel: (generationRunId: string, abandon = false) =>
		post<{ cancelled: boolean }>(`/api/runs/${encodeURIComponent(generationRunId)}/cancel${abandon ? '?abandon=1' : ''}`),
	/**
	 * Server-sent events of a run; returns the close function. `onLost`: the stream broke (the
	 * server stopped, crashed or restarts; the browser reconnects by itself): the last event may
	 * no longer be true — a run 'running' on a server that died is not running any more.
	 */
	follow(generationRunId: string, onEvent: (event: RunEvent) => void, onLost?: () => void): () => void {
		const source = new EventSource(`/api/runs/${encodeURIComponent(generationRunId)}/events`);
		source.onmessage = (message) => onEvent(JSON.parse(message.data));
		if (onLost) source.onerror = () => onLost();
		return () => source.close();
	}
};

/** Run cells in the browser ask the server which runs their spec names. */
export const browserRunHost = {
	async plan(spec: RunSpec): Promise<RunPlan> {
		const answer = await runsApi.plan(spec);
		if (!answer.plan) throw new RunUnavailableError(answer.unavailable ?? 'the server cannot name this run yet');
		return answer.plan;
	}
};

/** How long a plan is reused while a run cell is run again as its rows land. */
const FOLLOW_PLAN_MS = 30_000;
const followed = new Map<string, { at: number; plan: Promise<RunPlan> }>();

/**
 * The same, remembering each spec's plan for a while: a run cell run again because its rows
 * landed (every refresh while it runs) names the runs it named a moment ago, so it does not
 * ask the server (which reads the config and templates to plan) each time. A user's own run of
 * the cell always asks (browserRunHost).
 */
export const followingRunHost = {
	plan(spec: RunSpec): Promise<RunPlan> {
		const key = JSON.stringify(spec);
		const kept = followed.get(key);
		if (kept && Date.now() - kept.at < FOLLOW_PLAN_MS) return kept.plan;
		const plan = browserRunHost.plan(spec);
		followed.set(key, { at: Date.now(), plan });
		plan.catch(() => followed.delete(key));
		return plan;
	}
};
