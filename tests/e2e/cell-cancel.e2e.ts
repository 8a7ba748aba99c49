// A long SQL cell shows that it runs, with its elapsed time and a Cancel that stops it in
// DuckDB-WASM (trial-red w9 #5); afterwards the cell says "cancelled", the cell reading it waits,
// and the engine answers the next query. And a notebook file over the size limit is listed as
// not openable, with the reason, and opening it says why (w9 #7, #8).
import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const cell = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"]`);

/** Types at the end of a cell's editor and runs it (Shift+Enter). */
async function appendAndRun(page: Page, id: string, text: string): Promise<void> {
	await cell(page, id).locator('.cm-content').click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
	await page.keyboard.press('Escape'); // closes the completion list, which would take the Shift+Enter
	await page.keyboard.press('Shift+Enter');
}

describe('a long SQL cell', () => {
	it('shows it runs, with the time; Cancel stops it; the cell below waits; the engine answers again', async () => {
		// Cheap as saved (the server's first paint runs it on open); made long on the page.
		writeFileSync(
			join(workDir, 'notebooks', 'long-query.md'),
			'---\ntitle: long query\n---\n```sql id=hog\nSELECT count(*) AS n FROM range(10) a\n```\n\n```sql id=after_hog\nSELECT n + 1 AS m FROM hog\n```\n\n```sql id=cheap\nSELECT 42\n```\n'
		);
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		try {
			await page.goto(baseURL + '/notebooks/long-query');
			await expect.poll(() => cell(page, 'cheap').getByTestId('row-count').textContent(), { timeout: 30_000 }).toBe('1 rows');

			// 10 × 2e9 × 1000 rows: hours, unless it is stopped.
			await appendAndRun(page, 'hog', ', range(2000000000) b, range(1000) c');
			const running = cell(page, 'hog').getByTestId('cell-running');
			await running.waitFor({ timeout: 15_000 });
			await expect.poll(() => running.textContent(), { timeout: 10_000 }).toMatch(/running… [1-9]\d* s/);

			await cell(page, 'hog').getByTestId('cell-cancel').click();
			await expect.poll(() => cell(page, 'hog').textContent(), { timeout: 10_000 }).toContain('cancelled after');
			expect(await running.count()).toBe(0);
			await expect.poll(() => cell(page, 'after_hog').textContent(), { timeout: 10_000 }).toMatch(/Not run: upstream cell "hog" \(line \d+\)/);

			// The database is free again: a new query answers at once (with a query still running in
			// the worker, it would wait behind it and this would time out).
			await appendAndRun(page, 'cheap', ' + 1');
			await expect.poll(() => cell(page, 'cheap').getByTestId('result-grid').textContent(), { timeout: 10_000 }).toContain('43');
		} finally {
			await page.close();
			rmSync(join(workDir, 'notebooks', 'long-query.md'), { force: true });
		}
	});
});

describe('a second cell run while a long one runs, then Cancel (review10 #1)', () => {
	it('the long cell says cancelled, not its old result; the cell reading it waits; the second cell answers', async () => {
		writeFileSync(
			join(workDir, 'notebooks', 'long-two.md'),
			'---\ntitle: long two\n---\n```sql id=hog\nSELECT count(*) AS n FROM range(10) a\n```\n\n```sql id=after_hog\nSELECT n + 1 AS m FROM hog\n```\n\n```sql id=cheap\nSELECT 42 AS v\n```\n'
		);
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		try {
			await page.goto(baseURL + '/notebooks/long-two');
			await expect.poll(() => cell(page, 'cheap').getByTestId('row-count').textContent(), { timeout: 30_000 }).toBe('1 rows');
			await appendAndRun(page, 'hog', ', range(2000000000) b, range(1000) c');
			await cell(page, 'hog').getByTestId('cell-running').waitFor({ timeout: 15_000 });
			await appendAndRun(page, 'cheap', ', 1 AS w'); // waits behind hog's run
			await page.waitForTimeout(1000);
			await cell(page, 'hog').getByTestId('cell-cancel').click();
			await expect.poll(() => cell(page, 'cheap').getByTestId('result-grid').textContent(), { timeout: 15_000 }).toContain('w');
			await expect.poll(() => cell(page, 'hog').textContent(), { timeout: 10_000 }).toContain('cancelled after');
			expect(await cell(page, 'hog').getByTestId('result-grid').count()).toBe(0);
			await expect.poll(() => cell(page, 'after_hog').textContent(), { timeout: 10_000 }).toMatch(/Not run: upstream cell "hog" \(line \d+\)/);
			expect(await cell(page, 'after_hog').getByTestId('result-grid').count()).toBe(0);
		} finally {
			await page.close();
			rmSync(join(workDir, 'notebooks', 'long-two.md'), { force: true });
		}
	});
});

describe('Export HTML while a long SQL cell runs', () => {
	it('offers "Export now" while it waits; Cancel on the cell lets the export go ahead', async () => {
		writeFileSync(
			join(workDir, 'notebooks', 'long-export.md'),
			'---\ntitle: long export\n---\n```sql id=hog\nSELECT count(*) AS n FROM range(10) a\n```\n\n```sql id=cheap\nSELECT 42\n```\n'
		);
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 }, acceptDownloads: true });
		try {
			await page.goto(baseURL + '/notebooks/long-export');
			await expect.poll(() => cell(page, 'cheap').getByTestId('row-count').textContent(), { timeout: 30_000 }).toBe('1 rows');
			await appendAndRun(page, 'hog', ', range(2000000000) b, range(1000) c');
			await cell(page, 'hog').getByTestId('cell-running').waitFor({ timeout: 15_000 });

			const button = page.getByTestId('export-html');
			await button.click();
			// Waiting, but not locked: the button exports now on a click (and by itself after 20 s).
			await expect.poll(() => button.textContent(), { timeout: 5_000 }).toMatch(/^Export now/);
			expect(await button.isDisabled()).toBe(false);
			const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), cell(page, 'hog').getByTestId('cell-cancel').click()]);
			expect(download.suggestedFilename()).toBe('long-export.html');
			await expect.poll(() => button.textContent(), { timeout: 5_000 }).toBe('Export HTML');

			// Running again: "Export now" exports at once.
			await appendAndRun(page, 'hog', ' ');
			await cell(page, 'hog').getByTestId('cell-running').waitFor({ timeout: 15_000 });
			await button.click();
			await expect.poll(() => button.textContent(), { timeout: 5_000 }).toMatch(/^Export now/);
			const [now] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), button.click()]);
			expect(now.suggestedFilename()).toBe('long-export.html');
			await cell(page, 'hog').getByTestId('cell-cancel').click();
		} finally {
			await page.close();
			rmSync(join(workDir, 'notebooks', 'long-export.md'), { force: true });
		}
	});
});

describe('a notebook over the size limit', () => {
	it('is listed as not openable with the reason; opening it says why; the others open', async () => {
		const big = join(workDir, 'notebooks', 'zz-too-big.md');
		writeFileSync(big, '');
		truncateSync(big, 6 * 1024 * 1024); // sparse: 6 MiB, over the 5 MiB limit
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		try {
			await page.goto(baseURL + '/');
			const item = page.getByTestId('notebook-too-large');
			await item.waitFor({ timeout: 15_000 });
			expect(await item.textContent()).toMatch(/zz-too-big.*notebooks\/zz-too-big\.md.*6 MiB.*limit of 5 MiB/);
			expect(await page.getByTestId('notebook-list').locator('a', { hasText: 'zz-too-big' }).count()).toBe(0);
			expect(await page.getByTestId('notebook-list').locator('a', { hasText: 'figure4-correlations' }).count()).toBe(1);

			await page.goto(baseURL + '/notebooks/zz-too-big');
			await expect.poll(() => page.getByTestId('load-error').textContent(), { timeout: 15_000 }).toMatch(/zz-too-big\.md.*limit of 5 MiB/);
		} finally {
			await page.close();
			rmSync(big, { force: true });
		}
	});
});
