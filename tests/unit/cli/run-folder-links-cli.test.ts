// The CLI (Deno) never writes a run folder's files through a link: a shared run whose log.jsonl
// links to ~/.bashrc, resumed with the same `covw run`, stops with the link named and refused,
// and the link's target is left as it was. (Deno's node:fs honours O_NOFOLLOW.)
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';
import { ANSWER_RULES, writeItemsFile } from '../runs/fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let itemsFile: string;
beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-cli-links-');
	itemsFile = writeItemsFile(join(work.path, 'data'));
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const env = () => ({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-links-cli', COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') });

describe('covw run on a run folder with links', () => {
	it('refuses to resume a run whose log.jsonl is a link, and appends nothing to its target', async () => {
		const args = ['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--no-cache'];
		const first = await runCovw(args, { cwd: work.path, env: env() });
		expect(first.status, first.stderr).toBe(0);
		const runs = join(work.path, 'runs');
		const [runId] = readdirSync(runs);
		const folder = join(runs, runId);
		const home = join(work.path, 'home');
		mkdirSync(home);
		const bashrc = join(home, '.bashrc');
		writeFileSync(bashrc, '# shell setup\n');
		rmSync(join(folder, 'log.jsonl'));
		rmSync(join(folder, 'generations.arrow'), { force: true });
		symlinkSync(bashrc, join(folder, 'log.jsonl'));
		const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
		writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ ...manifest, state: 'running' }));
		const again = await runCovw(args, { cwd: work.path, env: env() });
		expect(again.status, `${first.stdout}\n---\n${again.stdout}\n${again.stderr}`).not.toBe(0);
		expect(again.stderr).toContain('log.jsonl is a symbolic link: refused');
		// Said as a CliError is (exit 2, one "covw:" line naming the file), never an uncaught error with a stack.
		expect(again.status, again.stderr).toBe(2);
		expect(again.stderr).toMatch(/^covw: \/.*\/log\.jsonl is a symbolic link: refused/m);
		expect(again.stderr).not.toMatch(/Uncaught|LinkRefusedError|\n\s+at /);
		expect(readFileSync(bashrc, 'utf8')).toBe('# shell setup\n');
	}, 120_000);

	it('a run folder that is a link, and a log.jsonl that is a FIFO: a clean error naming it, no stack, no hang', async () => {
		const args = (id: string) => ['run', 'completion', '--model', 'test-model', '--items-file', itemsFile, '--limit', '2', '--no-cache', '--run-id', id];
		const runs = join(work.path, 'runs');
		mkdirSync(runs, { recursive: true });
		const elsewhere = join(work.path, 'elsewhere');
		mkdirSync(elsewhere);
		symlinkSync(elsewhere, join(runs, 'linked-folder'));
		const linked = await runCovw(args('linked-folder'), { cwd: work.path, env: env() });
		expect(linked.status, linked.stderr).toBe(2);
		expect(linked.stderr).toMatch(/^covw: \/.*\/linked-folder is a symbolic link to a folder: refused/m);
		expect(linked.stderr).not.toMatch(/Uncaught|\n\s+at /);
		expect(readdirSync(elsewhere)).toEqual([]);

		mkdirSync(join(runs, 'fifo-log'));
		execFileSync('mkfifo', [join(runs, 'fifo-log', 'log.jsonl')]);
		const fifo = await runCovw(args('fifo-log'), { cwd: work.path, env: env() });
		expect(fifo.status, fifo.stderr).toBe(2);
		expect(fifo.stderr).toMatch(/^covw: \/.*\/fifo-log\/log\.jsonl is a FIFO \(named pipe\): refused/m);
		expect(fifo.stderr).not.toMatch(/Uncaught|\n\s+at /);
	}, 120_000);
});
