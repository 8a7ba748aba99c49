// A local failure (a full disk, a folder we may not write) while a run is going is not a
// connection failure: the request that was answered is never sent again, the run stops with a
// message naming the file, and the manifest ends in a true state ("failed"), not "running".
// The disk is made "full" by making node:fs's writeSync throw ENOSPC for chosen files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

const disk = vi.hoisted(() => ({
	/** Path of each open fd. */
	paths: new Map<number, string>(),
	/** Writes to files whose path passes this test throw ENOSPC. */
	full: (_path: string): boolean => false
}));

vi.mock('node:fs', async (importOriginal) => {
	const fs = await importOriginal<typeof import('node:fs')>();
	const openSync = ((path: string, ...rest: unknown[]) => {
		const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
		disk.paths.set(fd, String(path));
		return fd;
	}) as typeof fs.openSync;
	const writeSync = ((fd: number, ...rest: unknown[]) => {
		if (disk.full(disk.paths.get(fd) ?? '')) {
			throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
		}
		return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
	}) as typeof fs.writeSync;
	return { ...fs, default: { ...fs, openSync, writeSync }, openSync, writeSync };
});

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
afterEach(() => {
	disk.full = () => false;
});

/** Requests the server received for these units, and how many distinct units they were. */
function sent(units: { id: string }[], before: number) {
	const ids = new Set(units.map((u) => u.id));
	const mine = server.requests.slice(before).filter((r) => ids.has(r.unit));
	return { requests: mine.length, units: new Set(mine.map((r) => r.unit)).size };
}

function manifestOf(runId: string) {
	return JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8'));
}

/** The n-th and later writes to files matching `pattern` fail. */
function fullAfter(pattern: RegExp, okWrites: number): void {
	let writes = 0;
	disk.full = (path) => pattern.test(path) && ++writes > okWrites;
}

describe('a full disk during a run', () => {
	it('log append fails: no request is sent twice, the run stops naming the log, the manifest says failed', async () => {
		const units = testUnits(16);
		const before = server.requests.length;
		fullAfter(/enospc-log[/\\]log\.jsonl$/, 5);
		await expect(runUnits({ runId: 'enospc-log', runsDir: dir.path, config: testConfig(server.url), units, params: {} })).rejects.toThrow(
			/log\.jsonl.*ENOSPC|ENOSPC.*log\.jsonl/
		);
		disk.full = () => false;
		const s = sent(units, before);
		expect(s.requests).toBe(s.units);
		expect(s.requests).toBeLessThan(units.length);
		const manifest = manifestOf('enospc-log');
		expect(manifest.state).toBe('failed');
		expect(manifest.finished_at).not.toBeNull();
		// What was logged before the disk filled up is still there, and a resume finishes the rest
		// without asking again for what was logged.
		const logged = readRunLog(join(dir.path, 'enospc-log', 'log.jsonl')).rows;
		expect(logged).toHaveLength(5);
		const resumed = await runUnits({ runId: 'enospc-log', runsDir: dir.path, config: testConfig(server.url), units, params: {} });
		expect(resumed.state).toBe('completed');
		expect(resumed.rows.size).toBe(units.length);
		for (const row of logged) expect(server.requestsFor(row.unit_id)).toBe(1);
	});

	it('cache put fails: the answer is still logged, nothing is re-sent, the run stops naming the cache', async () => {
		const units = testUnits(12);
		const before = server.requests.length;
		const cache = new ResponseCache(join(dir.path, 'cache-full'));
		fullAfter(/cache-full[/\\]seg-/, 3);
		await expect(
			runUnits({ runId: 'enospc-cache', runsDir: dir.path, config: testConfig(server.url), units, params: {}, cache })
		).rejects.toThrow(/cache-full.*ENOSPC|ENOSPC.*cache-full/);
		disk.full = () => false;
		cache.close();
		const s = sent(units, before);
		expect(s.requests).toBe(s.units);
		expect(manifestOf('enospc-cache').state).toBe('failed');
		// The answer whose cache write failed was paid for: it is in the log.
		expect(readRunLog(join(dir.path, 'enospc-cache', 'log.jsonl')).rows.length).toBeGreaterThanOrEqual(4);
	});

	it('the manifest cannot be replaced atomically either: it still ends "failed", not "running"', async () => {
		const units = testUnits(10);
		let manifestWrites = 0;
		let logWrites = 0;
		disk.full = (path) => {
			if (/enospc-all[/\\]manifest\.json\..*\.tmp$/.test(path)) return ++manifestWrites > 1; // the "running" manifest gets through
			if (/enospc-all[/\\]log\.jsonl$/.test(path)) return ++logWrites > 2;
			return false;
		};
		await expect(runUnits({ runId: 'enospc-all', runsDir: dir.path, config: testConfig(server.url), units, params: {} })).rejects.toThrow(/ENOSPC/);
		disk.full = () => false;
		expect(manifestOf('enospc-all').state).toBe('failed');
	});

	it('a direct run whose log cannot be written ends "failed" and says which file', () => {
		// A direct run writes its rows in chunks (direct-run.ts): these three rows are one write.
		fullAfter(/direct-full[/\\]log\.jsonl$/, 0);
		const units = [0, 1, 2].map((i) => ({
			id: `u${i}`,
			sample: 0,
			meta: { item_id: `i${i}` },
			compute: () => ({ status: 'ok' as const, response: `r${i}`, error: null })
		}));
		expect(() => writeDirectRun({ runsDir: dir.path, runId: 'direct-full', kind: 'judge', params: {}, datasetHash: null, units })).toThrow(
			/direct-full[/\\]log\.jsonl.*ENOSPC/
		);
		disk.full = () => false;
		expect(manifestOf('direct-full').state).toBe('failed');
	});
});
