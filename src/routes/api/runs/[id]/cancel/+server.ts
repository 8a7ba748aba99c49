import { json } from '@sveltejs/kit';
import { runManager } from '$lib/server/app-objects.ts';

/** Cancel a live run: the first starts nothing new and saves the requests in flight, a second abandons them (no row); starting it again resumes. */
export async function POST({ params }) {
	return json({ cancelled: runManager().cancel(params.id) });
}
