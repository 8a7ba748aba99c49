// The real `covw` CLI on Deno (node bin/covw.js → deno with the narrow permissions of
// bin/permissions.js), end to end against the local TEST DOUBLE
// (tests/support/openai-test-server.ts, not a model) on 127.0.0.1, found through
// OPENAI_BASE_URL as a user's endpoint would be. Fixture items are ours (tests/unit/runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

const ROOT = resolve(__dirname, '../../..');
const KEY = 'sk-test-cli-5b0e9d2f7a3c41e8';

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-cli-runs-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

/** Async on purpose: the test double answers from this same process. */
const covw = (args: string[]) =>
	runCovw(args, {
		cwd: work.path,
		env: {
			OPENAI_BASE_URL: server.url,
			OPENAI_API_KEY: KEY,
			COVW_RUNS: join(work.path, 'runs'),
			COVW_CACHE: join(work.path, 'cache')
		}
	});

describe('covw run / judge / runs / cache on Deno', () => {
	let runId = '';

	it('runs a completion task against the endpoint in OPENAI_BASE_URL', async () => {
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '3']);
		expect(r.stderr).not.toMatch(/PermissionDenied|NotCapable|Requires .* access/);
		expect(r.status, r.stderr).toBe(0);
		const m = /run (gen-completion-default_test-model-[0-9a-f]{10}): completed/.exec(r.stdout);
		expect(m, r.stdout).not.toBeNull();
		runId = m![1];
		expect(r.stdout).toContain('3 unit(s): ok 3, error 0, unparsed 0, pending 0');
		expect(r.stdout).toContain('requests this session 3');
		// Not a terminal: plain progress lines, the last one complete.
		expect(r.stderr).toMatch(/^3\/3 \(100%\) \| .* \| ETA 0s \| errors 0/m);
		// The key never reaches output.
		expect(r.stdout + r.stderr).not.toContain(KEY);
	}, 120_000);

	it('resumes with the same command: same run id, nothing sent', async () => {
		const before = server.requests.length;
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '3']);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain(`run ${runId}: completed`);
		expect(r.stdout).toContain('requests this session 0');
		expect(server.requests.length).toBe(before);
	}, 120_000);

	it('judges the run with the rules and shows its security rate', async () => {
		const j = await covw(['judge', runId, '--judge', 'rules']);
		expect(j.status, j.stderr).toBe(0);
		const m = /judge run (\S+): completed/.exec(j.stdout);
		expect(m, j.stdout).not.toBeNull();
		// The first three fixture items by id: concatenated SQL (vulnerable), parameterised SQL,
		// checked malloc → 2 of 3 secure.
		const show = await covw(['runs', 'show', m![1]]);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toContain('judge rules: 3 verdict(s): ok 3, unparsed 0, error 0');
		expect(show.stdout).toMatch(/security rate SR@1 {2}66\.67%/);
		// One interval, its method named, with n: the Wilson interval of 2 of 3, as the notebooks give it.
		expect(show.stdout).toMatch(/security rate SR@1 {2}66\.67% \[20\.77, 93\.85\] \(95% Wilson, 2 of 3 secure\)/);

		const list = await covw(['runs']);
		expect(list.status).toBe(0);
		expect(list.stdout).toContain(runId);
		expect(list.stdout).toContain(m![1]);
	}, 120_000);

	it('lists a run whose process was killed (manifest still "running", no writer) as interrupted', async () => {
		const from = join(work.path, 'runs', runId);
		const killed = join(work.path, 'runs', 'gen-killed');
		cpSync(from, killed, { recursive: true });
		const manifestPath = join(killed, 'manifest.json');
		writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), run_id: 'gen-killed', state: 'running', finished_at: null }));
		// The lock a killed writer left: a pid that no longer exists, untouched for a minute.
		writeFileSync(join(killed, 'lock'), '999999999 abcdef');
		const old = new Date(Date.now() - 60_000);
		utimesSync(join(killed, 'lock'), old, old);
		const list = await covw(['runs']);
		expect(list.status, list.stderr).toBe(0);
		expect(list.stdout.split('\n').find((l) => l.startsWith('gen-killed'))).toMatch(/\binterrupted\b/);
		const json = JSON.parse((await covw(['runs', '--json'])).stdout) as { run_id: string; interrupted: boolean }[];
		expect(json.find((r) => r.run_id === 'gen-killed')?.interrupted).toBe(true);
		expect(json.find((r) => r.run_id === runId)?.interrupted).toBe(false);
	}, 120_000);

	it('a running run whose writer missed its heartbeats says so before its lock expires (Deno may not ask about the pid)', async () => {
		const from = join(work.path, 'runs', runId);
		const silent = join(work.path, 'runs', 'gen-silent');
		cpSync(from, silent, { recursive: true });
		const manifestPath = join(silent, 'manifest.json');
		writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), run_id: 'gen-silent', state: 'running', finished_at: null }));
		// A web server killed 15 s ago: its pid is gone, but the CLI can only read the heartbeat.
		writeFileSync(join(silent, 'lock'), '999999999 abcdef');
		const old = new Date(Date.now() - 15_000);
		utimesSync(join(silent, 'lock'), old, old);
		const list = await covw(['runs']);
		expect(list.status, list.stderr).toBe(0);
		expect(list.stdout.split('\n').find((l) => l.startsWith('gen-silent'))).toMatch(/running\? \(no heartbeat for 1[5-9] s; interrupted if none by 30 s\)/);
		rmSync(silent, { recursive: true });
	}, 120_000);

	it('says the same state in runs show and batch status as in the list: interrupted, a batch\'s last status only as last seen', async () => {
		// gen-killed from the test before: 'running' in its manifest, its writer's pid gone.
		const show = await covw(['runs', 'show', 'gen-killed']);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout.split('\n')[0]).toMatch(/^run gen-killed \(generation\): interrupted\b/);
		const showJson = JSON.parse((await covw(['runs', 'show', 'gen-killed', '--json'])).stdout) as { state: string };
		expect(showJson.state).toBe('interrupted');
		// A killed batch run: its batch was 'validating' when the process last polled it.
		const killed = join(work.path, 'runs', 'gen-killed');
		mkdirSync(join(killed, 'batch'), { recursive: true });
		const at = new Date().toISOString();
		const record = { seq: 1, via: 'openai', endpoint: 'openai', model: 'test-model', units: ['u1'], input: 'input-1.jsonl', output: null, errors: null, input_file_id: 'file-1', batch_id: 'batch_1', status: 'validating', ingested: false, created_at: at, updated_at: at };
		writeFileSync(join(killed, 'batch', 'batches.json'), JSON.stringify({ batches: [record] }));
		const status = await covw(['batch', 'status', 'gen-killed']);
		expect(status.status, status.stderr).toBe(0);
		expect(status.stdout).toMatch(/^run gen-killed \(generation, batch: false\): interrupted; ok 3,/);
		expect(status.stdout).toContain('batch_1: 1 unit(s), validating when last polled;');
		// Tokens and cost of the answers on disk, "so far": the manifest's last figures are stale
		// (the session died after writing them), the prices are those recorded with the run.
		const manifestPath = join(killed, 'manifest.json');
		const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
		const prices = { inputPer1M: 2, outputPer1M: 8 };
		writeFileSync(manifestPath, JSON.stringify({ ...m, endpoints: [{ name: 'priced', models: { [m.params.model]: { params: {}, prices } } }], tokens: { in: 1, out: 1, cached_in: 0, cached_out: 0 }, cost_usd: 0.000001 }));
		const rows = readFileSync(join(killed, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tokens_in: number; tokens_out: number });
		const tin = rows.reduce((a, r) => a + r.tokens_in, 0), tout = rows.reduce((a, r) => a + r.tokens_out, 0);
		expect(tin).toBeGreaterThan(1);
		const priced = await covw(['runs', 'show', 'gen-killed']);
		expect(priced.stdout).toContain(`  tokens        ${tin} in / ${tout} out (from cache: 0 / 0) so far\n`);
		expect(priced.stdout).toContain(`  cost          $${((tin * 2 + tout * 8) / 1e6).toFixed(4)} so far\n`);
		const listed = (JSON.parse((await covw(['runs', '--json'])).stdout) as { run_id: string; tokens: { in: number }; cost_usd: number }[]).find((r) => r.run_id === 'gen-killed')!;
		expect(listed.tokens.in).toBe(tin);
		expect(listed.cost_usd).toBeCloseTo((tin * 2 + tout * 8) / 1e6, 12);
		// The finished run says its own state everywhere.
		expect((await covw(['runs', 'show', runId])).stdout.split('\n')[0]).toBe(`run ${runId} (generation): completed`);
	}, 120_000);

	it('reports the cache and refuses a bad option with exit status 2', async () => {
		const stats = await covw(['cache', 'stats']);
		expect(stats.status, stats.stderr).toBe(0);
		expect(stats.stdout).toMatch(/entries {2}3\n/);
		const bad = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limt', '3']);
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('unknown option --limt');
	}, 120_000);
});
