// Starts the built server once for all browser tests, on a free loopback port, against
// temporary copies of notebooks/ and datasets/ so tests never touch the repository's files.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestServer } from '../support/openai-test-server.ts';
import { ANSWER_RULES } from '../unit/runs/fixtures.ts';

const root = resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
		probe.on('error', fail);
	});
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`server did not answer at ${url} within 30 s`);
}

export default async function setup(project: TestProject) {
	const work = mkdtempSync(join(tmpdir(), 'covw-e2e-'));
	const notebooks = join(work, 'notebooks');
	const data = join(work, 'datasets');
	cpSync(join(root, 'notebooks'), notebooks, { recursive: true });
	cpSync(join(root, 'datasets/paper'), join(data, 'paper'), { recursive: true });
	// The model endpoint for run cells: the local OpenAI-compatible TEST DOUBLE (not a model),
	// answering the runs fixtures' prompts predictably.
	const models = await startTestServer({ rules: ANSWER_RULES, latencyMs: 20 });
	const port = await freePort();
	const server = spawn(process.execPath, [join(root, 'bin/start.js')], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			COVW_ROOT: root,
			COVW_NOTEBOOKS: notebooks,
			COVW_DATA: data,
			COVW_RUNS: join(work, 'runs'),
			COVW_CACHE: join(work, 'cache'),
			OPENAI_BASE_URL: models.url,
			OPENAI_API_KEY: 'sk-e2e-test-key'
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	const baseURL = `http://127.0.0.1:${port}`;
	await waitForServer(`${baseURL}/api/tables`, server);
	project.provide('baseURL', baseURL);
	project.provide('workDir', work);
	return async () => {
		server.kill();
		await models.close();
		rmSync(work, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		workDir: string;
	}
}
