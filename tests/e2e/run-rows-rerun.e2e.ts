// The table3 trial from the page: start a completion cell (judged by the rule judge), then its
// self-detection cell, then its self-repair cell. When each run ends, the cells that read the
// run tables directly — no graph edge leads to them from the run cell, as table3's `chains`
// reads `runs` and `verdicts` — show its rows without a reload. The model endpoint is the local
// TEST DOUBLE started by global-setup.ts, not a model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { withCompletionItems } from './run-cell-setup.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const browser = withCompletionItems();

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n\n';

/** The `landed` cell's one row: [zero-shot verdicts, self-repair generations, generations]. */
async function landed(page: Page): Promise<number[]> {
	const cells = page.locator('[data-cell-id="landed"] [data-testid="result-grid"] [role="row"]').nth(1).locator('[role="cell"]');
	return (await cells.allTextContents()).map((t) => Number(t.replace(/[^0-9]/g, '')));
}

describe('run cells re-run what reads the run tables', () => {
	it('after a completion, a self-detection and a self-repair run, without a reload', async () => {
		writeFileSync(
			join(workDir, 'notebooks/rerun-demo.md'),
			fence('run id=gen', '{"task": "completion", "model": "test-model", "set": ["seed"], "limit": 3, "seed": 7, "judge": "rules"}') +
				fence('run id=self', '{"task": "self-detection", "from": "gen"}') +
				fence('run id=repair', '{"task": "self-repair", "from": "gen"}') +
				fence(
					'sql id=landed',
					"SELECT (SELECT count(*) FROM verdicts WHERE template = 'zeroshot')::INT AS zeroshot, (SELECT count(*) FROM generations WHERE run_id LIKE 'self-repair-%')::INT AS repairs, (SELECT count(*) FROM generations)::INT AS generations"
				)
		);
		const page = await browser().newPage();
		await page.goto(baseURL + '/notebooks/rerun-demo');
		await expect.poll(() => page.locator('[data-cell-id="landed"] [data-testid="result-grid"] [role="row"]').count(), { timeout: 20_000 }).toBeGreaterThan(1);
		const [zeroshot0, repairs0, generations0] = await landed(page);

		const cell = (id: string) => page.locator(`[data-cell-id="${id}"]`);
		await cell('gen').getByTestId('run-start').click();
		await expect.poll(() => cell('gen').getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed · generation and judge');
		// Three programs (the seed 7 names runs of this test only).
		await expect.poll(async () => (await landed(page))[2], { timeout: 20_000 }).toBe(generations0 + 3);

		await cell('self').getByTestId('run-start').click();
		await expect.poll(() => cell('self').getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed');
		await expect.poll(async () => (await landed(page))[0], { timeout: 20_000 }).toBe(zeroshot0 + 3);

		// Self-repair: a repair run, then the rule judge over it (the double's repair holds no code
		// here, so that judge run has no rows: the repair's own row is what must land).
		await cell('repair').getByTestId('run-start').click();
		await expect.poll(() => cell('repair').getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('completed · repairs and judge');
		await expect.poll(async () => (await landed(page))[1], { timeout: 20_000 }).toBe(repairs0 + 1);
		expect((await landed(page))[2]).toBe(generations0 + 4);
		await page.close();
	});
});
