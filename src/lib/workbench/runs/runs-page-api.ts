// The runs page's calls: the list of runs and one run's detail (types from the server, type-only).
import type { RunOverview } from '../../runs/run-overview.ts';
import type { RunDetail } from '../../server/runs/run-pages.ts';
import { errorMessage } from '../tables.svelte.ts';

export type { RunOverview, RunDetail };

async function get<T>(url: string): Promise<T> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(await errorMessage(response));
	return response.json();
}

/**
 * The runs list (or only `ids`) unless it is the one tagged `etag`: null when the server says
 * nothing changed (304, no body), so a page polling it costs a few bytes while nothing happens.
 */
async function listIfChanged(etag: string | null, ids?: string[]): Promise<{ runs: RunOverview[]; etag: string | null } | null> {
	const url = ids ? `/api/runs?ids=${ids.map(encodeURIComponent).join(',')}` : '/api/runs';
	// no-store: the browser neither answers from its cache nor turns the 304 into the old body.
	const response = await fetch(url, { cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} });
	if (response.status === 304) return null;
	if (!response.ok) throw new Error(await errorMessage(response));
	return { runs: ((await response.json()) as { runs: RunOverview[] }).runs, etag: response.headers.get('etag') };
}

export const runsPageApi = {
	listIfChanged,
	list: async () => (await get<{ runs: RunOverview[] }>('/api/runs')).runs,
	/** Only these runs (those not on disk yet are left out). */
	some: async (ids: string[]) => (await get<{ runs: RunOverview[] }>(`/api/runs?ids=${ids.map(encodeURIComponent).join(',')}`)).runs,
	detail: (id: string) => get<RunDetail>(`/api/runs/${encodeURIComponent(id)}`)
};
