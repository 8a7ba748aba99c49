// What a run's summary says after Ctrl-C (run-setup.ts stoppedLines, used by `covw run` and
// `covw judge`): the state word is `cancelled`, as `covw runs` shows it, with the command that
// resumes; after a second Ctrl-C, the requests already sent that were abandoned, and that their
// cost is not in the totals. cancelOnInterrupt counts the abandoned requests (TEST DOUBLE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelOnInterrupt, stoppedLines } from '../../../src/cli/commands/run-setup.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

describe('stoppedLines', () => {
	it('a cancelled run (one Ctrl-C) prints the command that resumes it', () => {
		const lines = stoppedLines('cancelled', ['run', 'completion', '--model', 'double/qwen-7b', '--set', 'seed'], 0);
		expect(lines).toEqual(['  cancelled: the answers so far are saved; resume with the same command: covw run completion --model double/qwen-7b --set seed']);
	});

	it('after a second Ctrl-C it says how many requests already sent were abandoned and that their cost is not counted', () => {
		const lines = stoppedLines('cancelled', ['judge', 'gen-x', '--judge', 'double/gpt-4o'], 8).join('\n');
		expect(lines).toMatch(/abandoned 8 request\(s\) already sent: no answer saved, their cost is unknown and not counted above/);
		expect(lines).toContain('resume with the same command: covw judge gen-x --judge double/gpt-4o');
	});

	it('a completed run adds nothing', () => {
		expect(stoppedLines('completed', ['run'], 0)).toEqual([]);
	});
});

describe('cancelOnInterrupt counts what a second Ctrl-C abandons', () => {
	let server: TestServer;
	let work: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		server = await startTestServer({ latencyMs: 500 });
		work = tempDir('covw-abandon-');
	});
	afterAll(async () => {
		await server.close();
		work.remove();
	});

	it('0 after one Ctrl-C, the requests in flight after two', async () => {
		const ctx = fakeContext([], { root: work.path, cwd: work.path });
		const interrupt = cancelOnInterrupt(ctx);
		try {
			const run = runUnits({ runId: 'abandon', runsDir: work.path, config: testConfig(server.url, { concurrency: 4, timeoutMs: 10_000 }), units: testUnits(12), signal: interrupt.signal, compactTo: null, onWarning: () => {} });
			await expect.poll(() => server.requests.length, { timeout: 30_000, interval: 20 }).toBe(4);
			interrupt.interrupt();
			expect(interrupt.abandoned()).toBe(0);
			interrupt.interrupt();
			expect(interrupt.abandoned()).toBe(4);
			const result = await run;
			expect(result.state).toBe('cancelled');
		} finally {
			interrupt.dispose();
		}
	}, 60_000);
});
