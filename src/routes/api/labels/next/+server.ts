import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/workbench.ts';
import { labelAnswer } from '$lib/server/labels/http.ts';

/**
 * `?annotator=&set=&cwe=` → the annotator's next target in that filter, with progress;
 * `&target_id=` asks for one target instead. Judges' verdicts only once the annotator answered it.
 */
export async function GET({ url }) {
	const q = url.searchParams;
	return labelAnswer(async () =>
		json(await labelling().target(q.get('annotator'), { set: q.get('set'), cwe: q.get('cwe') }, q.get('target_id')), {
			headers: { 'cache-control': 'no-store' }
		})
	);
}
