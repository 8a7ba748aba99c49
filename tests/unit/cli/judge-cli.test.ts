// `covw judge` in process: a mistyped judge name is refused before any request or run, `--list`
// says when no endpoint is configured (not the default URL it would use) and what each analyzer
// cannot do, and `--help` names every analyzer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeCommand } from '../../../src/cli/commands/judge.ts';
import { CliError } from '../../../src/cli/command.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { ANALYZER_ITEMS } from '../runs/analyzer-fixtures.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let work: { path: string; remove: () => void };
let itemsFile: string;
beforeAll(() => {
	work = tempDir('covw-judge-cli-');
	itemsFile = writeItemsFile(join(work.path, 'data'), ANALYZER_ITEMS);
});
afterAll(() => work.remove());

const ctx = (args: string[], env: Record<string, string> = {}) => fakeContext(args, { root, cwd: work.path, env: { COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache'), ...env } });

describe('covw judge --judge <typo>', () => {
	for (const [typo, meant] of [['rulez', 'rules'], ['cppchek', 'cppcheck'], ['ensemble:any:rules+cppchek', 'cppcheck']]) {
		it(`"${typo}" is an error naming ${meant}, with no run written and nothing sent`, async () => {
			const run = judgeCommand.run(ctx(['--items', 'pearce', '--judge', typo, '--items-file', itemsFile], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }));
			await expect(run).rejects.toThrow(CliError);
			await expect(run).rejects.toThrow(`did you mean ${meant}?`);
			expect(existsSync(join(work.path, 'runs'))).toBe(false);
		});
	}
});

describe('covw judge --list', () => {
	it('without any endpoint says none is configured and what to set, not the default URL', async () => {
		const c = ctx(['--list']);
		await judgeCommand.run(c);
		const out = c.out.join('');
		expect(out).not.toContain('api.openai.com');
		expect(out).toMatch(/^ {2}not configured: no endpoint is configured: set OPENAI_BASE_URL .* or write covw\.config\.json \(until then an LLM judge sends nothing\)$/m);
	});

	it('with an endpoint still lists it', async () => {
		const c = ctx(['--list'], { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
		await judgeCommand.run(c);
		expect(c.out.join('')).toContain('default (http://127.0.0.1:9/v1): default/<any model>');
	});

	it('notes each analyzer\'s measured limits, installed or not', async () => {
		const c = ctx(['--list'], { PATH: '/nonexistent' });
		await judgeCommand.run(c);
		const lines = c.out.join('').split('\n');
		const limitsOf = (tool: string) => {
			const at = lines.findIndex((l) => l.startsWith(`  ${tool} `));
			expect(at, tool).toBeGreaterThanOrEqual(0);
			const out: string[] = [];
			for (let i = at + 1; i < lines.length && /^ {15}/.test(lines[i]); i++) out.push(lines[i].trim());
			return out;
		};
		for (const tool of ['gcc', 'clang']) {
			expect(limitsOf(tool)).toContain("limit: analyses only code that compiles (a lone function gets declarations synthesised; about 4 in 10 of SVEN's C functions stay error rows)");
		}
		for (const tool of ['cppcheck', 'flawfinder', 'gcc', 'clang']) expect(limitsOf(tool).some((l) => l.startsWith('limit: near chance on real C functions (SVEN'))).toBe(true);
	});
});

describe('covw judge --help', () => {
	it('names every analyzer, gcc and clang included, and the typo rule', () => {
		for (const tool of ['bandit', 'cppcheck', 'flawfinder', 'gcc', 'clang']) expect(judgeCommand.usage).toContain(tool);
		expect(judgeCommand.usage).toMatch(/did you mean/);
		expect(judgeCommand.usage).toMatch(/verdict only where every member/);
	});
});

describe('covw judge --memory', () => {
	it('refuses a limit that is not a number of MB above 0, before any run', async () => {
		for (const bad of ['0', '-5', 'lots', 'Infinity']) {
			const run = judgeCommand.run(ctx(['--items', 'pearce', '--judge', 'bandit', '--items-file', itemsFile, '--memory', bad]));
			await expect(run).rejects.toThrow(`--memory takes a number of MB above 0, got "${bad}"`);
		}
		expect(existsSync(join(work.path, 'runs'))).toBe(false);
		expect(judgeCommand.usage).toMatch(/--memory <MB> +analyzers: resident memory one tool process may hold/);
	});

	it.skipIf(!existsSync('/proc/self/stat'))('gives the analyzer its limit: a tool holding more is killed, each program an error row saying so', async () => {
		// a bandit stand-in that holds some 240 MB (Node and 200 MB of buffers) until killed
		const bin = join(work.path, 'greedy-bin');
		mkdirSync(bin, { recursive: true });
		const hold = 'const a = []; for (let i = 0; i < 200; i++) a.push(Buffer.alloc(1 << 20, 1)); setTimeout(() => {}, 20000);';
		writeFileSync(join(bin, 'bandit'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "bandit 9.0.0"; exit 0; fi\nexec "${process.execPath}" -e "${hold}"\n`);
		chmodSync(join(bin, 'bandit'), 0o755);
		const path = process.env.PATH;
		process.env.PATH = `${bin}:${path}`;
		try {
			const c = ctx(['--items', 'pearce', '--judge', 'bandit', '--items-file', itemsFile, '--memory', '100', '--run-id', 'greedy']);
			expect(await judgeCommand.run(c)).toBe(1);
			const rows = readFileSync(join(work.path, 'runs', 'greedy', 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.status);
			expect(rows.length).toBeGreaterThan(0);
			for (const r of rows) {
				expect(r.status).toBe('error');
				expect(r.error).toMatch(/^bandit failed: .*bandit was killed for using too much memory: its processes held \d+ MB, over the limit of 100 MB$/);
			}
		} finally {
			process.env.PATH = path;
		}
	}, 60_000);
});

describe('covw judge with a config whose apiKeyEnv names another secret', () => {
	it('is refused with file, line, field and the rule, the variable never read, no run written', async () => {
		const config = join(work.path, 'theirs.config.json');
		writeFileSync(config, JSON.stringify({ endpoints: { theirs: { baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'AWS_SECRET_ACCESS_KEY', models: { m: {} } } } }, null, 2));
		const asked: string[] = [];
		const c = ctx(['--items', 'pearce', '--judge', 'theirs/m', '--items-file', itemsFile, '--config', config], { AWS_SECRET_ACCESS_KEY: 'aws-not-to-be-sent' });
		const env = c.env;
		c.env = (name) => (asked.push(name), env(name));
		const run = judgeCommand.run(c);
		await expect(run).rejects.toThrow(CliError);
		await expect(run).rejects.toThrow(/theirs\.config\.json:5: endpoints\.theirs\.apiKeyEnv: "AWS_SECRET_ACCESS_KEY" is not accepted: the variable must end in _API_KEY/);
		expect(asked).not.toContain('AWS_SECRET_ACCESS_KEY');
		const written = existsSync(join(work.path, 'runs')) ? readdirSync(join(work.path, 'runs')) : [];
		expect(written.filter((name) => name.includes('theirs'))).toEqual([]);
	});
});
