// The analyzers' memory watchdog (run-process.ts, group-memory.ts): a tool whose process group
// holds more resident memory than its limit is killed, with its children, and the result is an
// error naming the tool and the limit, never a verdict; a tool under the limit is left alone.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { groupMemory, memoryWatchMethod } from '../../../../src/lib/judges/analyzers/group-memory.ts';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { which } from '../../../../src/lib/judges/analyzers/locate-tool.ts';
import { runProcess } from '../../../../src/lib/judges/analyzers/run-process.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const scratch = mkdtempSync(join(tmpdir(), 'covw-memory-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const node = process.execPath;
const hasProc = existsSync('/proc/self/stat');
if (!hasProc) console.warn('memory watchdog tests: no /proc here; the /proc tests are skipped');

/** node -e source that writes its pid to `pidFile`, holds `mb` MB resident (written, so the pages are real; Node itself holds some 40 MB more) and waits. */
const holder = (mb: number, pidFile?: string) =>
	(pidFile ? `require('fs').appendFileSync(${JSON.stringify(pidFile)}, process.pid + '\\n'); ` : '') +
	`const a = []; for (let i = 0; i < ${mb}; i++) a.push(Buffer.alloc(1 << 20, 1)); console.log('holding'); setTimeout(() => {}, 20000);`;

/** A short program that holds `mb` MB for `ms` and ends well. */
const brief = (mb: number, ms: number) => `const a = []; for (let i = 0; i < ${mb}; i++) a.push(Buffer.alloc(1 << 20, 1)); setTimeout(() => console.log('done', a.length), ${ms});`;

/** Whether `pid` has ended (a zombie not yet reaped counts as ended), waiting up to 2 s for it. */
async function ended(pid: number): Promise<boolean> {
	for (let i = 0; i < 40; i++) {
		try {
			if (readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.startsWith('Z')) return true;
		} catch {
			return true;
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

describe.skipIf(!hasProc)('the memory watchdog', () => {
	it('measures through /proc here (Node on Linux)', () => {
		expect(memoryWatchMethod()).toBe('proc');
	});

	it('kills a process that grows past its limit: an error naming it, the limit and memory', async () => {
		const pids = join(scratch, 'one.pids');
		const result = await runProcess(node, ['-e', holder(200, pids)], { cwd: scratch, timeoutMs: 20_000, memoryLimitMb: 100 });
		expect(result.status).toBe('error');
		if (result.status === 'error') expect(result.error).toMatch(new RegExp(`^${node.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was killed for using too much memory: its processes held \\d+ MB, over the limit of 100 MB$`));
		const pid = Number(readFileSync(pids, 'utf8').trim());
		expect(await ended(pid)).toBe(true);
	}, 30_000);

	it('counts the children of the group: two under the limit each (see the next test), over it together, are killed with their parent', async () => {
		const pids = join(scratch, 'two.pids');
		const script = join(scratch, 'two-children.sh');
		writeFileSync(script, `#!/bin/sh\n"${node}" -e "$1" &\necho $! >> ${pids}\n"${node}" -e "$1" &\necho $! >> ${pids}\nwait\n`);
		chmodSync(script, 0o755);
		const result = await runProcess(script, [holder(30)], { cwd: scratch, timeoutMs: 20_000, memoryLimitMb: 100 });
		expect(result.status === 'error' && result.error).toMatch(/two-children\.sh was killed for using too much memory: its processes held \d+ MB, over the limit of 100 MB/);
		const children = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
		expect(children).toHaveLength(2);
		for (const pid of children) expect(await ended(pid)).toBe(true);
	}, 30_000);

	it('leaves a run under the limit alone, however long it is watched', async () => {
		const result = await runProcess(node, ['-e', brief(30, 900)], { cwd: scratch, timeoutMs: 20_000, memoryLimitMb: 100 });
		expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'done 30\n' });
		// and the same program with a limit below what it holds is killed: the limit above is what let it live
		const capped = await runProcess(node, ['-e', brief(30, 900)], { cwd: scratch, timeoutMs: 20_000, memoryLimitMb: 20 });
		expect(capped.status === 'error' && capped.error).toMatch(/killed for using too much memory.*limit of 20 MB/);
	}, 30_000);

	it('refuses a limit that is not above 0', async () => {
		await expect(runProcess(node, ['-e', '1'], { cwd: scratch, timeoutMs: 5_000, memoryLimitMb: 0 })).rejects.toThrow(/memoryLimitMb must be a number of MB above 0/);
	});

	it('reads the same group size through /proc and through ps', async () => {
		if (!which('ps')) {
			console.warn('memory watchdog tests: no ps on PATH; the ps comparison is skipped');
			return;
		}
		const child = spawn(node, ['-e', holder(60)], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
		try {
			await new Promise((r) => child.stdout.once('data', r));
			const viaProc = (await groupMemory([child.pid!], 'proc')).get(child.pid!)!;
			const viaPs = (await groupMemory([child.pid!], 'ps')).get(child.pid!)!;
			expect(viaProc).toBeGreaterThan(60 * 1024 * 1024);
			expect(Math.abs(viaPs - viaProc)).toBeLessThan(8 * 1024 * 1024);
			expect((await groupMemory([2 ** 22 + 12345], 'proc')).get(2 ** 22 + 12345)).toBe(0);
		} finally {
			process.kill(-child.pid!, 'SIGKILL');
		}
	}, 30_000);

	it('turns a tool killed for memory into an error row naming the tool, never a verdict', async () => {
		const tool = join(scratch, 'bandit');
		writeFileSync(tool, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "bandit 9.0.0"; exit 0; fi\nexec "${node}" -e "${holder(200).replace(/"/g, '\\"')}"\n`);
		chmodSync(tool, 0o755);
		const input = { code: 'print("hello")\n', language: 'python' as const, cwe: 'CWE-78' };
		const verdicts = await judgeBatchWithAnalyzer('bandit', [input], { command: tool, memoryLimitMb: 100, timeoutMs: 20_000 });
		expect(verdicts).toHaveLength(1);
		expect(verdicts[0].status).toBe('error');
		if (verdicts[0].status === 'error') expect(verdicts[0].error).toMatch(/^bandit failed: .*bandit was killed for using too much memory: .*over the limit of 100 MB$/);
	}, 30_000);
});

const deno = join(root, 'node_modules/deno/deno');
const ps = which('ps');
const kill = which('kill');
describe.skipIf(!hasProc || !existsSync(deno) || !ps || !kill)('the memory watchdog under Deno (the CLI: no /proc, ps and kill allowed)', () => {
	const run = (allowRun: string[], executable: string, args: string[], timeoutMs = 30_000) =>
		new Promise<{ method: string; result: { status: string; error?: string } }>((res, rej) => {
			const child = spawn(
				deno,
				['run', '--quiet', '--no-prompt', '--allow-read', '--allow-env', `--allow-run=${allowRun.join(',')}`, join(root, 'tests/support/memory-watch-child.ts'), '100', String(timeoutMs), executable, ...args],
				{ cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] }
			);
			let out = '';
			let err = '';
			child.stdout.on('data', (d) => (out += d));
			child.stderr.on('data', (d) => (err += d));
			// orphans that survived would hold the pipes (and the Deno child) open: a regression ends here
			const stop = setTimeout(() => child.kill('SIGKILL'), 15_000);
			child.on('exit', () => {
				clearTimeout(stop);
				try {
					res(JSON.parse(out));
				} catch {
					rej(new Error(`no JSON from the Deno child: ${out} ${err}`));
				}
			});
		});
	/** A shell script that starts `node -e source` twice in the background, writes their pids to `pids` and waits. */
	const twoChildren = (name: string, source: string, pids: string) => {
		const script = join(scratch, name);
		writeFileSync(script, `#!/bin/sh\n"${node}" -e '${source}' &\necho $! >> ${pids}\n"${node}" -e '${source}' &\necho $! >> ${pids}\nwait\n`);
		chmodSync(script, 0o755);
		return script;
	};
	const kidsOf = (pids: string) => readFileSync(pids, 'utf8').trim().split('\n').map(Number);
	const cleanUp = (pids: string) => {
		if (!existsSync(pids)) return;
		for (const pid of kidsOf(pids)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// ended, as it should have
			}
		}
	};

	it('measures through ps when ps may run, and kills the group', async () => {
		const { method, result } = await run([node, ps!, kill!], node, ['-e', holder(200)]);
		expect(method).toBe('ps');
		expect(result.status).toBe('error');
		expect(result.error).toMatch(/was killed for using too much memory: .*over the limit of 100 MB/);
	}, 60_000);

	it('kills the children with the leader, though Deno may not signal them itself (through kill)', async () => {
		const pids = join(scratch, 'deno-two.pids');
		try {
			const script = twoChildren('deno-two.sh', holder(40).replace(/'/g, '"').replace('20000', '600000'), pids);
			const { result } = await run([script, ps!, kill!], script, []);
			expect(result.error).toMatch(/deno-two\.sh was killed for using too much memory/);
			for (const pid of kidsOf(pids)) expect(await ended(pid)).toBe(true);
		} finally {
			cleanUp(pids);
		}
	}, 60_000);

	it('kills the children on a timeout too', async () => {
		const pids = join(scratch, 'deno-slow.pids');
		try {
			const script = twoChildren('deno-slow.sh', 'setTimeout(() => {}, 600000)', pids);
			const { result } = await run([script, ps!, kill!], script, [], 1_500);
			expect(result.error).toMatch(/deno-slow\.sh timed out after 1500 ms/);
			for (const pid of kidsOf(pids)) expect(await ended(pid)).toBe(true);
		} finally {
			cleanUp(pids);
		}
	}, 60_000);

	it('caps nothing when ps may not run either (the README says so): the tool runs to its end', async () => {
		const { method, result } = await run([node], node, ['-e', brief(200, 600)]);
		expect(method).toBe('none');
		expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'done 200\n' });
	}, 60_000);
});
