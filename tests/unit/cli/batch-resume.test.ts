// A Batch API run stopped mid-poll (trial 10): what `covw runs show` and the run page's data say
// of it (its batch ids, the status when last polled, the batch price, the exact command that
// resumes it — never a false "the config changed"), and `covw batch resume <run-id>` picking it
// up from its folder alone, without submitting anything again. In-process, against the test
// double's Files and Batches endpoints.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { resumableParams, resumableUnits } from './batch-resume-fixtures.ts';
import { runBatchUnits } from '../../../src/lib/engine/batch/batch-run.ts';
import { batchSummary } from '../../../src/lib/engine/batch/batch-summary.ts';
import { loadEngineConfig } from '../../../src/lib/engine/config.ts';
import type { Manifest } from '../../../src/lib/engine/manifest.ts';
import { notResumableHere } from '../../../src/lib/server/runs/run-pages.ts';
import { batchResumeCommand } from '../../../src/cli/commands/batch.ts';
import { runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { runCommand } from '../../../src/cli/commands/run.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { fakeContext } from './fake-context.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let configPath: string;
const runId = 'gen-batch-resume-t10';

beforeAll(async () => {
	// Two retrieves complete a batch: the first session sees it in progress, the resume completes it.
	server = await startTestServer({ batchPolls: 2 });
	dir = tempDir('covw-batch-resume-');
	configPath = join(dir.path, 'covw.config.json');
	writeFileSync(configPath, JSON.stringify({ endpoints: { local: { baseURL: server.url, apiKeyEnv: 'COVW_TEST_KEY', stream: false, models: { 'test-model': { prices: { inputPer1M: 2.5, outputPer1M: 10 } } } } } }));
	process.env.COVW_TEST_KEY = 'sk-test-resume';
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

const env = () => ({ COVW_RUNS: join(dir.path, 'runs'), COVW_CACHE: join(dir.path, 'cache'), COVW_TEST_KEY: 'sk-test-resume' });
const manifestOf = (): Manifest => JSON.parse(readFileSync(join(dir.path, 'runs', runId, 'manifest.json'), 'utf8'));

describe('a Batch API run stopped mid-poll', () => {
	it('is shown with its batch and the command that resumes it, and covw batch resume finishes it without submitting again', async () => {
		const config = loadEngineConfig({ path: configPath, cwd: dir.path, env: process.env });
		const controller = new AbortController();
		const first = await runBatchUnits({
			runsDir: join(dir.path, 'runs'), runId, config, units: resumableUnits(3), kind: 'generation', params: resumableParams(), cache: null,
			signal: controller.signal, poll: { firstMs: 1, maxMs: 1 },
			// Stopped (Ctrl-C) right after the first poll: the batch goes on at the provider.
			onBatch: (_r, phase) => phase === 'polled' && controller.abort()
		});
		expect(first.state).toBe('cancelled');
		expect(server.batches).toHaveLength(1);

		// What the run page and runs show are built from.
		const summary = batchSummary(join(dir.path, 'runs'), runId, manifestOf().params)!;
		expect(summary).toMatchObject({ via: 'openai', price_note: 'batch price (½ of list)', resume: `covw batch resume ${runId}`, unreadable: null });
		expect(summary.batches).toHaveLength(1);
		expect(summary.batches[0]).toMatchObject({ seq: 1, units: 3, ingested: false, status: 'in_progress' });
		expect(summary.batches[0].batch_id).toMatch(/^batch_test_\d+$/);

		// The page's Resume: never "the config … changed", but that batch runs resume from the CLI, and how.
		const why = notResumableHere(manifestOf(), manifestOf())!;
		expect(why).toContain(`covw batch resume ${runId}`);
		expect(why).toMatch(/batch runs resume from the CLI/);
		expect(why).not.toMatch(/changed/);

		const show = fakeContext([runId], { root: dir.path, cwd: dir.path, env: env() });
		expect(await runsShowCommand.run(show)).toBe(0);
		const shown = show.out.join('');
		expect(shown).toMatch(/batch {9}OpenAI Batch API; 1 batch\(es\)/);
		expect(shown).toMatch(/#1 batch_test_\d+: 3 unit\(s\), in_progress when last polled/);
		expect(shown).toContain(`resume        covw batch resume ${runId}`);

		const resume = fakeContext([runId, '--config', configPath, '--no-cache'], { root: dir.path, cwd: dir.path, env: env() });
		const status = await batchResumeCommand.run(resume);
		expect(status, resume.err.join('')).toBe(0);
		expect(resume.err.join('')).toMatch(/batch batch_test_\d+: 3 unit\(s\) submitted earlier; polling/);
		const out = resume.out.join('');
		expect(out).toContain(`run ${runId}: completed`);
		expect(out).toMatch(/3 unit\(s\): ok \d, error 0, .*pending 0/);
		// Priced at the batch price, and said so.
		expect(out).toMatch(/cost \$\d+\.\d{4} \(batch price \(½ of list\)\)/);
		expect(server.batches).toHaveLength(1); // nothing submitted twice
		expect(server.requests).toHaveLength(0); // nothing sent live

		const after = fakeContext([runId], { root: dir.path, cwd: dir.path, env: env() });
		await runsShowCommand.run(after);
		expect(after.out.join('')).toMatch(/cost {10}\$\d+\.\d{4} \(batch price \(½ of list\)\)/);
		expect(after.out.join('')).toMatch(/#1 batch_test_\d+: 3 unit\(s\), completed, ingested/);
	}, 60_000);

	it('covw run … --batch says its cost is at the batch price', async () => {
		const itemsFile = writeItemsFile(join(dir.path, 'data'));
		const ctx = fakeContext(['completion', '--model', 'local/test-model', '--items-file', itemsFile, '--limit', '2', '--batch', '--config', configPath, '--no-cache'], { root: resolve(import.meta.dirname, '../../..'), cwd: dir.path, env: env() });
		const status = await runCommand.run(ctx);
		expect(status, ctx.err.join('')).toBe(0);
		expect(ctx.out.join('')).toMatch(/; cost \$\d+\.\d{4} \(batch price \(½ of list\)\)/);
	}, 60_000);

	it('refuses a run that is not a Batch API run, naming what resumes it', async () => {
		const ctx = fakeContext(['no-such-run'], { root: dir.path, cwd: dir.path, env: env() });
		await expect(batchResumeCommand.run(ctx)).rejects.toThrow(/batch resume: no run "no-such-run"/);
	});
});
