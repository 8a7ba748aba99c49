// What `covw run` says about its endpoint, through the real CLI on Deno against the TEST DOUBLE:
// an endpoint that does not answer refuses the run before its folder is made; a run with no
// answer says what failed instead of pointing at the judges; a down replica is named in the
// run's summary and in `covw runs show`; --batch on replicas goes to one that answers and a
// Batch API that does not answer is a clear "stopped" (exit 1, no stack trace); --batch-export
// leaves out what the response cache answers and names --model in its run_batch hint.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';
import { downReplica, replicaConfigText } from '../../support/replica-config.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;


beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES, batchPolls: 1 });
	work = tempDir('covw-cli-endpoint-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const env = (baseURL: string) => ({ OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'sk-test-endpoint-cli', COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') });
const covw = (args: string[], baseURL = server.url) => runCovw(args, { cwd: work.path, env: env(baseURL) });
const NO_STACK = /Uncaught|\n\s+at /;

/** A config file with endpoint farm2 served by these replicas. */
function farmConfig(name: string, replicas: string[], maxAttempts = 3): string {
	const file = join(work.path, name);
	writeFileSync(file, replicaConfigText('farm2', replicas, { maxAttempts, timeoutMs: 5000 }));
	return file;
}

describe('covw run and its endpoint', () => {
	it('refuses a run on an endpoint that does not answer, before its folder is made', async () => {
		const down = await downReplica();
		const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--set', 'seed'], down);
		expect(r.status, r.stderr).toBe(2);
		expect(r.stderr).toContain('endpoint "default" does not answer');
		expect(r.stderr).toContain(down);
		expect(r.stderr).not.toMatch(NO_STACK);
		expect(r.stdout).not.toContain('next:');
		expect(existsSync(join(work.path, 'runs')) ? readdirSync(join(work.path, 'runs')) : []).toEqual([]);
	}, 120_000);

	it('says what failed, not "next: covw judge", when no unit has an answer', async () => {
		const rejecting = await startTestServer({ faults: () => ({ kind: 'server_error', status: 400 }) });
		try {
			const r = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--no-cache'], rejecting.url);
			expect(r.status, r.stderr).toBe(1);
			const runId = /run (\S+): completed/.exec(r.stdout)![1];
			expect(r.stdout).toContain(`no unit has an answer: 2 error(s) — see covw runs show ${runId}`);
			expect(r.stdout).not.toContain('next: covw judge');
		} finally {
			await rejecting.close();
		}
	}, 120_000);

	it('names a down replica in the run summary and in runs show', async () => {
		const down = await downReplica();
		const config = farmConfig('farm-live.json', [down, server.url], 6);
		const r = await covw(['run', 'completion', '--model', 'farm2/test-model', '--items-file', itemsFile, '--samples', '3', '--no-cache', '--config', config]);
		expect(r.status, r.stderr).toBe(0);
		const runId = /run (\S+): completed/.exec(r.stdout)![1];
		expect(r.stdout).toMatch(new RegExp(`replica ${down.replace(/\./g, '\\.')} of endpoint "farm2" drained \\d+× after \\d+ failed attempt\\(s\\)`));
		const show = await covw(['runs', 'show', runId]);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toContain(`replica ${down} of endpoint "farm2" drained`);
	}, 180_000);

	it('--batch on replicas goes to one that answers; with none answering it is refused before its folder is made (exit 2)', async () => {
		const down = await downReplica();
		const ok = await covw(['run', 'completion', '--model', 'farm2/test-model', '--items-file', itemsFile, '--set', 'seed', '--batch', '--no-cache', '--config', farmConfig('farm-batch.json', [down, server.url])]);
		expect(ok.status, ok.stderr).toBe(0);
		expect(ok.stderr).toContain(`submitted to replica ${server.url}`);
		expect(ok.stderr).toContain(`replica ${down} of endpoint "farm2" does not answer`);
		expect(ok.stdout).toContain(`replica ${down} of endpoint "farm2" drained 1× after 1 failed attempt(s)`);

		const other = await downReplica();
		const bad = await covw(['run', 'completion', '--model', 'farm2/test-model', '--items-file', itemsFile, '--set', 'seed', '--batch', '--no-cache', '--run-id', 'farm-none', '--config', farmConfig('farm-none.json', [down, other], 1)]);
		expect(bad.status, bad.stderr).toBe(2);
		expect(bad.stderr).toContain('endpoint "farm2" does not answer');
		expect(bad.stderr).toContain(other);
		expect(bad.stderr).not.toMatch(NO_STACK);
		// Refused by the endpoint probe: no run folder was made.
		expect(existsSync(join(work.path, 'runs', 'farm-none'))).toBe(false);
	}, 180_000);

	it('--batch-export leaves out the units the cache answers, and its hint names --model', async () => {
		const live = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--set', 'seed', '--limit', '1']);
		expect(live.status, live.stderr).toBe(0);
		const some = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--set', 'seed', '--limit', '2', '--batch-export']);
		expect(some.status, some.stderr).toBe(0);
		expect(some.stdout).toContain('1 unit(s) answered from the response cache: in the run, not exported');
		expect(some.stdout).toContain("exported 1 unit(s) for vLLM's run_batch");
		expect(some.stdout).toMatch(/next: python -m vllm\.entrypoints\.openai\.run_batch -i \S+ -o output\.jsonl --model test-model/);

		// covw batch export of that run, once a live run has cached the other unit: nothing left to write.
		const someId = /run (\S+): exported; waiting/.exec(some.stdout)![1];
		const again = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--set', 'seed', '--limit', '2']);
		expect(again.status, again.stderr).toBe(0);
		const out = join(work.path, 'again.jsonl');
		const reexport = await covw(['batch', 'export', someId, '--vllm', out]);
		expect(reexport.status, reexport.stderr).toBe(0);
		expect(reexport.stdout).toContain(`run ${someId}: 0 unit(s) written to ${out}`);
		expect(reexport.stdout).toContain('1 unit(s) answered from the response cache');
		const shown = await covw(['runs', 'show', someId]);
		expect(shown.stdout).toContain(`run ${someId} (generation): completed`);

		const all = await covw(['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--set', 'seed', '--limit', '1', '--batch-export']);
		expect(all.status, all.stderr).toBe(0);
		expect(all.stdout).toMatch(/run \S+: completed/);
		expect(all.stdout).toContain('1 unit(s) answered from the response cache');
		expect(all.stdout).toContain('nothing to export: every unit has an answer');
		expect(all.stdout).toContain('next: covw judge');
	}, 180_000);
});
