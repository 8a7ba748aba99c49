// A run whose units come from a source (src/lib/engine/unit-source.ts) builds them as it sends:
// its first requests go out before the last unit is built, and it logs the same rows and
// manifest as the same run given every unit up front. A run with rows already logged (a
// resume) builds every unit first, and sends nothing for the units already answered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import type { UnitSource } from '../../../src/lib/engine/unit-source.ts';
import type { WorkUnit } from '../../../src/lib/engine/types.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 5 });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

/** A source over these units that counts how many it has built, and when requests arrived. */
function countingSource(units: WorkUnit[]) {
	let built = 0;
	let builds = 0;
	const source: UnitSource = {
		count: units.length,
		targets: [{ endpoint: 'local', model: 'test-model' }],
		*build() {
			builds++;
			for (const u of units) {
				built++;
				yield u;
			}
		}
	};
	return { source, built: () => built, builds: () => builds };
}

/** A log's rows without what differs from one run to the next (timings), sorted by unit. */
function comparable(runDir: string) {
	return readRunLog(join(runDir, 'log.jsonl'))
		.rows.map(({ latency_ms: _l, finished_at: _f, ...rest }) => rest)
		.sort((a, b) => a.unit_id.localeCompare(b.unit_id));
}
function comparableManifest(runDir: string) {
	const { started_at: _s, finished_at: _f, sessions, ...rest } = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
	return { ...rest, sessions: sessions.length };
}

describe('a run from a unit source', () => {
	it('sends its first request before its last unit is built, and logs what the listed units would', async () => {
		const units = testUnits(40);
		const counting = countingSource(units);
		const before = server.requests.length;
		let builtAtFirstAnswer = -1;
		const fromSource = await runUnits({
			runId: 'from-source',
			runsDir: dir.path,
			config: testConfig(server.url, { concurrency: 2 }),
			units: counting.source,
			params: { t: 1 },
			onRow: () => {
				if (builtAtFirstAnswer < 0) builtAtFirstAnswer = counting.built();
			},
			compactTo: null
		});
		expect(fromSource.state).toBe('completed');
		// Two slots, four workers: four units built when the first answer is logged, and at most
		// two more built ahead in the quiet before it (run-units.ts streamOf), not forty.
		expect(builtAtFirstAnswer).toBeLessThanOrEqual(6);
		expect(builtAtFirstAnswer).toBeGreaterThan(0);
		expect(builtAtFirstAnswer).toBeLessThan(units.length);
		expect(counting.builds()).toBe(1);
		expect(server.requests.length - before).toBe(units.length);

		const listed = await runUnits({ runId: 'listed', runsDir: dir.path, config: testConfig(server.url, { concurrency: 2 }), units, params: { t: 1 }, compactTo: null });
		expect(comparable(join(dir.path, 'from-source'))).toEqual(comparable(join(dir.path, 'listed')));
		expect({ ...comparableManifest(join(dir.path, 'from-source')), run_id: 'x' }).toEqual({ ...comparableManifest(join(dir.path, 'listed')), run_id: 'x' });
		expect(fromSource.manifest.counts).toEqual(listed.manifest.counts);
		expect(fromSource.loggedRows?.length).toBe(units.length);
	});

	it('resumes: builds every unit first, sends only the missing ones, counts them all', async () => {
		const units = testUnits(12);
		// A first session that answered the first five.
		await runUnits({ runId: 'resumed', runsDir: dir.path, config: testConfig(server.url), units: units.slice(0, 5), params: { t: 2 }, compactTo: null });
		const counting = countingSource(units);
		const before = server.requests.length;
		const out = await runUnits({ runId: 'resumed', runsDir: dir.path, config: testConfig(server.url), units: counting.source, params: { t: 2 }, compactTo: null });
		expect(out.requests).toBe(7);
		expect(server.requests.length - before).toBe(7);
		expect(new Set(server.requests.slice(before).map((r) => r.unit))).toEqual(new Set(units.slice(5).map((u) => u.id)));
		expect(out.manifest.counts).toMatchObject({ total: 12, ok: 12, pending: 0 });
		expect(counting.builds()).toBe(1);
		// Everything answered: the same source again sends nothing.
		const again = await runUnits({ runId: 'resumed', runsDir: dir.path, config: testConfig(server.url), units: countingSource(units).source, params: { t: 2 }, compactTo: null });
		expect(again.requests).toBe(0);
		expect(again.manifest.counts).toMatchObject({ total: 12, ok: 12 });
	});

	it('stops, as a list would, at a unit that fails the checks (a duplicate id)', async () => {
		const units = testUnits(6);
		const dup = [...units, { ...units[2] }];
		const source: UnitSource = { count: dup.length, targets: [{ endpoint: 'local', model: 'test-model' }], *build() { yield* dup; } };
		await expect(runUnits({ runId: 'dup-source', runsDir: dir.path, config: testConfig(server.url), units: source, compactTo: null })).rejects.toThrow(/duplicate unit id/);
		await expect(runUnits({ runId: 'dup-list', runsDir: dir.path, config: testConfig(server.url), units: dup, compactTo: null })).rejects.toThrow(/duplicate unit id/);
	});
});
