// A run killed with SIGKILL half-way, then resumed in-process, ends with exactly one row per
// unit, and no unit whose success was logged is sent again. The first half runs in a child
// process under Deno (tests/support/engine-child.ts) against the test double in this process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);
if (!hasDeno) console.warn(`kill-resume test skipped: no Deno binary at ${deno}`);

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 40 });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

describe.skipIf(!hasDeno)('kill -9 and resume', () => {
	it('ends with one row per unit and never re-sends a logged success', async () => {
		const count = 60;
		const runId = 'killed';
		const child = spawn(
			deno,
			['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${dir.path}`, '--allow-env',
				join(root, 'tests/support/engine-child.ts'), server.url, dir.path, runId, String(count)],
			{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const exit = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
		// Kill as soon as the child reports about half the rows.
		await new Promise<void>((res, rej) => {
			let out = '';
			child.stdout.on('data', (d) => {
				out += d;
				const m = [...out.matchAll(/row (\d+)\//g)].pop();
				if (m && Number(m[1]) >= count / 2) {
					child.kill('SIGKILL');
					res();
				}
			});
			child.on('exit', () => rej(new Error(`child ended before the kill: ${stderr}`)));
		});
		expect((await exit).signal).toBe('SIGKILL');

		const logPath = join(dir.path, runId, 'log.jsonl');
		const before = readRunLog(logPath);
		const loggedOk = before.rows.filter((r) => r.status === 'ok').map((r) => r.unit_id);
		expect(loggedOk.length).toBeGreaterThanOrEqual(count / 2);
		expect(loggedOk.length).toBeLessThan(count);
		const manifest = JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8'));
		expect(manifest.state).toBe('running'); // the child never got to write its end

		const sentBefore = new Map(loggedOk.map((id) => [id, server.requestsFor(id)]));
		const units = testUnits(count);
		const result = await runUnits({ runId, runsDir: dir.path, config: testConfig(server.url), units, params: { test: 'kill' }, onWarning: () => {} });
		expect(result.state).toBe('completed');

		const after = readRunLog(logPath);
		const ids = after.rows.map((r) => r.unit_id);
		expect(ids.length).toBe(count);
		expect(new Set(ids).size).toBe(count);
		expect(new Set(ids)).toEqual(new Set(units.map((u) => u.id)));
		for (const [id, n] of sentBefore) expect(server.requestsFor(id)).toBe(n);
		for (const u of units) expect(server.answersFor(u.id)).toBeGreaterThanOrEqual(1);
		expect(result.manifest.counts).toMatchObject({ total: count, ok: count, pending: 0 });
		expect(result.manifest.sessions.length).toBe(2);
	}, 60_000);
});
