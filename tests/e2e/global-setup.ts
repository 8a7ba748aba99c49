// Starts the built server once for all browser tests, on a free loopback port, against
// temporary copies of notebooks/ and datasets/ so tests never touch the repository's files.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestServer } from '../support/openai-test-server.ts';
import { ANSWER_RULES } from '../unit/runs/fixtures.ts';
import { freePort, waitForServer } from './server-process.ts';

const root = resolve(import.meta.dirname, '../..');

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
	// bin/start.js, as `npm start` runs it: its Host guard covers the static files too.
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
