// A Batch API run folder from someone else (review10b): batches.json naming a file outside the
// folder, a seq or output name that is a path, fields of the wrong type, and a units.jsonl with a
// planted line. `covw batch resume` (and runBatchUnits, which `covw run --batch` resumes with)
// refuses each by file and field or line, uploads nothing, submits nothing and leaves the
// manifest as it was; `covw runs show` and the run page's summary say the record is unreadable.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runBatchUnits } from '../../../src/lib/engine/batch/batch-run.ts';
import { batchSummary } from '../../../src/lib/engine/batch/batch-summary.ts';
import { loadEngineConfig } from '../../../src/lib/engine/config.ts';
import { RunSetupError } from '../../../src/lib/engine/run-errors.ts';
import { batchResumeCommand, batchStatusCommand } from '../../../src/cli/commands/batch.ts';
import { runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { fakeContext } from './fake-context.ts';
import { resumableParams, resumableUnits } from './batch-resume-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
let configPath: string;

beforeAll(async () => {
	server = await startTestServer({ batchPolls: 2 });
	dir = tempDir('covw-batch-hostile-');
	configPath = join(dir.path, 'covw.config.json');
	writeFileSync(configPath, JSON.stringify({ endpoints: { local: { baseURL: server.url, apiKeyEnv: 'COVW_TEST_KEY', stream: false, models: { 'test-model': {}, 'pricey-model': {} } } } }));
	process.env.COVW_TEST_KEY = 'sk-test-hostile';
	writeFileSync(join(dir.path, 'SECRET.txt'), 'TOP-SECRET outside the runs folder\n');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

const runs = () => join(dir.path, 'runs');
const env = () => ({ COVW_RUNS: runs(), COVW_CACHE: join(dir.path, 'cache'), COVW_TEST_KEY: 'sk-test-hostile' });
const recPath = (runId: string) => join(runs(), runId, 'batch', 'batches.json');
const unitsPath = (runId: string) => join(runs(), runId, 'batch', 'units.jsonl');
const manifestText = (runId: string) => readFileSync(join(runs(), runId, 'manifest.json'), 'utf8');

/** A 3-unit Batch API run stopped (Ctrl-C) after its first poll: its batch goes on at the provider. */
async function cancelledRun(runId: string): Promise<void> {
	const config = loadEngineConfig({ path: configPath, cwd: dir.path, env: process.env });
	const controller = new AbortController();
	const r = await runBatchUnits({
		runsDir: runs(), runId, config, units: resumableUnits(3), kind: 'generation', params: resumableParams(), cache: null,
		signal: controller.signal, poll: { firstMs: 1, maxMs: 1 }, onBatch: (_r, phase) => phase === 'polled' && controller.abort()
	});
	expect(r.state).toBe('cancelled');
}

function editRecord(runId: string, change: Record<string, unknown>): void {
	const rec = JSON.parse(readFileSync(recPath(runId), 'utf8'));
	rec.batches[0] = { ...rec.batches[0], ...change };
	writeFileSync(recPath(runId), JSON.stringify(rec));
}

async function resume(runId: string): Promise<{ error: string; uploads: number; creates: number }> {
	const before = server.stats().by_path;
	const ctx = fakeContext([runId, '--config', configPath, '--no-cache'], { root: dir.path, cwd: dir.path, env: env() });
	let error = '';
	try {
		const status = await batchResumeCommand.run(ctx);
		error = `exit ${status}: ${ctx.err.join('')}`;
	} catch (e) {
		error = (e as Error).message;
	}
	const after = server.stats().by_path;
	const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
	return { error, uploads: delta('POST /v1/files'), creates: delta('POST /v1/batches') };
}

describe('batches.json from someone else', () => {
	it('an input named outside batch/ is refused by file and field, never read nor uploaded; the manifest is left as it was', async () => {
		const runId = 'hostile-input';
		await cancelledRun(runId);
		editRecord(runId, { input: '../../../SECRET.txt', input_file_id: null, batch_id: null, status: 'prepared' });
		const manifest = manifestText(runId);
		const r = await resume(runId);
		expect(r.error).toContain(recPath(runId));
		expect(r.error).toMatch(/batch 1: "input" names "\.\.\/\.\.\/\.\.\/SECRET\.txt": only a plain file name of the form input-<n>\.jsonl inside batch\//);
		expect(r.uploads).toBe(0);
		expect(manifestText(runId)).toBe(manifest);
		// covw run --batch resumes through runBatchUnits: refused there too, before the session.
		const config = loadEngineConfig({ path: configPath, cwd: dir.path, env: process.env });
		await expect(runBatchUnits({ runsDir: runs(), runId, config, units: resumableUnits(3), kind: 'generation', params: resumableParams(), cache: null, poll: { firstMs: 1, maxMs: 1 } })).rejects.toThrow(RunSetupError);
		expect(manifestText(runId)).toBe(manifest);
	}, 60_000);

	it('a seq, output or errors name that is not ours is refused', async () => {
		const runId = 'hostile-names';
		await cancelledRun(runId);
		for (const [change, field] of [
			[{ seq: '../../../../PWNED' }, 'seq'],
			[{ output: '../../manifest.json' }, 'output'],
			[{ errors: 'errors-1.jsonl/../../x' }, 'errors'],
			[{ input: 'units.jsonl' }, 'input']
		] as const) {
			const saved = readFileSync(recPath(runId), 'utf8');
			editRecord(runId, change);
			const r = await resume(runId);
			expect(r.error).toContain(`batch 1: "${field}"`);
			expect(r.uploads + r.creates).toBe(0);
			writeFileSync(recPath(runId), saved);
		}
	}, 60_000);

	it('fields of the wrong type: runs show and the page summary say unreadable; resume refuses without marking the run failed', async () => {
		const runId = 'hostile-types';
		await cancelledRun(runId);
		const saved = readFileSync(recPath(runId), 'utf8');
		editRecord(runId, { updated_at: 5 });
		const summary = batchSummary(runs(), runId, JSON.parse(manifestText(runId)).params)!;
		expect(summary.unreadable).toMatch(/batch 1: "updated_at" is not a string/);
		expect(summary.batches).toEqual([]);
		const show = fakeContext([runId], { root: dir.path, cwd: dir.path, env: env() });
		expect(await runsShowCommand.run(show)).toBe(0);
		expect(show.out.join('') + show.err.join('')).toMatch(/unreadable/);

		const status = fakeContext([runId], { root: dir.path, cwd: dir.path, env: env() });
		await expect(batchStatusCommand.run(status)).rejects.toThrow(/batch status: .*batches\.json: the batch record is unreadable \(batch 1: "updated_at" is not a string\)/);

		writeFileSync(recPath(runId), saved);
		editRecord(runId, { units: 7 });
		const manifest = manifestText(runId);
		const r = await resume(runId);
		expect(r.error).toMatch(/batch 1: "units" is not a list of unit ids/);
		expect(r.error).not.toMatch(/TypeError/);
		expect(JSON.parse(manifestText(runId)).state).toBe('cancelled');
		expect(manifestText(runId)).toBe(manifest);
	}, 60_000);
});

describe('units.jsonl from someone else', () => {
	it('a planted line (another model, max_tokens 100000) is refused by file and line, never submitted', async () => {
		const runId = 'hostile-units';
		await cancelledRun(runId);
		const first = JSON.parse(readFileSync(unitsPath(runId), 'utf8').split('\n')[0]);
		const evil = { ...first, id: 'f'.repeat(32), request: { ...first.request, model: 'pricey-model', max_tokens: 100000, messages: [{ role: 'user', content: 'anything' }] } };
		appendFileSync(unitsPath(runId), JSON.stringify(evil) + '\n');
		const manifest = manifestText(runId);
		const r = await resume(runId);
		expect(r.error).toContain(`${unitsPath(runId)}:4:`);
		expect(r.error).toMatch(/more than the 3|model "local\/pricey-model" is not the run's model "local\/test-model"/);
		expect(server.batchLinesFor(evil.id)).toBe(0);
		expect(r.uploads + r.creates).toBe(0);
		expect(manifestText(runId)).toBe(manifest);
	}, 60_000);

	it('each kind of tampering with a line is named: model, request parameters, id, a repeated unit', async () => {
		const runId = 'hostile-units-2';
		await cancelledRun(runId);
		const text = readFileSync(unitsPath(runId), 'utf8');
		const lines = text.split('\n').filter((l) => l);
		const second = JSON.parse(lines[1]);
		for (const [changed, why] of [
			[{ ...second, request: { ...second.request, model: 'pricey-model' } }, /units\.jsonl:2: its model "local\/pricey-model" is not the run's model/],
			[{ ...second, request: { ...second.request, max_tokens: 100000 } }, /units\.jsonl:2: its request parameters .*max_tokens":100000.* are not the run's/],
			[{ ...second, request: { ...second.request, messages: [{ role: 'user', content: 'another prompt' }] } }, /units\.jsonl:2: its id .* is not the one its content derives/],
			[JSON.parse(lines[0]), /units\.jsonl:2: unit .* is listed twice/]
		] as const) {
			writeFileSync(unitsPath(runId), [lines[0], JSON.stringify(changed), lines[2]].join('\n') + '\n');
			const r = await resume(runId);
			expect(r.error).toMatch(why);
			expect(r.uploads + r.creates).toBe(0);
		}
		// The untouched list resumes and completes.
		writeFileSync(unitsPath(runId), text);
		const r = await resume(runId);
		expect(r.error).toMatch(/^exit 0/);
		expect(JSON.parse(manifestText(runId)).state).toBe('completed');
	}, 60_000);
});

describe('units.jsonl with more units than the run', () => {
	it('is refused by count even when every line is well formed', async () => {
		const runId = 'hostile-count';
		await cancelledRun(runId);
		const extra = resumableUnits(4)[3];
		appendFileSync(unitsPath(runId), JSON.stringify(extra) + '\n');
		const r = await resume(runId);
		expect(r.error).toMatch(/units\.jsonl: 4 units, more than the 3 the run's manifest counts/);
		expect(server.batchLinesFor(extra.id)).toBe(0);
		expect(r.uploads + r.creates).toBe(0);
	}, 60_000);
});
