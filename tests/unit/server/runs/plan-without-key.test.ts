// `covw notebook run` and an opened page name a notebook's runs (ProjectRuns.plan) to read
// finished ones: that must not need the API key an endpoint's apiKeyEnv names. Starting a run on
// that endpoint does, and says which variable is missing, before any run folder is made.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const root = resolve(__dirname, '../../../..');
const item = (n: number): Item => ({
	item_id: `completion/seed/CWE-78/nokey/${n}`, task: 'completion', set: 'seed', cwe: 'CWE-78', language: 'python', scenario: 'nokey',
	code: `import os\n# plan ${n}\ndef run(value):\n`, label: null, label_class: null, source: 'tests/unit/server/runs/plan-without-key.test.ts'
});

let work: { path: string; remove: () => void };
let runs: ProjectRuns;

beforeAll(() => {
	work = tempDir('covw-nokey-');
	cpSync(join(root, 'datasets/templates'), join(work.path, 'datasets/templates'), { recursive: true });
	mkdirSync(join(work.path, 'data/coveval'), { recursive: true });
	writeFileSync(join(work.path, 'data/coveval/items.arrow'), itemsToArrowStream([item(0), item(1)]));
	// Port 9 (discard): nothing may be sent there; the run must stop before any request.
	writeFileSync(
		join(work.path, 'covw.config.json'),
		JSON.stringify({ endpoints: { paid: { baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'COVW_PLAN_TEST_KEY', models: { 'm-1': {} } } } }, null, 2)
	);
	runs = new ProjectRuns({ root: work.path, runsDir: join(work.path, 'runs'), cacheDir: join(work.path, 'cache'), dataDir: join(work.path, 'data'), env: {} });
});
afterAll(() => work.remove());

describe('naming runs without the API key', () => {
	const spec = { task: 'completion', model: 'paid/m-1', set: ['seed'], judge: 'rules' } as const;

	it('plans (names) the runs of a spec', async () => {
		const plan = await runs.plan(spec as never);
		expect(plan.generationRunId).toMatch(/^gen-completion-paid_m-1-/);
		expect(plan.judgeRunId).toMatch(/^judge-rules-/);
	});

	it('refuses to start one, naming the variable, before a run folder exists', async () => {
		await expect(runs.start(spec as never, {})).rejects.toThrow(/covw\.config\.json:\d+: endpoints\.paid\.apiKeyEnv: environment variable COVW_PLAN_TEST_KEY is not set/);
		expect(existsSync(join(work.path, 'runs')) ? readdirSync(join(work.path, 'runs')).filter((n) => n.startsWith('gen-')) : []).toEqual([]);
	});
});

describe('a config whose apiKeyEnv names another secret', () => {
	it('is refused when a run starts, naming file, line, field and the rule, before a run folder exists', async () => {
		const other = tempDir('covw-keyname-');
		try {
			cpSync(join(work.path, 'datasets'), join(other.path, 'datasets'), { recursive: true });
			cpSync(join(work.path, 'data'), join(other.path, 'data'), { recursive: true });
			writeFileSync(
				join(other.path, 'covw.config.json'),
				JSON.stringify({ endpoints: { paid: { baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'GITHUB_TOKEN', models: { 'm-1': {} } } } }, null, 2)
			);
			const theirs = new ProjectRuns({ root: other.path, runsDir: join(other.path, 'runs'), cacheDir: join(other.path, 'cache'), dataDir: join(other.path, 'data'), env: { GITHUB_TOKEN: 'ghp-not-to-be-sent' } });
			const spec = { task: 'completion', model: 'paid/m-1', set: ['seed'], judge: 'rules' } as const;
			const start = theirs.start(spec as never, {});
			await expect(start).rejects.toThrow(/covw\.config\.json:5: endpoints\.paid\.apiKeyEnv: "GITHUB_TOKEN" is not accepted: the variable must end in _API_KEY/);
			await expect(start).rejects.not.toThrow(/ghp-not-to-be-sent/);
			expect(existsSync(join(other.path, 'runs')) ? readdirSync(join(other.path, 'runs')).filter((n) => n.startsWith('gen-')) : []).toEqual([]);
		} finally {
			other.remove();
		}
	});
});
