// The `covw run` summary's cost line says when rows' usage is implausible (the endpoint reported
// more tokens than the answers could take): "(usage implausible on N rows: may be inflated)".
// Called in this process (fake-context.ts); the answers come in through a batch output, so
// nothing is sent anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCommand } from '../../../src/cli/commands/run.ts';
import { batchImportCommand } from '../../../src/cli/commands/batch.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { fakeContext } from './fake-context.ts';

const ROOT = resolve(__dirname, '../../..');
let work: { path: string; remove: () => void };
let env: Record<string, string>;
const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env });

beforeAll(() => {
	work = tempDir('covw-cli-run-implausible-');
	env = { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data'), COVW_CACHE: join(work.path, 'cache'), OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test-never-sent' };
});
afterAll(() => work.remove());

describe('covw run summary', () => {
	it('names the rows whose usage is implausible beside the tokens and cost', async () => {
		const itemsFile = writeItemsFile(join(work.path, 'data'));
		const args = ['completion', '--model', 'm', '--items-file', itemsFile, '--limit', '3'];
		const exp = ctx([...args, '--batch-export']);
		await runCommand.run(exp);
		const out = exp.out.join('');
		const runId = /run (\S+): exported/.exec(out)![1];
		const input = readFileSync(/for vLLM's run_batch: (\S+)/.exec(out)![1], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		const usages = [{ prompt_tokens: 10, completion_tokens: 9_000_000 }, { prompt_tokens: 10, completion_tokens: 5000 }, { prompt_tokens: 10, completion_tokens: 4 }];
		const lines = input.map((l, i) => ({ id: `v${i}`, custom_id: l.custom_id, error: null, response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: '```python\ndef f():\n    return 1\n```' }, finish_reason: 'stop' }], usage: usages[i] } } }));
		const file = join(work.path, 'output.jsonl');
		writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
		const imp = ctx([runId, file]);
		expect(await batchImportCommand.run(imp), imp.err.join('')).toBe(0);

		// The same run again: every unit has its row; the summary is printed from them.
		const again = ctx([...args, '--run-id', runId, '--batch-export']);
		await runCommand.run(again);
		expect(again.out.join('') + again.err.join('')).toContain('(usage implausible on 2 rows: may be inflated)');
	}, 60_000);
});
