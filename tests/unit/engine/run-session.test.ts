// The one run session behind every kind of run: runs written before it existed (fixtures from
// commit f94900b) resume unchanged — same manifest, field for field and byte for byte but for
// the times, same kind of log lines — and a session refuses a second writer and a change of
// params, and never leaves a manifest on "running" when it ends.
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestRowPerUnit, readRunLog } from '../../../src/lib/engine/run-log.ts';
import { RunLockedError } from '../../../src/lib/engine/run-lock.ts';
import { RunSession, RunSetupError } from '../../../src/lib/engine/run-session.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

const legacy = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'legacy-runs');
const units = testUnits(5).slice(0, 4);

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 1, faults: (ctx) => (ctx.unit === units[2].id ? { kind: 'server_error', status: 400 } : null) });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

/** The manifest text with the times of the latest session and the endpoint's port blanked. */
function normalized(path: string): string {
	const m = JSON.parse(readFileSync(path, 'utf8'));
	m.sessions[m.sessions.length - 1] = 'T';
	m.finished_at = 'T';
	for (const e of m.endpoints) e.baseURL = e.baseURL.replace(/:\d+\//, ':PORT/');
	return JSON.stringify(m, null, 2);
}

describe('runs written before the run session', () => {
	it('a generation run resumes to the same manifest the old engine wrote, sending only the failed unit', async () => {
		cpSync(join(legacy, 'first', 'legacy-gen'), join(dir.path, 'legacy-gen'), { recursive: true });
		const before = server.requests.length;
		const result = await runUnits({
			runId: 'legacy-gen', runsDir: dir.path, config: testConfig(server.url, { prices: { inputPer1M: 1, outputPer1M: 2 } }), units,
			params: { task: 'test', n: 4 }, datasetHash: 'abc123', compactTo: null, onWarning: () => {}
		});
		expect(server.requests.slice(before).map((r) => r.unit)).toEqual([units[2].id]);
		expect(result.state).toBe('completed');
		expect(normalized(join(dir.path, 'legacy-gen', 'manifest.json'))).toBe(normalized(join(legacy, 'resumed', 'legacy-gen', 'manifest.json')));
		const statuses = (path: string) => readRunLog(path).rows.map((r) => `${r.unit_id}:${r.status}`);
		expect(statuses(join(dir.path, 'legacy-gen', 'log.jsonl'))).toEqual(statuses(join(legacy, 'resumed', 'legacy-gen', 'log.jsonl')));
	});

	it('a direct run resumes to the same manifest, computing nothing again', () => {
		cpSync(join(legacy, 'first', 'legacy-direct'), join(dir.path, 'legacy-direct'), { recursive: true });
		let computed = 0;
		const result = writeDirectRun({
			runsDir: dir.path, runId: 'legacy-direct', kind: 'judge', params: { judge: 'rules', source: { run: 'legacy-gen' } }, datasetHash: null,
			units: [0, 1, 2].map((i) => ({ id: `d${i}`, sample: 0, meta: { item_id: `i${i}` }, compute: () => (computed++, { status: 'ok' as const, response: '', error: null }) }))
		});
		expect(computed).toBe(0);
		expect(result.computed).toBe(0);
		// Nothing to compute: no session of the run, the manifest stays the first one (the old
		// engine's 'resumed' manifest added a session and moved finished_at: a no-op changed the duration).
		expect(readFileSync(join(dir.path, 'legacy-direct', 'manifest.json'), 'utf8')).toBe(readFileSync(join(legacy, 'first', 'legacy-direct', 'manifest.json'), 'utf8'));
	});

	it('a direct run whose units were computed before it opened (a tool judge) starts when the work began', () => {
		const began = new Date(Date.now() - 13_000);
		const result = writeDirectRun({
			runsDir: dir.path, runId: 'tool-judge', kind: 'judge', params: { judge: 'bandit' }, datasetHash: null, startedAt: began,
			units: [{ id: 't0', sample: 0, meta: {}, compute: () => ({ status: 'ok' as const, response: '', error: null }) }]
		});
		expect(result.manifest.started_at).toBe(began.toISOString());
		expect(Date.parse(result.manifest.finished_at!) - Date.parse(result.manifest.started_at)).toBeGreaterThanOrEqual(13_000);
	});
});

describe('a run session', () => {
	const open = (params: Record<string, unknown> = { a: 1 }) => RunSession.open({ runsDir: dir.path, runId: 'session', params, unitIds: ['u1', 'u2'], onWarning: () => {} });
	const row = (id: string, status: 'ok' | 'error') => ({
		unit_id: id, sample: 0, status, response: status === 'ok' ? 'x' : null, error: status === 'ok' ? null : 'server: HTTP 500', latency_ms: 1,
		tokens_in: null, tokens_out: null, cached: false, attempts: 1, finished_at: '2025-01-01T00:00:00.000Z', meta: {}
	});
	const manifest = () => JSON.parse(readFileSync(join(dir.path, 'session', 'manifest.json'), 'utf8'));

	it('holds the lock, writes "running", and ends with the state it finished in', () => {
		const s = open();
		expect(manifest().state).toBe('running');
		expect(() => open()).toThrow(RunLockedError);
		s.append(row('u1', 'ok'));
		s.append(row('u2', 'error'));
		expect(s.finish('completed').counts).toMatchObject({ total: 2, ok: 1, error: 1, pending: 0 });
		expect(manifest().state).toBe('completed');
	});

	it('knows the rows a reader of its log sees, whether appended one by one or in bulk', () => {
		const s = RunSession.open({ runsDir: dir.path, runId: 'logged-rows', params: {}, unitIds: ['u1', 'u2', 'u3'], onWarning: () => {} });
		s.appendMany([row('u1', 'ok'), row('u2', 'error')]);
		// A later error row does not replace a finished one; a later ok row replaces an error row.
		s.append(row('u1', 'error'));
		s.appendMany([row('u2', 'ok'), row('u3', 'ok')]);
		const reread = readRunLog(join(dir.path, 'logged-rows', 'log.jsonl'));
		expect(s.loggedRows()).toEqual([...latestRowPerUnit(reread.rows).values()]);
		expect(s.loggedRows()!.map((r) => `${r.unit_id}:${r.status}`)).toEqual(['u1:ok', 'u2:ok', 'u3:ok']);
		// A row that would not read back the same (NaN becomes null in JSON): only a re-read can tell.
		s.appendMany([{ ...row('u3', 'ok'), latency_ms: Number.NaN }]);
		expect(s.loggedRows()).toBeNull();
		s.finish('completed');
	});

	it('resumes: finished units are known, error rows are not', () => {
		const s = open();
		expect(s.isFinished('u1')).toBe(true);
		expect(s.isFinished('u2')).toBe(false);
		s.abandon();
		expect(manifest().state).toBe('failed');
		expect(manifest().sessions).toHaveLength(2);
	});

	it('refuses other params for the same run id, and releases the lock when it does', () => {
		expect(() => open({ a: 2 })).toThrow(RunSetupError);
		open().finish('cancelled');
		expect(manifest().state).toBe('cancelled');
	});
});

describe('a session that writes nothing on a complete run', () => {
	const gen = (runId: string) =>
		runUnits({ runId, runsDir: dir.path, config: testConfig(server.url), units: units.slice(0, 2), params: { task: 'test', n: 2 }, datasetHash: null, compactTo: null, onWarning: () => {} });
	const direct = (runId: string) =>
		writeDirectRun({
			runsDir: dir.path, runId, kind: 'judge', params: { judge: 'rules' }, datasetHash: null,
			units: [0, 1].map((i) => ({ id: `d${i}`, sample: 0, meta: {}, compute: () => ({ status: 'ok' as const, response: '', error: null }) }))
		}).manifest;

	it('leaves a judge run its sessions, finish time and so its duration', async () => {
		const first = direct('noop-direct');
		await new Promise((r) => setTimeout(r, 20));
		const again = direct('noop-direct');
		expect(again.sessions).toEqual(first.sessions);
		expect(again.finished_at).toBe(first.finished_at);
		expect(again.started_at).toBe(first.started_at);
		expect(JSON.parse(readFileSync(join(dir.path, 'noop-direct', 'manifest.json'), 'utf8'))).toMatchObject({ sessions: first.sessions, finished_at: first.finished_at, state: 'completed' });
	});

	it('leaves a generation run its sessions and finish time too', async () => {
		const first = await gen('noop-gen');
		expect(first.state).toBe('completed');
		const sent = server.requests.length;
		await new Promise((r) => setTimeout(r, 20));
		const again = await gen('noop-gen');
		expect(server.requests.length).toBe(sent);
		expect(again.manifest.sessions).toEqual(first.manifest.sessions);
		expect(again.manifest.finished_at).toBe(first.manifest.finished_at);
	});

	it('but a session that writes a row is a session of the run', () => {
		const before = JSON.parse(readFileSync(join(dir.path, 'noop-direct', 'manifest.json'), 'utf8'));
		const s = RunSession.open({ runsDir: dir.path, runId: 'noop-direct', params: { judge: 'rules' }, unitIds: ['d0', 'd1'], onWarning: () => {} });
		s.append({ unit_id: 'd0', sample: 0, status: 'ok', response: '', error: null, latency_ms: 1, tokens_in: null, tokens_out: null, cached: false, attempts: 1, finished_at: new Date().toISOString(), meta: {} });
		const m = s.finish('completed');
		expect(m.sessions.length).toBe(before.sessions.length + 1);
		expect(m.finished_at).not.toBe(before.finished_at);
	});
});

describe('a direct run written in chunks', () => {
	const unitsOf = (n: number, failAt: number | null, computed: string[]) =>
		Array.from({ length: n }, (_, i) => ({
			id: `c${i}`, sample: 0, meta: { item_id: `i${i}` },
			compute: () => {
				if (i === failAt) throw new Error(`unit ${i} failed`);
				computed.push(`c${i}`);
				return { status: 'ok' as const, response: `r${i}`, error: null };
			}
		}));
	const write = (n: number, failAt: number | null, computed: string[]) =>
		writeDirectRun({ runsDir: dir.path, runId: 'chunked', kind: 'judge', params: { judge: 'rules' }, datasetHash: null, units: unitsOf(n, failAt, computed), onWarning: () => {} });

	it('keeps the rows computed before a failing unit, and a resume computes only the rest, each row logged once in order', () => {
		const first: string[] = [];
		expect(() => write(1100, 700, first)).toThrow('unit 700 failed');
		expect(first).toHaveLength(700);
		const logged = () => readRunLog(join(dir.path, 'chunked', 'log.jsonl')).rows.map((r) => r.unit_id);
		expect(logged()).toEqual(first);
		expect(JSON.parse(readFileSync(join(dir.path, 'chunked', 'manifest.json'), 'utf8')).state).toBe('failed');
		const second: string[] = [];
		const result = write(1100, null, second);
		expect(second).toEqual(Array.from({ length: 400 }, (_, i) => `c${700 + i}`));
		expect(result.computed).toBe(400);
		expect(result.manifest.counts).toMatchObject({ total: 1100, ok: 1100, pending: 0 });
		expect(logged()).toEqual(Array.from({ length: 1100 }, (_, i) => `c${i}`));
	});
});
