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

export const runsPageApi = {
	list: async () => (await get<{ runs: RunOverview[] }>('/api/runs')).runs,
	/** Only these runs (those not on disk yet are left out). */
	some: async (ids: string[]) => (await get<{ runs: RunOverview[] }>(`/api/runs?ids=${ids.map(encodeURIComponent).join(',')}`)).runs,
	detail: (id: string) => get<RunDetail>(`/api/runs/${encodeURIComponent(id)}`)
};
