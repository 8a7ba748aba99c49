// `npm run test-double` (tests/support/openai-test-server-main.ts, the TEST DOUBLE as a process):
// --help prints the usage and exits without listening; --port, --latency and --models are
// honoured next to the historical positional latency; a bad flag exits 2 naming it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.ts';

const root = resolve(__dirname, '../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);
if (!hasDeno) console.warn(`test-double CLI tests skipped: no Deno binary at ${deno}`);
const MAIN = ['run', '--allow-net=127.0.0.1', '--allow-env', join(root, 'tests/support/openai-test-server-main.ts')];

const running: ReturnType<typeof spawn>[] = [];
afterEach(() => {
	for (const p of running.splice(0)) p.kill('SIGTERM');
});

function start(args: string[]): Promise<string> {
	const child = spawn(deno, [...MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	running.push(child);
	return new Promise((done, fail) => {
		let out = '';
		child.stdout!.on('data', (d) => {
			out += String(d);
			const m = /listening (\S+)/.exec(out);
			if (m) done(m[1]);
		});
		child.on('exit', (code) => fail(new Error(`test double exited ${code} before listening: ${out}`)));
	});
}

describe.skipIf(!hasDeno)('npm run test-double', () => {
	it('--help prints the usage and exits 0 without starting a server (also after the npm script`s own arguments)', () => {
		const r = spawnSync(deno, [...MAIN, '20', '--demo', '--help'], { encoding: 'utf8', timeout: 60_000 });
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('usage: npm run test-double');
		expect(r.stdout).toMatch(/--port <n>/);
		expect(r.stdout).toMatch(/--latency <ms>/);
		expect(r.stdout).toMatch(/--models <a,b,c>[\s\S]*ANY model name/);
		expect(r.stdout).not.toMatch(/^listening http/m);
	});

	it('a bad flag or value exits 2 and names it', () => {
		const bad = spawnSync(deno, [...MAIN, '--bogus'], { encoding: 'utf8', timeout: 60_000 });
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('unknown argument "--bogus"');
		const port = spawnSync(deno, [...MAIN, '--port', 'many'], { encoding: 'utf8', timeout: 60_000 });
		expect(port.status).toBe(2);
		expect(port.stderr).toContain('--port must be an integer from 1 to 65535, got "many"');
	});

	it('--port, --models and --latency=… are honoured; any model name is answered', async () => {
		const port = await freePort();
		const url = await start(['--demo', '--port', String(port), '--models', 'gpt-4o,gpt-4o-mini', '--latency=5']);
		expect(url).toBe(`http://127.0.0.1:${port}/v1`);
		const listed = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
		expect(listed.data.map((m) => m.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
		const chat = await fetch(`${url}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'not-listed', messages: [{ role: 'user', content: 'import os\ndef f(value):\n' }] })
		});
		expect(chat.status).toBe(200);
		expect(((await chat.json()) as { model: string }).model).toBe('not-listed');
	});

	it('the positional latency of the benches still starts the plain double on a free port', async () => {
		const url = await start(['0']);
		const listed = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
		expect(listed.data.map((m) => m.id)).toEqual(['test-model']);
	});

	it('counts requests a user can read: GET /__double/stats per path and model, and one line printed on SIGTERM', async () => {
		const child = spawn(deno, [...MAIN, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
		running.push(child);
		let out = '';
		child.stdout!.on('data', (d) => (out += String(d)));
		const url = await new Promise<string>((done, fail) => {
			child.stdout!.on('data', () => {
				const m = /listening (\S+)/.exec(out);
				if (m) done(m[1]);
			});
			child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
		});
		const chat = (model: string, unit: string) =>
			fetch(`${url}/chat/completions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-covw-unit': unit },
				body: JSON.stringify({ model, messages: [{ role: 'user', content: `write code ${unit}` }] })
			}).then((r) => r.json());
		await chat('gpt-4o', 'u1');
		await chat('gpt-4o', 'u1');
		await chat('llama', 'u2');
		await fetch(`${url}/models`).then((r) => r.json());
		const base = url.replace(/\/v1$/, '');
		const stats = await (await fetch(`${base}/__double/stats`)).json();
		expect(stats).toEqual({
			requests: 4,
			by_path: { 'POST /v1/chat/completions': 3, 'GET /v1/models': 1 },
			by_model: { 'gpt-4o': 2, llama: 1 },
			answered: 3,
			units: 2,
			units_sent_again: 1
		});
		const exited = new Promise<void>((done) => child.on('exit', () => done()));
		child.kill('SIGTERM');
		await exited;
		expect(out).toMatch(/test-double stats: 4 request\(s\) · 3 chat answer\(s\) sent · 2 unit\(s\), 1 asked more than once · by model: gpt-4o 2, llama 1 · by path: POST \/v1\/chat\/completions 3, GET \/v1\/models 1/);
	});

	it('--help says how to count requests', () => {
		const r = spawnSync(deno, [...MAIN, '--help'], { encoding: 'utf8', timeout: 60_000 });
		expect(r.stdout).toContain('GET /__double/stats');
	});
});
