// POST /api/run-tables/rows: the asks are checked before anything is read — a run named twice
// (its rows would be inserted twice in the page's table), a table that is not a run table, a
// name that is not a run id — each a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/engine-fixtures.ts';

let work: { path: string; remove: () => void };
const saved = process.env.COVW_RUNS;
beforeAll(() => {
	work = tempDir('covw-run-rows-route-');
	mkdirSync(join(work.path, 'runs'));
	process.env.COVW_RUNS = join(work.path, 'runs');
});
afterAll(() => {
	if (saved === undefined) delete process.env.COVW_RUNS;
	else process.env.COVW_RUNS = saved;
	work.remove();
});

async function post(body: unknown): Promise<{ status: number; text: string }> {
	const { POST } = await import('../../../src/routes/api/run-tables/rows/+server.ts');
	const request = new Request('http://127.0.0.1/api/run-tables/rows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const r = await POST({ request } as Parameters<typeof POST>[0]);
	return { status: r.status, text: r.status === 200 ? '' : await r.text() };
}

describe('POST /api/run-tables/rows', () => {
	it('refuses a run named twice, a table that is no run table, and a name that is no run id', async () => {
		const twice = await post({ table: 'generations', runs: [{ run: 'gen-a', epoch: '', after: 0 }, { run: 'gen-a', epoch: '', after: 0 }] });
		expect(twice.status).toBe(400);
		expect(twice.text).toMatch(/names run gen-a twice/);
		expect((await post({ table: 'items', runs: [] })).text).toMatch(/field \\"table\\" must be/);
		const traversal = await post({ table: 'verdicts', runs: [{ run: '../etc', epoch: '', after: 0 }] });
		expect(traversal.status).toBe(400);
		expect(traversal.text).toMatch(/runs\[0\]\.run must be a run id/);
	});

	it('answers runs it does not know as gone (full, no rows)', async () => {
		expect((await post({ table: 'generations', runs: [{ run: 'gen-missing', epoch: '', after: 0 }] })).status).toBe(200);
	});
});
