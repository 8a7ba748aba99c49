import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/workbench.ts';

/** Whether there are items to label, and their sets and CWEs (for the source filter). */
export async function GET() {
	return json(await labelling().sources());
}
