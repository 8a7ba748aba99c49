// A batch output whose usage is no count (negative, 5.4e+301) comes in with its answers but
// without its tokens: `covw runs show` never prints negative or absurd tokens or cost, and says
// on how many rows the usage was unreadable. Called in this process (fake-context.ts); the
// export sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { join, resolve } from 'node:path';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { runCommand } from '../../../src/cli/commands/run.ts';
import { batchImportCommand } from '../../../src/cli/commands/batch.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { fakeContext } from './fake-context.ts';

const ROOT = resolve(__dirname, '../../..');
let work: { path: string; remove: () => void };
let env: Record<string, string>;
const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env });

beforeAll(() => {
	work = tempDir('covw-cli-usage-');
	env = { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data'), COVW_CACHE: join(work.path, 'cache'), OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test-never-sent' };
});
afterAll(() => work.remove());

describe('usage that is no count', () => {
	it('is not summed: runs show prints honest totals and "usage unreadable on N row(s)"', async () => {
		const itemsFile = writeItemsFile(join(work.path, 'data'));
		const exp = ctx(['completion', '--model', 'm', '--items-file', itemsFile, '--limit', '3', '--batch-export']);
		await runCommand.run(exp);
		const out = exp.out.join('');
		const runId = /run (\S+): exported/.exec(out)![1];
		const input = readFileSync(/for vLLM's run_batch: (\S+)/.exec(out)![1], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(input.length).toBe(3);
		const usages = [{ prompt_tokens: -54000000, completion_tokens: -270 }, { prompt_tokens: 5.4e301, completion_tokens: 3 }, { prompt_tokens: 10, completion_tokens: 4 }];
		const lines = input.map((l, i) => ({ id: `v${i}`, custom_id: l.custom_id, error: null, response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: '```python\ndef f():\n    return 1\n```' }, finish_reason: 'stop' }], usage: usages[i] } } }));
		const file = join(work.path, 'output.jsonl');
		writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
		const imp = ctx([runId, file]);
		expect(await batchImportCommand.run(imp), imp.err.join('')).toBe(0);

		const show = ctx([runId]);
		expect(await runsShowCommand.run(show)).toBe(0);
		const text = show.out.join('');
		expect(text).toContain('units         3: ok 3');
		expect(text).toContain('tokens        10 in / 4 out');
		expect(text).toContain('usage unreadable on 2 row(s): tokens and cost are lower bounds');
		expect(text).not.toMatch(/tokens +-|\$-|\de\+\d/);

		const json = ctx([runId, '--json']);
		await runsShowCommand.run(json);
		const doc = JSON.parse(json.out.join(''));
		expect(doc.usage_unreadable_rows).toBe(2);
		expect(doc.tokens.in).toBe(10);
	}, 60_000);

	it('a log written before the check (or by hand) with such counts: not summed either', async () => {
		const runsDir = env.COVW_RUNS;
		const runId = 'gen-completion-legacy-neg-0123456789';
		writeDirectRun({
			runsDir, runId, kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'evil/neg' }, datasetHash: null,
			units: [0, 1, 2].map((i) => ({ id: `u${i}`, sample: 0, meta: { item_id: `i${i}` }, compute: () => ({ status: 'ok' as const, response: 'x', error: null }) }))
		});
		const log = join(runsDir, runId, 'log.jsonl');
		const counts = [[-54000000, -270], [5.4e301, 1], [7, 3]];
		const lines = readFileSync(log, 'utf8').trim().split('\n').map((l, i) => ({ ...JSON.parse(l), tokens_in: counts[i][0], tokens_out: counts[i][1] }));
		writeFileSync(log, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
		// Its manifest summed them: 5.4e+301 tokens, $1.35e+296.
		const manifestFile = join(runsDir, runId, 'manifest.json');
		const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
		writeFileSync(manifestFile, JSON.stringify({ ...manifest, tokens: { ...manifest.tokens, in: 5.4e301 }, cost_usd: 1.35e296 }));
		const show = ctx([runId]);
		expect(await runsShowCommand.run(show)).toBe(0);
		const text = show.out.join('');
		expect(text).toContain('tokens        7 in / 3 out');
		expect(text).toContain('usage unreadable on 2 row(s): tokens and cost are lower bounds');
		expect(text).not.toMatch(/e\+\d|\$-/);
	});
});
