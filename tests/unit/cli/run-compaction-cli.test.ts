// `covw run` exits after its last answer: it leaves the compacted generations.arrow to the first
// reader (the workbench's run tables compact a finished run once), and that reader serves the
// same rows as the log and writes the file. `covw runs` lists a finished run's counts from its
// manifest (no log read) and a run still going from its log: the same counts as the rows give.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunTableSet } from '../../../src/lib/runs/run-tables.ts';
import { liveCounts, readRun } from '../../../src/lib/runs/run-list.ts';
import { rowToLine } from '../../../src/lib/engine/run-log.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-cli-compaction-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const covw = (args: string[]) =>
	runCovw(args, {
		cwd: work.path,
		env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-compaction', COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') }
	});

describe('covw run and compaction', () => {
	it('writes no generations.arrow; the first reader serves the logged rows and compacts the run', async () => {
		const runs = join(work.path, 'runs');
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '3']);
		expect(r.status, r.stderr).toBe(0);
		const [runId] = readdirSync(runs);
		expect(existsSync(join(runs, runId, 'log.jsonl'))).toBe(true);
		expect(existsSync(join(runs, runId, 'generations.arrow'))).toBe(false);

		const set = new RunTableSet(runs, { compact: true });
		set.updateSync();
		const table = tableFromIPC(set.ipcSync('generations'));
		expect(table.numRows).toBe(3);
		expect(new Set(table.getChild('run_id')!.toArray())).toEqual(new Set([runId]));
		expect(existsSync(join(runs, runId, 'generations.arrow'))).toBe(true);
	}, 120_000);

	it('covw runs: counts from the manifest of a finished run, from the log of one still going — as the rows give', async () => {
		const runs = join(work.path, 'runs');
		expect((await covw(['run', 'detection', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--samples', '2'])).status).toBe(0);
		// A run still going: its manifest says nothing yet; its log has two rows (one of them an error).
		const live = join(runs, 'zz-going');
		mkdirSync(live);
		const manifest = {
			run_id: 'zz-going', kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [],
			state: 'running', started_at: '2999-01-01T00:00:00.000Z', sessions: [], finished_at: null,
			counts: { total: 5, ok: 0, error: 0, unparsed: 0, pending: 5, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		};
		writeFileSync(join(live, 'manifest.json'), JSON.stringify(manifest));
		const row = (unit: string, status: 'ok' | 'error') => rowToLine({
			unit_id: unit, sample: 0, status, response: status === 'ok' ? 'answer' : null, error: status === 'ok' ? null : 'x', latency_ms: 1, tokens_in: 1, tokens_out: 1,
			cached: false, attempts: 1, finished_at: '2999-01-01T00:00:01.000Z', meta: {}
		});
		writeFileSync(join(live, 'log.jsonl'), row('a', 'ok') + row('b', 'error'));

		const listed = JSON.parse((await covw(['runs', '--json'])).stdout) as { run_id: string; counts: unknown }[];
		expect(listed.length).toBeGreaterThanOrEqual(4); // completion, detection, its parser run, the live one
		for (const entry of listed) expect(entry.counts, entry.run_id).toEqual(liveCounts(readRun(runs, entry.run_id)!));
		expect(listed.at(-1)).toMatchObject({ run_id: 'zz-going', counts: { ok: 1, error: 1, pending: 3 } });
	}, 120_000);
});
