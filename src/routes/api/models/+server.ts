// The models covw.config.json lists ("endpoint/model", in file order): a new run cell names the
// first (notebook/cells/run.ts example). Names only — no endpoint URL, no key. An endpoint that
// takes any model name (OPENAI_BASE_URL alone) lists none; a config that does not load lists none
// (a run cell's plan says why when it is started).
import { json } from '@sveltejs/kit';
import process from 'node:process';
import { ConfigError, loadEngineConfig } from '$lib/engine/config.ts';
import { projectRoot } from '$lib/node/paths.ts';
import { answer } from '$lib/server/http.ts';

export async function GET() {
	return answer(async () => {
		let models: string[] = [];
		try {
			const config = loadEngineConfig({ cwd: projectRoot(), env: process.env });
			models = [...config.endpoints.values()].flatMap((e) => (e.models ? Object.keys(e.models).map((m) => `${e.name}/${m}`) : []));
		} catch (e) {
			if (!(e instanceof ConfigError)) throw e;
		}
		return json({ models }, { headers: { 'cache-control': 'no-store' } });
	});
}
