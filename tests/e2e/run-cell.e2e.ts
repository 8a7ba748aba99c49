// A notebook's run cell in the browser: start a model run and its judge run from the page, watch
// progress, and see a downstream SQL cell update. The model endpoint is the local TEST DOUBLE
// started by global-setup.ts (tests/support/openai-test-server.ts), not a model.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { withCompletionItems } from './run-cell-setup.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const browser = withCompletionItems();

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';

describe('run cells', () => {
	it('start a run and its judge from the page; progress shows; the downstream SQL cell updates', async () => {
		writeFileSync(
			join(workDir, 'notebooks/run-demo.md'),
			fence('run id=demo', '{"task": "completion", "model": "test-model", "set": ["seed"], "judge": "test-model"}') +
				'\n' +
				fence('sql id=summary', "SELECT count(*)::INT AS judged, count(*) FILTER (WHERE vulnerable)::INT AS vulnerable, count(*) FILTER (WHERE verdict_status = 'unparsed')::INT AS unparsed FROM demo WHERE verdict_status IS NOT NULL")
		);
		const page = await browser().newPage();
		await page.goto(baseURL + '/notebooks/run-demo');
		const summary = page.locator('[data-cell-id="summary"] [data-testid="result-grid"]');
		// Before the run: the view exists and is empty; nothing was started by opening the page.
		await expect.poll(() => summary.locator('[role="row"]').nth(1).textContent(), { timeout: 20_000 }).toMatch(/^1\s*0\s*0\s*0$/);

		await page.getByTestId('run-start').click();
		await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed · generation and judge');
		await expect.poll(() => page.getByTestId('run-progress').textContent()).toMatch(/3\/3 done/);
		// Three seed items: the double writes string-built SQL (judged unsafe), parameterised SQL
		// (safe) and a checked malloc (safe) — see tests/unit/runs/fixtures.ts.
		await expect.poll(() => summary.locator('[role="row"]').nth(1).textContent(), { timeout: 20_000 }).toMatch(/^1\s*3\s*1\s*0$/);
		await page.close();
	});

	it('a run whose server died reads interrupted in a tab that never followed it, with its tokens so far (not 0 beside a cost)', async () => {
		// A finished run of one spec, copied under the id another spec plans, left as a killed
		// server leaves it: manifest 'running' with no totals yet, a lock whose pid is gone.
		writeFileSync(join(workDir, 'notebooks/run-dead-src.md'), fence('run id=src', '{"task": "completion", "model": "test-model", "set": ["seed"], "limit": 2}'));
		// Answers that are paid for: the test above left these prompts' answers in the server's
		// response cache, and rows answered from it cost no tokens (the cell rightly says 0).
		rmSync(join(workDir, 'cache'), { recursive: true, force: true });
		const page = await browser().newPage();
		await page.goto(baseURL + '/notebooks/run-dead-src');
		await page.getByTestId('run-start').click();
		await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed');
		await page.close();
		const plan = async (spec: object) =>
			(await (await fetch(`${baseURL}/api/runs/plan`, { method: 'POST', headers: { origin: baseURL, 'content-type': 'application/json' }, body: JSON.stringify({ spec }) })).json()).plan.generationRunId as string;
		const from = await plan({ task: 'completion', model: 'test-model', set: ['seed'], limit: 2 });
		const dead = await plan({ task: 'completion', model: 'test-model', set: ['seed'], limit: 1 });
		const folder = join(workDir, 'runs', dead);
		cpSync(join(workDir, 'runs', from), folder, { recursive: true });
		const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
		writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ ...manifest, run_id: dead, state: 'running', finished_at: null, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 } }));
		writeFileSync(join(folder, 'lock'), '999999999 deadbeef');
		writeFileSync(join(workDir, 'notebooks/run-dead.md'), fence('run id=dead', '{"task": "completion", "model": "test-model", "set": ["seed"], "limit": 1}'));
		const other = await browser().newPage();
		await other.goto(baseURL + '/notebooks/run-dead');
		await expect.poll(() => other.getByTestId('run-state').textContent(), { timeout: 30_000 }).toMatch(/^interrupted\b/);
		await expect.poll(() => other.getByTestId('run-totals-tokens').textContent(), { timeout: 20_000 }).toMatch(/^[1-9][\d,]* tokens in · [1-9][\d,]* out so far$/);
		expect(await other.getByTestId('run-server-note').textContent()).toContain('closing this tab does not stop it');
		await other.close();
	});

	it('refuses to start a run from another origin', async () => {
		const response = await fetch(`${baseURL}/api/runs`, {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify({ spec: { task: 'completion', model: 'test-model' } })
		});
		expect(response.status).toBe(403);
		const rebinding = await fetch(`${baseURL}/api/runs`, {
			method: 'POST',
			headers: { host: 'evil.example', origin: 'http://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify({ spec: { task: 'completion', model: 'test-model' } })
		});
		expect(rebinding.status).toBe(403);
	});
});
