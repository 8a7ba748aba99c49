// The CLI (Deno) never writes a run folder's files through a link: a shared run whose log.jsonl
// links to ~/.bashrc, resumed with the same `covw run`, stops with the link named and refused,
// and the link's target is left as it was. (Deno's node:fs honours O_NOFOLLOW.)
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
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
		expect(readFileSync(bashrc, 'utf8')).toBe('# shell setup\n');
	}, 120_000);
});
