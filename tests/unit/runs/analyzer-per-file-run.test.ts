// A planted slow program in an analyzer judge run: it gets its own 'error' row, the rest of its
// batch gets verdicts, and judging again re-analyses only that program. The tool is a stand-in
// script (tests/unit/judges/analyzers/helpers.ts), not bandit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { slowAwareBandit } from '../judges/analyzers/helpers.ts';
import { judgeCommand } from '../../../src/cli/commands/judge.ts';
import { fakeContext } from '../cli/fake-context.ts';
import { writeItemsFile } from './fixtures.ts';
import { SHELL_ARGV, SHELL_CONCAT, UNPICKLE } from './analyzer-fixtures.ts';

const SLOW: Item = { ...SHELL_ARGV, item_id: 'reference/pearce/CWE-78/analyzer-demo/slow', code: '# SLOW\nimport os\n' };
const quiet = () => {};

let work: { path: string; remove: () => void };
beforeAll(() => {
	work = tempDir('covw-per-file-run-');
});
afterAll(() => work.remove());

describe('a slow program in a judge run', () => {
	it('times out alone; resume re-analyses only it', async () => {
		const bin = join(work.path, 'bin');
		mkdirSync(bin, { recursive: true });
		const log = join(work.path, 'calls.log');
		const command = slowAwareBandit(bin, log);
		const items = [SHELL_CONCAT, SLOW, UNPICKLE];
		const options = { runsDir: join(work.path, 'runs'), judge: 'bandit', itemSet: 'pearce' as const, items, analyzer: { command, timeoutMs: 400, batchTimeoutMs: 800 }, onWarning: quiet };

		const first = await runJudge(options);
		const rows = new Map(readRun(options.runsDir, first.runId, quiet)!.rows.map((r) => [r.meta.item_id, r]));
		expect(rows.get(SLOW.item_id)!.status).toBe('error');
		expect(rows.get(SLOW.item_id)!.error).toMatch(/timed out after 400 ms/);
		expect(rows.get(SHELL_CONCAT.item_id)!.status).toBe('ok');
		expect(rows.get(UNPICKLE.item_id)!.status).toBe('ok');
		expect(first.manifest.counts).toMatchObject({ ok: 2, error: 1 });

		const before = readFileSync(log, 'utf8').trim().split('\n').length;
		const again = await runJudge(options);
		expect(again.runId).toBe(first.runId);
		expect(again.analyzer!.analysed).toBe(1);
		const calls = readFileSync(log, 'utf8').trim().split('\n').slice(before);
		// One program, alone: the batch of one is its own deadline.
		expect(calls).toHaveLength(1);
		expect(calls[0].split(' ')).toHaveLength(1);
		expect(readRun(options.runsDir, again.runId, quiet)!.manifest.counts).toMatchObject({ total: 3, ok: 2, error: 1 });
	});

	it('covw judge --timeout sets the deadline of one program', async () => {
		const bin = join(work.path, 'bin-cli');
		mkdirSync(bin, { recursive: true });
		slowAwareBandit(bin, join(work.path, 'calls-cli.log'));
		const itemsFile = writeItemsFile(join(work.path, 'data'), [SHELL_CONCAT, SLOW, UNPICKLE]);
		const saved = process.env.PATH;
		process.env.PATH = `${bin}:${saved}`;
		try {
			const args = ['--items', 'pearce', '--judge', 'bandit', '--items-file', itemsFile, '--timeout', '0.4'];
			const ctx = fakeContext(args, { root: work.path, cwd: work.path, env: { COVW_RUNS: join(work.path, 'runs-cli') } });
			expect(await judgeCommand.run(ctx)).toBe(1);
			expect(ctx.out.join('')).toContain('3 verdict unit(s): ok 2, unparsed 0, error 1');
			const bad = fakeContext([...args.slice(0, -1), 'soon'], { root: work.path, cwd: work.path });
			await expect(judgeCommand.run(bad)).rejects.toThrow(/--timeout takes a number of seconds/);
		} finally {
			process.env.PATH = saved;
		}
	});
});
