import { json } from '@sveltejs/kit';
import { labelling } from '$lib/server/app-objects.ts';
import { answer, readJsonObject } from '$lib/server/http.ts';
import { checkAnnotator } from '$lib/core/labels/label.ts';
import { LabellingInputError } from '$lib/server/labels/index.ts';

const RECENT = 50;

/** The annotator's current labels, most recent first (at most 50): `?annotator=`. */
export async function GET({ url }) {
	return answer(async () => {
		let annotator: string;
		try {
			annotator = checkAnnotator(url.searchParams.get('annotator'));
		} catch (error) {
			throw new LabellingInputError((error as Error).message);
		}
		const { latest } = await labelling().store.read();
		const mine = latest.filter((l) => l.annotator === annotator).sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
		return json({ labels: mine.slice(0, RECENT), total: mine.length });
	});
}

/** Save a label: `{ target_id, annotator, answer, cwe?, reason?, note? }` (reason: why a survivor is rejected); answers with the label and, once answered, the reveal. */
export async function POST({ request }) {
	return answer(async () => json(await labelling().give(await readJsonObject(request, { what: 'label' })), { status: 201 }));
}
