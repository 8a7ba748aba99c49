// GET /api/models: the models covw.config.json lists, "endpoint/model" in file order, for a new run
// cell's example — names only (no URL, no key); none when the config lists none or does not load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/engine-fixtures.ts';

let work: { path: string; remove: () => void };
const saved = process.env.COVW_ROOT;
beforeAll(() => {
	work = tempDir('covw-models-route-');
	process.env.COVW_ROOT = work.path;
});
afterAll(() => {
	if (saved === undefined) delete process.env.COVW_ROOT;
	else process.env.COVW_ROOT = saved;
	work.remove();
});

async function get(): Promise<{ status: number; text: string }> {
	const { GET } = await import('../../../src/routes/api/models/+server.ts');
	const r = await GET();
	return { status: r.status, text: await r.text() };
}

describe('GET /api/models', () => {
	it('lists the configured models in order, and nothing secret', async () => {
		const config = {
			endpoints: {
				td: { baseURL: 'http://127.0.0.1:5999/v1', apiKey: 'sk-never-shown', models: { 'test-model': {}, 'model-b': {} } },
				other: { baseURL: 'http://127.0.0.1:5998/v1', apiKeyEnv: 'NOPE_API_KEY', models: { 'x/y': {} } }
			}
		};
		writeFileSync(join(work.path, 'covw.config.json'), JSON.stringify(config));
		const r = await get();
		expect(r.status).toBe(200);
		expect(JSON.parse(r.text)).toEqual({ models: ['td/test-model', 'td/model-b', 'other/x/y'] });
		expect(r.text).not.toMatch(/sk-never-shown|5999|5998/);
	});

	it('lists none for a config that does not load', async () => {
		writeFileSync(join(work.path, 'covw.config.json'), '{"endpoints": ');
		expect(JSON.parse((await get()).text)).toEqual({ models: [] });
	});
});
