import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/app-objects.ts';
import { answer } from '$lib/server/http.ts';

/** Majority votes, ties needing review, Fleiss' kappa; Cohen's kappa too with `?a=&b=`. */
export async function GET({ url }) {
	const a = url.searchParams.get('a');
	const b = url.searchParams.get('b');
	return answer(async () => json(await labelling().agreement(a && b ? { a, b } : undefined), { headers: { 'cache-control': 'no-store' } }));
}
