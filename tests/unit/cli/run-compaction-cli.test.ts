// `covw run` exits after its last answer: it leaves the compacted generations.arrow to the first
// reader (the workbench's run tables compact a finished run once), and that reader serves the
// same rows as the log and writes the file.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunTableSet } from '../../../src/lib/runs/run-tables.ts';
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

describe('covw run and compaction', () => {
	it('writes no generations.arrow; the first reader serves the logged rows and compacts the run', async () => {
		const runs = join(work.path, 'runs');
		const r = await runCovw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '3'], {
			cwd: work.path,
			env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-compaction', COVW_RUNS: runs, COVW_CACHE: join(work.path, 'cache') }
		});
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
});
