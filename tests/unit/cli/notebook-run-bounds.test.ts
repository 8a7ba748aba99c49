// `covw notebook run` on a notebook someone sent, whose run cell asks for a billion samples:
// an error on that cell naming the field and the bound — not a process that runs out of memory
// building the plan. A run cell at the bound itself is planned (counted, not built).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { MAX_SAMPLES } from '../../../src/lib/core/run-bounds.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { fakeContext } from './fake-context.ts';

const FENCE = '```';
const cell = (info: string, body: string) => `${FENCE}${info}\n${body}\n${FENCE}\n`;

let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'covw-nb-bounds-'));
	writeItemsFile(join(work, 'data', 'coveval'));
	await writeFile(
		join(work, 'sent.md'),
		[
			cell('run id=huge', '{"task": "completion", "model": "x", "samples": 1000000000}'),
			cell('run id=most', `{"task": "completion", "model": "x", "samples": ${MAX_SAMPLES}}`)
		].join('\n')
	);
});
afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

describe('covw notebook run on a run cell asking for a billion samples', () => {
	it('fails that cell naming samples and the bound, and plans the one at the bound', async () => {
		const ctx = fakeContext(['sent.md', '--json', '--data', join(work, 'data')], {
			root: process.cwd(),
			cwd: work,
			env: { COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache') }
		});
		const status = await notebookRunCommand.run(ctx);
		expect(status).toBe(1);
		const report = JSON.parse(ctx.out.join(''));
		const huge = report.cells.find((c: { id: string }) => c.id === 'huge');
		expect(huge.status).toBe('error');
		expect(huge.error.message).toMatch(new RegExp(`"samples" must be an integer from 1 to ${MAX_SAMPLES}`));
		const most = report.cells.find((c: { id: string }) => c.id === 'most');
		expect(most.status).toBe('ok');
	}, 120_000);
});
