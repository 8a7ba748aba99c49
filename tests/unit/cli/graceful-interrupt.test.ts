// Ctrl-C during a run (cancelOnInterrupt's handler, as a SIGINT calls it) against the local TEST
// DOUBLE (tests/support/openai-test-server.ts, 500 ms per answer): the first stops starting units
// and attempts and saves the answers already requested; a second abandons them; the same run
// resumed sends only the rest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cancelOnInterrupt } from '../../../src/cli/commands/run-setup.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

let server: TestServer;
let work: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 500 });
	work = tempDir('covw-graceful-');
});
afterAll(async () => {
	await server.close();
	work.remove();
});
afterEach(() => server.setFaults(null));

const units = testUnits(20);

/** Starts a run of the 20 units (concurrency 8) whose interrupt the test presses. */
function start(runId: string, env: Record<string, string> = {}, retry = {}) {
	const ctx = fakeContext([], { root: work.path, cwd: work.path, env });
	const interrupt = cancelOnInterrupt(ctx);
	const before = server.requests.length;
	const run = runUnits({ runId, runsDir: work.path, config: testConfig(server.url, { concurrency: 8, timeoutMs: 10_000 }), units, signal: interrupt.signal, compactTo: null, retry, onWarning: () => {} });
	run.finally(() => interrupt.dispose()).catch(() => {});
	return { ctx, interrupt, run, sent: () => server.requests.length - before };
}

const logged = (runId: string) =>
	readFileSync(join(work.path, runId, 'log.jsonl'), 'utf8')
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => JSON.parse(l) as { unit_id: string; status: string });

describe('Ctrl-C during a run', () => {
	it('the first saves the 8 answers in flight, sends nothing more and ends the run interrupted; resume sends only the rest', async () => {
		const r = start('graceful');
		await expect.poll(() => r.sent(), { timeout: 30_000, interval: 20 }).toBe(8);
		r.interrupt.interrupt();
		expect(r.ctx.err.join('')).toContain('stopping: 8 requests in flight will be saved — Ctrl-C again to abandon them');
		expect(r.interrupt.signal.aborted).toBe(false); // the 8 are not abandoned
		const result = await r.run;
		// Once they are in, the signal is aborted: what would follow the run (its judge) sees it cancelled.
		expect(r.interrupt.signal.aborted).toBe(true);
		expect(r.ctx.err.join('')).not.toMatch(/abandoning/);
		expect(result.state).toBe('cancelled');
		expect(r.sent()).toBe(8); // none after the signal
		expect(result.requests).toBe(8);
		const rows = logged('graceful');
		expect(rows).toHaveLength(8);
		expect(rows.every((row) => row.status === 'ok')).toBe(true);
		expect(result.manifest.counts.pending).toBe(12);

		// Resume: the 12 others, each once; none of the 8 saved is sent again.
		const saved = new Set(rows.map((row) => row.unit_id));
		const again = start('graceful');
		const resumed = await again.run;
		expect(resumed.state).toBe('completed');
		expect(again.sent()).toBe(12);
		expect(server.requests.slice(-12).some((q) => saved.has(q.unit))).toBe(false);
		expect(logged('graceful')).toHaveLength(20);
	}, 60_000);

	it('a second Ctrl-C abandons the requests in flight: no row, nothing sent after; resume sends them', async () => {
		const r = start('abandoned');
		await expect.poll(() => r.sent(), { timeout: 30_000, interval: 20 }).toBe(8);
		r.interrupt.interrupt();
		r.interrupt.interrupt();
		expect(r.ctx.err.join('')).toMatch(/abandoning 8 request\(s\) in flight/);
		const result = await r.run;
		expect(result.state).toBe('cancelled');
		expect(r.sent()).toBe(8);
		expect(result.manifest.counts.pending).toBe(20);
		const again = start('abandoned');
		expect((await again.run).state).toBe('completed');
		expect(again.sent()).toBe(20);
	}, 60_000);

	it('under the old Node launcher, the same Ctrl-C delivered twice (terminal and launcher) is one', async () => {
		const r = start('twice', { COVW_LAUNCHER_PID: String(process.ppid) });
		await expect.poll(() => r.sent(), { timeout: 30_000, interval: 20 }).toBe(8);
		r.interrupt.interrupt();
		r.interrupt.interrupt(); // the launcher's forwarded copy, at once
		const result = await r.run;
		expect(r.ctx.err.join('')).not.toMatch(/abandoning/);
		expect(result.state).toBe('cancelled');
		expect(logged('twice')).toHaveLength(8);
	}, 60_000);

	it('a retry waiting for its backoff is dropped, not sent: only the attempt on the wire is waited for', async () => {
		// Every attempt fails (500); a retry would wait 5–10 minutes, far past this test's timeout.
		server.setFaults(() => ({ kind: 'server_error' }));
		const r = start('backoff', {}, { baseDelayMs: 600_000, maxDelayMs: 600_000 });
		await expect.poll(() => r.sent(), { timeout: 30_000, interval: 20 }).toBe(8);
		r.interrupt.interrupt();
		const result = await r.run; // ends without waiting out the backoff
		expect(result.state).toBe('cancelled');
		expect(r.sent()).toBe(8);
		expect(result.manifest.counts.pending).toBe(20); // no error row: resume sends them
	}, 30_000);
});
