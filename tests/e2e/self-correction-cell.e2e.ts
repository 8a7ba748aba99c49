// Table 3 from the page: a completion run cell judged by the rule judge, and a self-detection
// cell that reads it through "from". Opening starts nothing; the self-detection cell refuses to
// start before its source cell ran; once it has, starting it asks the same model about each of
// its own programs, and a downstream SQL cell counts the model's verdicts beside the reference's.
// The model endpoint is the local TEST DOUBLE started by global-setup.ts, not a model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { withCompletionItems } from './run-cell-setup.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const browser = withCompletionItems();

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n\n';

describe('self-detection run cell', () => {
	it('starts after its source cell ran, and its rows reach a downstream SQL cell', async () => {
		writeFileSync(
			join(workDir, 'notebooks/self-detection-demo.md'),
			fence('run id=gen', '{"task": "completion", "model": "test-model", "set": ["seed"], "limit": 3, "judge": "rules"}') +
				fence('run id=self', '{"task": "self-detection", "from": "gen"}') +
				fence(
					'sql id=agree',
					'SELECT count(*)::INT AS asked, count(*) FILTER (WHERE self_status = \'ok\')::INT AS answered, count(*) FILTER (WHERE reference_status = \'ok\')::INT AS with_reference FROM self'
				)
		);
		const page = await browser().newPage();
		await page.goto(baseURL + '/notebooks/self-detection-demo');
		const agree = page.locator('[data-cell-id="agree"] [data-testid="result-grid"]');
		const self = page.locator('[data-cell-id="self"]');
		const gen = page.locator('[data-cell-id="gen"]');
		// Opening starts nothing: the view exists and is empty.
		await expect.poll(() => agree.locator('[role="row"]').nth(1).textContent(), { timeout: 20_000 }).toMatch(/^1\s*0\s*0\s*0$/);
		await expect.poll(() => self.getByTestId('run-panel').textContent()).toMatch(/self-detection run .*from completion run gen-/);

		// Before its source ran: a clear refusal, nothing sent.
		await self.getByTestId('run-start').click();
		await expect.poll(() => self.getByTestId('run-state').textContent(), { timeout: 20_000 }).toBe('failed');
		await expect.poll(() => self.locator('pre.error').first().textContent()).toMatch(/run cell "gen" has not finished: its completion run \S+ is not started; start that cell first/);

		await gen.getByTestId('run-start').click();
		await expect.poll(() => gen.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed · generation and judge');

		await self.getByTestId('run-start').click();
		await expect.poll(() => self.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed');
		await expect.poll(() => self.getByTestId('run-progress').textContent()).toMatch(/self-detection: 3\/3 done/);
		// Three seed programs, each asked about once, each with the rule judge's verdict beside it.
		await expect.poll(() => agree.locator('[role="row"]').nth(1).textContent(), { timeout: 20_000 }).toMatch(/^1\s*3\s*3\s*3$/);
		await page.close();
	});
});
