import { json } from '@sveltejs/kit';
import { dataFolder } from '$lib/server/workbench.ts';

/** Every table in the data folder: name, file, rows, columns, or the error that stopped it. */
export async function GET() {
	return json(await dataFolder().scan());
}
