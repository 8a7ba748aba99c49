import { json } from '@sveltejs/kit';
import { runManager } from '$lib/server/app-objects.ts';

/**
 * Cancel a live run: it starts nothing new and saves the requests in flight; `?abandon=1` (the
 * "Abandon them" button) abandons those (no row). Starting it again resumes.
 */
export async function POST({ params, url }) {
	return json({ cancelled: runManager().cancel(params.id, { abandon: url.searchParams.get('abandon') === '1' }) });
}
