// A `covw run` stopped by a signal — to the launcher alone (kill <pid>, a scheduler) or to its
// whole process group (Ctrl-C, `timeout`) — cancels cleanly: the manifest says cancelled, never
// 'running' for ever, and the same command resumes it. The real launcher (node bin/covw.js →
// Deno) against the local TEST DOUBLE (tests/support/openai-test-server.ts, not a model).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

let server: TestServer;
let work: ReturnType<typeof tempDir>;
let itemsFile: string;
beforeAll(async () => {
	// Slow answers and many samples: the run is still going when the signal comes.
	server = await startTestServer({ rules: ANSWER_RULES, latencyMs: 400 });
	work = tempDir('covw-signals-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

/** Starts a run in its own process group; resolves once its first answer is logged. */
async function startRun(runs: string) {
	const child = spawn(process.execPath, [join(ROOT, 'bin/covw.js'), 'run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--samples', '40'], {
		cwd: work.path,
		detached: true,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-signals', COVW_RUNS: runs, COVW_CACHE: join(runs, '..', 'cache') }
	});
	let stderr = '';
	child.stderr.on('data', (d) => (stderr += d));
	child.stdout.on('data', () => {});
	const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
	const logged = () => {
		const id = existsSync(runs) ? readdirSync(runs)[0] : undefined;
		return id !== undefined && existsSync(join(runs, id, 'log.jsonl')) && readFileSync(join(runs, id, 'log.jsonl'), 'utf8').length > 0;
	};
	await expect.poll(() => logged() || stderr, { timeout: 60_000, interval: 100 }).toBe(true);
	return { child, exit, stderr: () => stderr, manifest: () => JSON.parse(readFileSync(join(runs, readdirSync(runs)[0], 'manifest.json'), 'utf8')) };
}

/** Whether a process is still there. */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('covw run and signals', () => {
	it('SIGTERM to the launcher alone cancels the run cleanly', async () => {
		const run = await startRun(join(work.path, 'runs-a'));
		run.child.kill('SIGTERM');
		await run.exit;
		expect(run.stderr()).toMatch(/stopping: \d+ requests? in flight will be saved/);
		expect(run.manifest().state).toBe('cancelled');
	}, 120_000);

	it('SIGTERM to the whole group (launcher and Deno both get it) cancels it cleanly too', async () => {
		const run = await startRun(join(work.path, 'runs-b'));
		process.kill(-run.child.pid!, 'SIGTERM');
		await run.exit;
		expect(run.manifest().state).toBe('cancelled');
	}, 120_000);

	it('kill -9 of the launcher (no signal reaches Deno) still cancels: Deno notices its launcher is gone', async () => {
		const run = await startRun(join(work.path, 'runs-c'));
		// The launcher's one child is Deno (Linux lists a process's children under /proc).
		const denoPid = Number(readFileSync(`/proc/${run.child.pid}/task/${run.child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
		expect(Number.isInteger(denoPid) && denoPid > 0).toBe(true);
		run.child.kill('SIGKILL');
		await run.exit;
		await expect.poll(() => alive(denoPid), { timeout: 30_000, interval: 200 }).toBe(false);
		expect(run.manifest().state).toBe('cancelled');
	}, 120_000);
});

/** Starts `covw run` through a launcher in its own process group, with a cache of its own; resolves once its first answer is logged. */
async function startGraceful(launcher: 'sh' | 'node', runs: string, how: { nohup?: boolean; env?: Record<string, string> } = {}) {
	const first = server.requests.length;
	const [cmd, pre] = launcher === 'sh' ? [join(ROOT, 'bin/covw'), []] : [process.execPath, [join(ROOT, 'bin/covw.js')]];
	const argv = [...pre, 'run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--samples', '40'];
	const child = spawn(how.nohup ? 'nohup' : cmd, how.nohup ? [cmd, ...argv] : argv, {
		cwd: work.path,
		detached: true,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-signals', COVW_RUNS: runs, COVW_CACHE: join(runs, 'cache'), ...how.env }
	});
	let stderr = '';
	let stdout = '';
	child.stderr.on('data', (d) => (stderr += d));
	child.stdout.on('data', (d) => (stdout += d));
	const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
	const runDir = () => {
		const id = existsSync(runs) ? readdirSync(runs).find((n) => n !== 'cache') : undefined;
		return id === undefined ? null : join(runs, id);
	};
	const rows = () => {
		const dir = runDir();
		if (dir === null || !existsSync(join(dir, 'log.jsonl'))) return [];
		return readFileSync(join(dir, 'log.jsonl'), 'utf8')
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l) => JSON.parse(l) as { unit_id: string; status: string });
	};
	await expect.poll(() => rows().length > 0 || stderr, { timeout: 60_000, interval: 100 }).toBe(true);
	return {
		child,
		exit,
		rows,
		stderr: () => stderr,
		stdout: () => stdout,
		/** The units the test double was asked for by this process. */
		asked: () => server.requests.slice(first).map((q) => q.unit),
		manifest: () => JSON.parse(readFileSync(join(runDir()!, 'manifest.json'), 'utf8'))
	};
}

describe('Ctrl-C keeps the answers already requested', () => {
	it('bin/covw: Ctrl-C saves every request sent, sends none after, ends interrupted; the same command sends only the rest', async () => {
		const runs = join(work.path, 'runs-g');
		const run = await startGraceful('sh', runs);
		process.kill(-run.child.pid!, 'SIGINT'); // as the terminal sends it: to the group
		await expect.poll(() => run.stderr(), { timeout: 30_000, interval: 50 }).toMatch(/stopping: \d+ requests? in flight will be saved — Ctrl-C again to abandon them/);
		const inFlight = Number(/stopping: (\d+)/.exec(run.stderr())![1]);
		expect(inFlight).toBeGreaterThan(0);
		await run.exit;
		expect(run.manifest().state).toBe('cancelled');
		const saved = run.rows();
		// Every request the double received has its answer in the log: none was thrown away.
		const asked = run.asked();
		expect(new Set(asked).size).toBe(asked.length);
		expect(saved.map((r) => r.unit_id).sort()).toEqual([...asked].sort());
		expect(saved.every((r) => r.status === 'ok')).toBe(true);
		expect(run.stdout()).toContain(`requests this session ${asked.length};`);

		const again = await startGraceful('sh', runs);
		await again.exit;
		expect(again.manifest().state).toBe('completed');
		const seen = new Set(saved.map((r) => r.unit_id));
		expect(again.asked().some((u) => seen.has(u))).toBe(false);
		expect(again.asked().length + saved.length).toBe(again.manifest().counts.total);
	}, 120_000);

	it('bin/covw: a second Ctrl-C abandons the requests in flight', async () => {
		const run = await startGraceful('sh', join(work.path, 'runs-h'));
		process.kill(-run.child.pid!, 'SIGINT');
		await expect.poll(() => run.stderr(), { timeout: 30_000, interval: 20 }).toMatch(/stopping:/);
		process.kill(-run.child.pid!, 'SIGINT');
		await run.exit;
		expect(run.stderr()).toMatch(/abandoning \d+ request\(s\) in flight/);
		expect(run.manifest().state).toBe('cancelled');
	}, 120_000);

	it('node bin/covw.js: one Ctrl-C to the group (Deno gets it twice: from the terminal and from the launcher) still saves the requests in flight', async () => {
		const run = await startGraceful('node', join(work.path, 'runs-i'));
		process.kill(-run.child.pid!, 'SIGINT');
		await run.exit;
		expect(run.stderr()).toMatch(/stopping:/);
		expect(run.stderr()).not.toMatch(/abandoning/);
		expect(run.manifest().state).toBe('cancelled');
		expect(run.rows().map((r) => r.unit_id).sort()).toEqual([...run.asked()].sort());
	}, 120_000);

	// The terminal closed (or ssh dropped): the group gets SIGHUP, and from then on every write
	// to stdout or stderr fails (here EPIPE: the pipes are closed first, as a pty is on hang-up).
	for (const launcher of ['sh', 'node'] as const) {
		it(`${launcher === 'sh' ? 'bin/covw' : 'node bin/covw.js'}: SIGHUP (the terminal closed) stops gracefully like Ctrl-C — every request sent is saved although stdout and stderr are gone`, async () => {
			const run = await startGraceful(launcher, join(work.path, `runs-j-${launcher}`));
			run.child.stdout!.destroy();
			run.child.stderr!.destroy();
			process.kill(-run.child.pid!, 'SIGHUP');
			await run.exit;
			expect(run.manifest().state).toBe('cancelled');
			const asked = run.asked();
			expect(asked.length).toBeGreaterThan(0);
			expect(run.rows().map((r) => r.unit_id).sort()).toEqual([...asked].sort());
			expect(run.rows().every((r) => r.status === 'ok')).toBe(true);
		}, 120_000);
	}

	// `nohup covw run … &` (an ssh session about to close): SIGHUP arrives ignored, and the
	// hang-up must leave the run going to its end. bin/covw reads its own /proc/self/status; the
	// Node launcher only learns it from bin/covw (COVW_SIGHUP_IGNORED, as bin/covw passes it when
	// it `exec`s bin/covw.js for want of a Deno beside the checkout): Node resets every signal to
	// its default before a script runs, so a bare `nohup node bin/covw.js` cannot tell.
	for (const launcher of ['sh', 'node'] as const) {
		it(`nohup ${launcher === 'sh' ? 'bin/covw' : 'bin/covw.js (from bin/covw)'}: SIGHUP to the group is ignored — the run goes on to the end and every request has its row`, async () => {
			const env: Record<string, string> = launcher === 'node' ? { COVW_SIGHUP_IGNORED: '1' } : {};
			const run = await startGraceful(launcher, join(work.path, `runs-k-${launcher}`), { nohup: true, env });
			const before = run.rows().length;
			process.kill(-run.child.pid!, 'SIGHUP');
			await run.exit;
			expect(run.stderr()).not.toMatch(/SIGHUP|stopping/);
			const manifest = run.manifest();
			// The hang-up came mid-run: the run had more to do, and did it.
			expect(before).toBeLessThan(manifest.counts.total);
			expect(manifest.state).toBe('completed');
			const rows = run.rows();
			expect(rows.length).toBe(manifest.counts.total);
			expect(rows.map((r) => r.unit_id).sort()).toEqual([...run.asked()].sort());
			expect(rows.every((r) => r.status === 'ok')).toBe(true);
		}, 120_000);
	}

	it('bin/covw without nohup passes no COVW_SIGHUP_IGNORED on, even one set in its environment: a hang-up still stops the run', async () => {
		const run = await startGraceful('sh', join(work.path, 'runs-l'), { env: { COVW_SIGHUP_IGNORED: '1' } });
		process.kill(-run.child.pid!, 'SIGHUP');
		await run.exit;
		expect(run.stderr()).toMatch(/the terminal closed \(SIGHUP\): stopping/);
		expect(run.manifest().state).toBe('cancelled');
		expect(run.rows().map((r) => r.unit_id).sort()).toEqual([...run.asked()].sort());
	}, 120_000);
});
