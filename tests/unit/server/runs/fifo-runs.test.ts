// A FIFO (named pipe) in a run folder — as manifest.json, log.jsonl or generations.arrow — is
// refused, never opened: opening a FIFO for reading waits for a writer, and that wait blocked the
// server's event loop (every page and /api answer hung until a restart) and the CLI. Now it is
// refused on its lstat, naming the file and its kind; the run with the FIFO log is listed as
// broken, the FIFO manifest is a warning, a FIFO compacted file is passed over for the log, and
// the good run next to them is served as always.
//
// Against a hang: a blocked open cannot be timed out from inside the process that is blocked, so
// a helper process (started here, stopped by its pid) opens each FIFO for writing every half
// second from 15 s on: that releases a blocked reader, which then reads nothing; the test then
// fails on what it finds (no "is a FIFO" in the answer) instead of hanging the whole suite.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileNoFollow } from '../../../../src/lib/engine/atomic-file.ts';
import { readManifest } from '../../../../src/lib/engine/manifest.ts';
import { readRunLog, rowToLine } from '../../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../../src/lib/engine/types.ts';
import { readFilterTable } from '../../../../src/lib/runs/evolve/evolved-set.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { listRuns, runDetail } from '../../../../src/lib/server/runs/run-pages.ts';
import { RunTablesCache } from '../../../../src/lib/server/runs/run-tables-cache.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let runsDir: string;
let guard: ChildProcess | null = null;
const fifos: string[] = [];
const manager = new RunManager(null as unknown as ProjectRuns);

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:30.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
});

function manifestText(runId: string, startedAt: string): string {
	return JSON.stringify({
		run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [], state: 'completed',
		started_at: startedAt, sessions: [startedAt], finished_at: '2026-01-01T00:01:00.000Z',
		counts: { total: 2, ok: 2, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 6, out: 8, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	});
}

/** A run folder; `fifo` names the one of its files made a FIFO instead. */
function plantRun(runId: string, startedAt: string, fifo: 'manifest.json' | 'log.jsonl' | 'generations.arrow' | null): string {
	const runDir = join(runsDir, runId);
	mkdirSync(runDir, { recursive: true });
	const files: Record<string, string> = { 'manifest.json': manifestText(runId, startedAt), 'log.jsonl': [row('a'), row('b')].map(rowToLine).join('') };
	for (const [name, text] of Object.entries(files)) if (name !== fifo) writeFileSync(join(runDir, name), text);
	if (fifo) {
		execFileSync('mkfifo', [join(runDir, fifo)]);
		fifos.push(join(runDir, fifo));
	}
	return runDir;
}

beforeAll(() => {
	dir = tempDir('covw-fifo-runs-');
	runsDir = join(dir.path, 'runs');
	plantRun('good', '2026-01-01T00:00:00.000Z', null);
	plantRun('fifo-log', '2026-01-01T00:00:01.000Z', 'log.jsonl');
	plantRun('fifo-manifest', '2026-01-01T00:00:02.000Z', 'manifest.json');
	plantRun('fifo-arrow', '2026-01-01T00:00:03.000Z', 'generations.arrow');
	// an evolve run's filter table (read by the labelling view), outside the runs list: no manifest
	mkdirSync(join(dir.path, 'evolve-runs', 'fifo-evolve'), { recursive: true });
	execFileSync('mkfifo', [join(dir.path, 'evolve-runs', 'fifo-evolve', 'filters.jsonl')]);
	fifos.push(join(dir.path, 'evolve-runs', 'fifo-evolve', 'filters.jsonl'));
	const release = `const fs = require('node:fs'); const paths = JSON.parse(process.argv[1]);
setTimeout(() => setInterval(() => { for (const p of paths) { try { fs.closeSync(fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch {} } }, 500), 15000);`;
	guard = spawn(process.execPath, ['-e', release, JSON.stringify(fifos)], { stdio: 'ignore' });
});
afterAll(() => {
	if (guard?.pid) guard.kill();
	dir.remove();
});

describe('a FIFO in a run folder', () => {
	it('is refused when read, naming the file and saying it is a FIFO', () => {
		const log = join(runsDir, 'fifo-log', 'log.jsonl');
		const manifest = join(runsDir, 'fifo-manifest', 'manifest.json');
		expect(() => readRunLog(log)).toThrow(`${log} is a FIFO (named pipe): refused`);
		expect(() => readManifest(manifest)).toThrow(`${manifest} is a FIFO (named pipe): refused`);
		expect(() => readFileNoFollow(join(runsDir, 'fifo-arrow', 'generations.arrow'))).toThrow(/generations\.arrow is a FIFO \(named pipe\): refused/);
		expect(() => readFilterTable(join(dir.path, 'evolve-runs'), 'fifo-evolve')).toThrow(/fifo-evolve\/filters\.jsonl is a FIFO \(named pipe\): refused/);
		expect(readRun(runsDir, 'fifo-log')?.broken).toBe(`${log} is a FIFO (named pipe): refused (files of a run folder are never read or written through a link; replace it with a regular file or move the run away)`);
	}, 60_000);

	it('the server lists the good run, the FIFO-log run as broken (no absolute path), and serves the good rows', async () => {
		const tables = new RunTablesCache(runsDir);
		try {
			const list = await tables.list();
			const generations = list.find((t) => t.name === 'generations')!;
			// good and fifo-arrow (read from its log: the FIFO compacted file is passed over)
			expect(generations.rows).toBe(4);
			const warnings = generations.warnings.join('\n');
			expect(warnings).toMatch(/fifo-log\/log\.jsonl is a FIFO \(named pipe\): refused/);
			const all = list.flatMap((t) => t.warnings ?? []).join('\n');
			expect(all).toMatch(/fifo-manifest\/manifest\.json is a FIFO \(named pipe\): refused/);

			const runs = await listRuns(tables, manager);
			expect(runs.map((r) => r.run_id)).toEqual(['fifo-arrow', 'fifo-log', 'good']);
			const broken = runs.find((r) => r.run_id === 'fifo-log')!.broken;
			expect(broken).toMatch(/log\.jsonl is a FIFO \(named pipe\): refused/);
			expect(broken).not.toContain(dir.path);
			expect(runs.find((r) => r.run_id === 'good')!.broken).toBeUndefined();
			expect(runs.find((r) => r.run_id === 'good')!.counts.ok).toBe(2);
			expect(runs.find((r) => r.run_id === 'fifo-arrow')!.counts.ok).toBe(2);

			const detail = await runDetail(runsDir, 'fifo-log', manager, null as unknown as ProjectRuns, tables);
			expect(detail!.overview.broken).toMatch(/log\.jsonl is a FIFO \(named pipe\): refused/);
			expect(detail!.overview.broken).not.toContain(dir.path);
		} finally {
			tables.close();
		}
	}, 120_000);
});
