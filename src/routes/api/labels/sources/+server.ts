import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';

/** What there is to label: the items' sets and CWEs, and the generation runs (for the source picker). */
export async function GET() {
	return answer(async () => json(await labelling().sources()));
}
