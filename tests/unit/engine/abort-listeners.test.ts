// A run of concurrency 8 keeps one abort listener per request in flight on the engine's stop
// signal (16 workers): that is no leak, and must not print Node's MaxListenersExceededWarning
// (every page-started run did).
import { expect, it } from 'vitest';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

it('a run of concurrency 8 gives no MaxListenersExceededWarning', async () => {
	const warnings: string[] = [];
	const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
	process.on('warning', onWarning);
	const server = await startTestServer({ latencyMs: 20 });
	const dir = tempDir();
	try {
		const outer = new AbortController();
		const result = await runUnits({ runId: 'wide', runsDir: dir.path, config: testConfig(server.url, { concurrency: 8 }), units: testUnits(60), signal: outer.signal });
		expect(result.state).toBe('completed');
		await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
		expect(warnings.filter((w) => w.includes('MaxListeners'))).toEqual([]);
	} finally {
		process.off('warning', onWarning);
		await server.close();
		dir.remove();
	}
});
