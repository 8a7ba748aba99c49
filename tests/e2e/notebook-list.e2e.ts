// Managing notebooks from the sidebar, and downloading results and plots.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const notebooks = join(workDir, 'notebooks');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Answers the next prompt()/confirm() with `answer`. */
function answerNextDialog(page: Page, answer?: string): void {
	page.once('dialog', (dialog) => void dialog.accept(answer));
}

describe('notebook list', () => {
	it('creates, renames and deletes a notebook; a deleted one goes to the trash, not away', async () => {
		const page = await browser.newPage();
		await page.goto(baseURL + '/');
		const list = page.getByTestId('notebook-list');
		await expect.poll(() => list.textContent(), { timeout: 10_000 }).toContain('figure4-correlations');

		answerNextDialog(page, 'scratch-pad');
		await page.getByTestId('new-notebook').click();
		await page.waitForURL('**/notebooks/scratch-pad');
		await expect.poll(() => page.locator('[data-cell-id="first_query"] [data-testid="row-count"]').textContent(), {
			timeout: 20_000
		}).toBe('10 rows');
		expect(existsSync(join(notebooks, 'scratch-pad.md'))).toBe(true);

		const item = list.locator('li', { hasText: 'scratch-pad' });
		answerNextDialog(page, 'renamed-pad');
		await item.hover();
		await item.getByTitle('Rename').click();
		await page.waitForURL('**/notebooks/renamed-pad');
		expect(existsSync(join(notebooks, 'scratch-pad.md'))).toBe(false);
		expect(readFileSync(join(notebooks, 'renamed-pad.md'), 'utf8')).toContain('paper_table1');

		const renamed = list.locator('li', { hasText: 'renamed-pad' });
		answerNextDialog(page);
		await renamed.hover();
		await renamed.getByTitle('Delete').click();
		await page.waitForURL(baseURL + '/');
		expect(existsSync(join(notebooks, 'renamed-pad.md'))).toBe(false);
		expect(readdirSync(join(notebooks, '.trash')).some((f) => f.startsWith('renamed-pad'))).toBe(true);
		await page.close();
	});

	it('an invalid new-notebook name is refused next to the New button, not at the foot of the sidebar', async () => {
		const page = await browser.newPage();
		await page.goto(baseURL + '/');
		await expect.poll(() => page.getByTestId('notebook-list').textContent(), { timeout: 10_000 }).toContain('figure4-correlations');
		answerNextDialog(page, 'Bad Name');
		await page.getByTestId('new-notebook').click();
		const message = page.getByTestId('notebook-message');
		await expect.poll(() => message.textContent(), { timeout: 10_000 }).toMatch(/name/i);
		const button = (await page.getByTestId('new-notebook').boundingBox())!;
		const box = (await message.boundingBox())!;
		const list = (await page.getByTestId('notebook-list').boundingBox())!;
		// Right under the button, above the notebook list.
		expect(box.y).toBeGreaterThanOrEqual(button.y + button.height - 1);
		expect(box.y).toBeLessThan(list.y);
		await page.close();
	});

	it('refuses a notebook name that would leave the notebooks folder', async () => {
		const response = await fetch(`${baseURL}/api/notebooks`, {
			method: 'POST',
			headers: { origin: baseURL, 'content-type': 'application/json' },
			body: JSON.stringify({ name: '../escaped' })
		});
		expect(response.status).toBe(400);
		expect(existsSync(join(workDir, 'escaped.md'))).toBe(false);
		const read = await fetch(`${baseURL}/api/notebooks/..%2Fpackage`);
		expect(read.status).toBe(400);
	});
});

describe('downloads', () => {
	it('downloads a result as CSV and Arrow, and a plot as SVG and PNG', async () => {
		const page = await browser.newPage();
		await page.goto(baseURL + '/notebooks/paper-average');
		const table = page.locator('[data-cell-id="summary"]');
		await expect.poll(() => table.getByTestId('row-count').textContent(), { timeout: 20_000 }).toBe('1 rows');

		const save = async (scope: typeof table, button: string) => {
			const [download] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name: button }).click()]);
			const path = await download.path();
			return { name: download.suggestedFilename(), bytes: readFileSync(path!) };
		};
		const csv = await save(table, 'CSV');
		expect(csv.name).toBe('summary.csv');
		expect(csv.bytes.toString('utf8').split('\r\n')[0]).toBe('models,max_abs_difference,within_rounding');
		expect(csv.bytes.toString('utf8').split('\r\n')[1]).toMatch(/^20,0\.005,20$/);

		const arrow = await save(table, 'Arrow');
		expect(arrow.bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1');

		const plot = page.locator('[data-cell-id="difference_per_model"]');
		await plot.locator('[data-testid="plot"] svg').first().waitFor();
		const svg = await save(plot, 'SVG');
		expect(svg.bytes.toString('utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
		const png = await save(plot, 'PNG');
		expect([...png.bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
		await page.close();
	});
});
