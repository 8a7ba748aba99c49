// POST /api/imports: the request's shape is checked before anything is read or written (kind,
// file name, format, task), a body over the import limit is a 413 that names the limit, and an
// upload answers 201 when it wrote something, 200 when the file was imported before. (The guards
// in front of it — Host and same origin — are the hook's: tests/e2e/imports.e2e.ts sends a
// cross-site POST to the built server.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BODY_LIMITS } from '../../../src/lib/server/listen-rules.js';
import { tempDir } from '../../support/engine-fixtures.ts';

const FIX = resolve(__dirname, '../../fixtures/import');
let work: { path: string; remove: () => void };
const saved = { data: process.env.COVW_DATA, runs: process.env.COVW_RUNS };

beforeAll(() => {
	work = tempDir('covw-imports-route-');
	process.env.COVW_DATA = join(work.path, 'datasets');
	process.env.COVW_RUNS = join(work.path, 'runs');
});
afterAll(() => {
	for (const [key, value] of [['COVW_DATA', saved.data], ['COVW_RUNS', saved.runs]] as const) {
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
	work.remove();
});

async function post(query: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Promise<Response> {
	const { POST } = await import('../../../src/routes/api/imports/+server.ts');
	const request = new Request(`http://127.0.0.1:5202/api/imports?${query}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
	return POST({ request, url: new URL(request.url) } as Parameters<typeof POST>[0]);
}

const labelled = () => new Uint8Array(readFileSync(join(FIX, 'labelled.jsonl')));

describe('POST /api/imports', () => {
	it('refuses a request of the wrong shape with 400, naming what is wrong, and writes nothing', async () => {
		const cases: [string, RegExp][] = [
			['kind=everything&file=a.jsonl', /kind must be runs or labelled/],
			['kind=runs', /file name is missing/],
			['kind=runs&file=a.jsonl&format=excel', /format must be auto or one of coveval-released, promptfoo, inspect, plain/],
			['kind=runs&file=a.jsonl&task=poetry', /task must be auto or one of completion, repair, detection/],
			['kind=labelled&file=a.jsonl', /needs a set name/],
			['kind=labelled&file=a.jsonl&set=..%2F..%2Fetc', /set name "..\/..\/etc" must be letters, digits/]
		];
		for (const [query, message] of cases) {
			const r = await post(query, labelled());
			expect(r.status, query).toBe(400);
			expect((await r.json()).message, query).toMatch(message);
		}
		expect(existsSync(join(work.path, 'datasets'))).toBe(false);
	});

	it('a body over the limit is a 413 that names the limit — declared or streamed', async () => {
		const declared = await post('kind=labelled&file=a.jsonl&set=big', labelled(), { 'content-length': String(BODY_LIMITS.imports + 1) });
		expect(declared.status).toBe(413);
		expect((await declared.json()).message).toMatch(/^import file body is .* over the limit of 32 MiB/);
		const chunk = new Uint8Array(1024 * 1024).fill(0x20);
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent > BODY_LIMITS.imports) return controller.close();
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			}
		});
		const streamed = await post('kind=labelled&file=a.jsonl&set=big', stream);
		expect(streamed.status).toBe(413);
		expect((await streamed.json()).message).toContain('over the limit of 32 MiB');
		expect(existsSync(join(work.path, 'datasets'))).toBe(false);
	});

	it('answers 201 when it wrote something and 200 when the file was imported before', async () => {
		const first = await post('kind=labelled&file=labelled.jsonl&set=mine', labelled());
		expect(first.status).toBe(201);
		expect(await first.json()).toMatchObject({ kind: 'labelled', set: 'mine', written: true, items: 6 });
		const again = await post('kind=labelled&file=labelled.jsonl&set=mine', labelled());
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ written: false });
		// Runs need the benchmark's items: without them, a 409 that says how to get them.
		const runs = await post('kind=runs&file=promptfoo-results.json', new Uint8Array(readFileSync(join(FIX, 'promptfoo-results.json'))));
		expect(runs.status).toBe(409);
		expect((await runs.json()).message).toContain('covw data import');
	});
});
