import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/app-objects.ts';
import { BODY_LIMITS, answer, readBody } from '$lib/server/http.ts';

/** The latest label per (target, annotator) as CSV. */
export async function GET() {
	return answer(async () =>
		new Response(await labelling().exportCsv(), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': 'attachment; filename="labels.csv"',
				'cache-control': 'no-store'
			}
		})
	);
}

/**
 * Import: the request body is the CSV file; `?file=` names it in error messages. All or nothing;
 * answers how many labels were new and how many were there already.
 */
export async function POST({ request, url }) {
	return answer(async () => {
		const file = (url.searchParams.get('file') || 'upload.csv').slice(0, 200);
		const { added, already } = await labelling().importCsv(await readBody(request, BODY_LIMITS.labelsCsv, 'labels CSV'), file);
		return json({ added, already }, { status: 201 });
	});
}
