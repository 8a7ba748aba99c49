import { json } from '@sveltejs/kit';
import { runManager } from '$lib/server/app-objects.ts';

/** Cancel a live run: in-flight requests leave no row; starting it again resumes. */
export async function POST({ params }) {
	return json({ cancelled: runManager().cancel(params.id) });
}
