// A notebook's run cell in the browser: start a model run and its judge run from the page, watch
// progress, and see a downstream SQL cell update. The model endpoint is the local TEST DOUBLE
// started by global-setup.ts (tests/support/openai-test-server.ts), not a model.
import { writeFileSync } from 'node:fs';
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
