import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';

/**
 * `?annotator=&set=&cwe=` → the annotator's next item in that filter, with progress; `&run=` (a
 * generation run id, or `*` for all) draws from that run's generations instead of the items;
 * `&evolve=` (an evolve run id) draws from that run's Vul-Evol survivors, to accept or reject;
 * `&target_id=` asks for one target instead. Judges' verdicts only once the annotator answered it.
 */
export async function GET({ url }) {
	const q = url.searchParams;
	return answer(async () =>
		json(await labelling().target(q.get('annotator'), { set: q.get('set'), cwe: q.get('cwe'), run: q.get('run'), evolve: q.get('evolve') }, q.get('target_id')), {
			headers: { 'cache-control': 'no-store' }
		})
	);
}
