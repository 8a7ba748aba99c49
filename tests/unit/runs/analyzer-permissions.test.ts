// bin/permissions.js for `covw judge`: subprocesses only for the analyzers asked for (by their
// absolute paths on PATH), the temp folder only then, network only for LLM judges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { permissionsFor } from '../../../bin/permissions.js';
import { tempDir } from '../../support/engine-fixtures.ts';

let work: { path: string; remove: () => void };
let bin: string;
beforeAll(() => {
	work = tempDir('covw-analyzer-perms-');
	bin = join(work.path, 'bin');
	mkdirSync(bin);
	// Stand-ins: only their being executable files on PATH matters here; they are never run.
	for (const name of ['bandit', 'cppcheck']) {
		writeFileSync(join(bin, name), '#!/bin/sh\nexit 0\n');
		chmodSync(join(bin, name), 0o755);
	}
	writeFileSync(join(bin, 'flawfinder'), 'not executable');
	// As Debian installs clang: a link on PATH to the compiler in its own folder.
	mkdirSync(join(work.path, 'llvm'));
	writeFileSync(join(work.path, 'llvm', 'clang'), '#!/bin/sh\nexit 0\n');
	chmodSync(join(work.path, 'llvm', 'clang'), 0o755);
	symlinkSync(join(work.path, 'llvm', 'clang'), join(bin, 'clang'));
});
afterAll(() => work.remove());

const flags = (args: string[], env: Record<string, string> = {}): string[] =>
	permissionsFor(args, { root: '/r', cwd: work.path, env: { PATH: `/nonexistent:${bin}`, TMPDIR: '/scratch/tmp/', ...env } });
const one = (list: string[], prefix: string) => list.filter((f) => f.startsWith(prefix));

describe('covw judge permissions', () => {
	it('an analyzer judge may also run ps and kill, where PATH has them, for the memory watchdog and group kills; nothing else gets them', () => {
		const withPs = join(work.path, 'with-ps');
		mkdirSync(withPs, { recursive: true });
		for (const helper of ['ps', 'kill']) {
			writeFileSync(join(withPs, helper), '#!/bin/sh\nexit 0\n');
			chmodSync(join(withPs, helper), 0o755);
		}
		const path = `${bin}:${withPs}`;
		expect(one(flags(['judge', '--items', 'pearce', '--judge', 'bandit'], { PATH: path }), '--allow-run')).toEqual([`--allow-run=${join(bin, 'bandit')},${join(withPs, 'ps')},${join(withPs, 'kill')}`]);
		expect(one(flags(['judge', '--items', 'pearce', '--judge', 'rules'], { PATH: path }), '--allow-run')).toEqual([]);
		expect(one(flags(['judge', '--items', 'pearce', '--judge', 'flawfinder'], { PATH: path }), '--allow-run')).toEqual([]);
	});

	it('an analyzer judge may run that tool only, write its run and the temp folder, and use no network', () => {
		const f = flags(['judge', '--items', 'pearce', '--judge', 'bandit']);
		expect(one(f, '--allow-run')).toEqual([`--allow-run=${join(bin, 'bandit')}`]);
		expect(one(f, '--allow-write')).toEqual(['--allow-write=/r/runs,/scratch/tmp']);
		expect(one(f, '--allow-net')).toEqual([]);
	});

	it('a tool linked from PATH may also be run by its target\'s path (clang starts its -cc1 process so)', () => {
		const f = flags(['judge', '--items', 'pearce', '--judge', 'clang']);
		expect(one(f, '--allow-run')).toEqual([`--allow-run=${join(bin, 'clang')},${join(work.path, 'llvm', 'clang')}`]);
	});

	it('"analyzers" allows each tool found on PATH (a non-executable file is not a tool)', () => {
		const f = flags(['judge', 'gen-1', '--judge=analyzers'], { COVW_RUNS: '/data/runs' });
		expect(one(f, '--allow-run')).toEqual([`--allow-run=${join(bin, 'bandit')},${join(bin, 'cppcheck')},${join(bin, 'clang')},${join(work.path, 'llvm', 'clang')}`]);
		expect(one(f, '--allow-write')).toEqual(['--allow-write=/data/runs,/scratch/tmp']);
	});

	it('a missing analyzer gets no subprocess permission (the CLI reports it before any work)', () => {
		const f = flags(['judge', '--items', 'pearce', '--judge', 'flawfinder']);
		expect(one(f, '--allow-run')).toEqual([]);
		expect(one(f, '--allow-write')).toEqual(['--allow-write=/r/runs']);
	});

	it('the rule judge runs nothing and connects nowhere; an LLM judge connects to its endpoint only', () => {
		const rules = flags(['judge', '--items', 'pearce', '--judge', 'rules']);
		expect(rules.some((f) => f.startsWith('--allow-run') || f.startsWith('--allow-net'))).toBe(false);
		const llm = flags(['judge', 'gen-1', '--judge', 'local/m'], { OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1' });
		expect(one(llm, '--allow-net')).toEqual(['--allow-net=127.0.0.1:9999,127.0.0.1']);
		expect(one(llm, '--allow-run')).toEqual([]);
		expect(one(llm, '--allow-write')).toEqual(['--allow-write=/r/runs,/r/cache']);
	});

	it('an ensemble gets what its members need together', () => {
		const offline = flags(['judge', '--items', 'pearce', '--judge', 'ensemble:any:rules+cppcheck']);
		expect(one(offline, '--allow-run')).toEqual([`--allow-run=${join(bin, 'cppcheck')}`]);
		expect(one(offline, '--allow-write')).toEqual(['--allow-write=/r/runs,/scratch/tmp']);
		expect(one(offline, '--allow-net')).toEqual([]);
		const mixed = flags(['judge', 'gen-1', '--judge', 'ensemble:majority:bandit+local/qwen:7b+rules'], { OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1' });
		expect(one(mixed, '--allow-run')).toEqual([`--allow-run=${join(bin, 'bandit')}`]);
		expect(one(mixed, '--allow-net')).toEqual(['--allow-net=127.0.0.1:9999,127.0.0.1']);
		expect(one(mixed, '--allow-write')).toEqual(['--allow-write=/r/runs,/r/cache,/scratch/tmp']);
	});

	it('--list may ask the installed tools their version, and write nothing', () => {
		const f = flags(['judge', '--list']);
		expect(one(f, '--allow-run')).toEqual([`--allow-run=${join(bin, 'bandit')},${join(bin, 'cppcheck')},${join(bin, 'clang')},${join(work.path, 'llvm', 'clang')}`]);
		expect(one(f, '--allow-write')).toEqual([]);
		expect(one(f, '--allow-net')).toEqual([]);
	});
});
