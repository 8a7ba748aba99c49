// .ci/install-clean (called by .ci/run): CI fails, with a message saying why, when `npm install`
// changes a tracked file — the check behind issue 8 item 7 ("a clean install"). The npm here is
// a stand-in script on PATH: the test is about the check, not about the registry.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '../../../.ci/install-clean');
let repo: string;

function git(...args: string[]) {
	const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
}

/** Runs the check with an `npm` that runs `body` (sh) in the repository. */
function install(body: string) {
	const bin = join(repo, '.fake-bin');
	mkdirSync(bin, { recursive: true });
	writeFileSync(join(bin, 'npm'), `#!/bin/sh\n${body}\n`);
	chmodSync(join(bin, 'npm'), 0o755);
	return spawnSync(join(repo, '.ci/install-clean'), { cwd: repo, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
}

beforeEach(() => {
	repo = mkdtempSync(join(tmpdir(), 'covw-ci-'));
	mkdirSync(join(repo, '.ci'));
	copyFileSync(script, join(repo, '.ci/install-clean'));
	chmodSync(join(repo, '.ci/install-clean'), 0o755);
	writeFileSync(join(repo, 'package-lock.json'), '{"lockfileVersion": 3}\n');
	writeFileSync(join(repo, '.gitignore'), '.fake-bin\nnode_modules\n');
	git('init', '-q');
	git('add', '.');
	git('commit', '-qm', 'init');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('.ci/install-clean', () => {
	it('passes when npm install leaves the tracked files as committed', () => {
		const r = install('mkdir -p node_modules && touch node_modules/x');
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
	});

	it('fails, naming the file, when npm install rewrites the lockfile', () => {
		const r = install('echo \'{"lockfileVersion": 3, "packages": {"node_modules/@deno/darwin-x64": {}}}\' > package-lock.json');
		expect(r.status).toBe(1);
		expect(r.stderr).toContain('`npm install` changed tracked files');
		expect(r.stderr).toContain('package-lock.json');
	});

	it('fails when npm install itself fails', () => {
		expect(install('exit 3').status).toBe(3);
	});
});
