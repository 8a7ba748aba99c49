// After `kill -9` of a run under Deno (the CLI, which may not ask whether a pid lives), running
// the same thing again is not refused: the dead holder's OS lock went with it. Before, the lock's
// heartbeat kept it "live" for 30 s and the second run failed blaming the dead pid.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { runLockHeld } from '../../../src/lib/engine/run-lock.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);
if (!hasDeno) console.warn(`lock-after-kill test skipped: no Deno binary at ${deno}`);

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 200 });
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

/** The engine child under Deno with the CLI's kind of permissions (no --allow-run). */
function child(runId: string, count: number) {
	const proc = spawn(
		deno,
		['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${dir.path}`, '--allow-env',
			join(root, 'tests/support/engine-child.ts'), server.url, dir.path, runId, String(count)],
		{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let stdout = '';
	let stderr = '';
	proc.stdout.on('data', (d) => (stdout += d));
	proc.stderr.on('data', (d) => (stderr += d));
	const exit = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((res) =>
		proc.on('exit', (code, signal) => res({ code, signal, stdout, stderr }))
	);
	return { proc, exit, stdout: () => stdout };
}

describe.skipIf(!hasDeno)('the run lock after kill -9 under Deno', () => {
	it('refuses a second writer while the first lives, and lets the same run start again at once after kill -9', async () => {
		const runId = 'killed-lock';
		const count = 80;
		const first = child(runId, count);
		await new Promise<void>((res, rej) => {
			first.proc.stdout.on('data', () => {
				if (/row \d+\//.test(first.stdout())) res();
			});
			first.proc.on('exit', () => rej(new Error('child ended before the kill')));
		});
		// While the first lives, a second is refused (its OS lock is held)…
		const refused = await child(runId, count).exit;
		expect(refused.code).not.toBe(0);
		expect(refused.stderr).toMatch(/being written by another process/);
		// The runs list (Node) sees a writer…
		expect(runLockHeld(join(dir.path, runId, 'lock'))).toBe(true);
		// …and once it is killed, the same run starts again at once.
		first.proc.kill('SIGKILL');
		expect((await first.exit).signal).toBe('SIGKILL');
		expect(existsSync(join(dir.path, runId, 'lock'))).toBe(true);
		// …and none once it is killed: its 'running' manifest reads as interrupted, not running.
		expect(runLockHeld(join(dir.path, runId, 'lock'))).toBe(false);
		expect(runLockHeld(join(dir.path, 'no-such-run', 'lock'))).toBe(false);

		const second = await child(runId, count).exit;
		expect(second.stderr).not.toMatch(/being written by another process/);
		expect(second.code).toBe(0);
		expect(second.stdout).toMatch(/finished/);
		expect(new Set(readRunLog(join(dir.path, runId, 'log.jsonl')).rows.map((r) => r.unit_id)).size).toBe(count);
	}, 60_000);
});
