// The workbench in a real browser: the built app, Debian's Chromium, temporary copies of the
// notebooks and data (see global-setup.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

async function openPage(path: string): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	await page.goto(baseURL + path);
	return page;
}

/** Dots drawn by a plot cell's dot mark. */
function dotCount(page: Page, cellId: string): Promise<number> {
	return page.locator(`[data-cell-id="${cellId}"] [data-testid="plot"] g[aria-label="dot"] circle`).count();
}

async function waitForPlot(page: Page, cellId: string): Promise<void> {
	await page.locator(`[data-cell-id="${cellId}"] [data-testid="plot"] svg`).first().waitFor({ timeout: 30_000 });
}

/** Types at the end of a cell's CodeMirror editor and runs it with Shift+Enter. */
async function appendToCell(page: Page, cellId: string, text: string): Promise<void> {
	const editor = page.locator(`[data-cell-id="${cellId}"] .cm-content`);
	await editor.click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
	await page.keyboard.press('Shift+Enter');
}

function writeNotebook(name: string, text: string): void {
	writeFileSync(join(workDir, 'notebooks', `${name}.md`), text);
}

describe('figure4-correlations', () => {
	it('draws the completion-vs-repair plot with one dot per model (20)', async () => {
		const page = await openPage('/notebooks/figure4-correlations');
		await waitForPlot(page, 'completion_vs_repair');
		expect(await dotCount(page, 'completion_vs_repair')).toBe(20);
		await expect
			.poll(() => page.locator('[data-cell-id="heatmap"] [data-testid="plot"] svg').count(), { timeout: 30_000 })
			.toBeGreaterThan(0);
		expect(await page.locator('[data-testid="cell-error"]').count()).toBe(0);
		await page.close();
	});

	it('re-runs downstream cells when a SQL cell is edited, and saves the edit to disk', async () => {
		const page = await openPage('/notebooks/figure4-correlations');
		await waitForPlot(page, 'completion_vs_repair');
		await appendToCell(page, 'scores', `\nWHERE "group" = 'proprietary'`);
		// Four proprietary models in Table 1.
		await expect.poll(() => dotCount(page, 'completion_vs_repair'), { timeout: 15_000 }).toBe(4);
		await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved');

		const onDisk = readFileSync(join(workDir, 'notebooks/figure4-correlations.md'), 'utf8');
		expect(onDisk).toContain(`FROM paper_table1\nWHERE "group" = 'proprietary'\n\`\`\``);

		await page.reload();
		await waitForPlot(page, 'completion_vs_repair');
		expect(await dotCount(page, 'completion_vs_repair')).toBe(4);
		await expect(page.locator('[data-cell-id="scores"] .cm-content').textContent()).resolves.toContain(
			`WHERE "group" = 'proprietary'`
		);
		await page.close();
	});
});

describe('errors stay on their cell', () => {
	it('a broken cell shows its error and line while the others render; its dependents are blocked', async () => {
		writeNotebook(
			'broken',
			[
				'---',
				'title: Broken on purpose',
				'---',
				'```sql id=good',
				'SELECT model, cc_total_sr1 AS x, repair_sr1 AS y FROM paper_table1',
				'```',
				'',
				'```sql id=bad',
				'SELECT no_such_column FROM paper_table1',
				'```',
				'',
				'```sql id=after_bad',
				'SELECT * FROM bad',
				'```',
				'',
				'```plot id=fine from=good',
				'{"marks": [{"type": "dot", "x": "x", "y": "y"}]}',
				'```',
				''
			].join('\n')
		);
		const page = await openPage('/notebooks/broken');
		await waitForPlot(page, 'fine');
		expect(await dotCount(page, 'fine')).toBe(20);
		const badError = page.locator('[data-cell-id="bad"] [data-testid="cell-error"]');
		await expect.poll(() => badError.textContent()).toContain('no_such_column');
		// The user's SQL with the cell's line numbers, not the CREATE VIEW wrapper or the file's line.
		expect(await badError.textContent()).toContain('line 1 of the cell:\n1 | SELECT no_such_column FROM paper_table1');
		expect(await badError.textContent()).not.toMatch(/CREATE|LINE \d/);
		// Its dependent is no second error: one quiet line naming the cell it waits for.
		const waits = page.locator('[data-cell-id="after_bad"] [data-testid="cell-waits"]');
		await expect.poll(() => waits.textContent()).toMatch(/^Not run: upstream cell "bad" \(line \d+\) failed\.$/);
		expect(await page.locator('[data-cell-id="after_bad"] [data-testid="cell-error"]').count()).toBe(0);
		expect(await waits.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(107, 114, 128)');
		expect(await page.locator('[data-cell-id="good"] [data-testid="row-count"]').textContent()).toBe('20 rows');
		await page.close();
	});

	it('a CSV with a bad line is listed with an error naming the file and line; other tables load', async () => {
		const folder = join(workDir, 'datasets/user');
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'broken_rows.csv'), 'a,b,c\n1,2,3\n4,5,6\n7,8\n');
		writeFileSync(join(folder, 'fine_rows.csv'), 'a,b\n1,2\n');
		const page = await openPage('/');
		const error = page.getByTestId('table-error');
		await expect.poll(() => error.first().textContent(), { timeout: 15_000 }).toContain('user/broken_rows.csv line 4');
		await expect.poll(() => page.getByTestId('table-list').textContent(), { timeout: 15_000 }).toMatch(/fine_rows\s*1 rows/);
		await page.close();
	});

	it('a long table name keeps its row count on its own line in the sidebar', async () => {
		const folder = join(workDir, 'datasets/user');
		mkdirSync(folder, { recursive: true });
		writeFileSync(join(folder, 'a_rather_long_table_name_of_labelled_items.csv'), 'a\n1\n2\n');
		const page = await openPage('/');
		const row = page.locator('[data-testid="table-list"] li', { hasText: 'a_rather_long_table_name_of_labelled_items' });
		await expect.poll(() => row.locator('.rows').textContent(), { timeout: 15_000 }).toBe('2 rows');
		// Both boxes from one layout: measured one call apart, the list could reflow in between (a CI
		// run read the name at y 364 and the count at y 782, as more tables arrived).
		const [name, count] = await row.evaluate((li) =>
			[li.querySelector('[data-testid="schema-table"]')!, li.querySelector('.rows')!].map((el) => {
				const r = el.getBoundingClientRect();
				return { y: r.y, height: r.height };
			})
		);
		// Same line: the count's box overlaps the name's vertically, and stays inside the sidebar row.
		expect(count.y).toBeLessThan(name.y + name.height);
		expect(count.y + count.height).toBeGreaterThan(name.y);
		// The whole name is reachable: shown in full (wrapped, not cut with an ellipsis) and in its title.
		const box = row.locator('.table-name');
		expect(await box.evaluate((el) => [el.scrollWidth <= el.clientWidth, getComputedStyle(el).textOverflow])).toEqual([true, 'clip']);
		expect(await row.getByTestId('schema-table').innerText()).toBe('a_rather_long_table_name_of_labelled_items');
		expect(await row.getByTestId('schema-table').getAttribute('title')).toContain('a_rather_long_table_name_of_labelled_items');
		await page.close();
	});
});

describe('results', () => {
	it('shows a 100,000-row result with its count and keeps the DOM small while scrolling', async () => {
		writeNotebook('big', '```sql id=big\nSELECT range AS i, range * 2 AS twice FROM range(100000)\n```\n');
		const page = await openPage('/notebooks/big');
		const count = page.locator('[data-cell-id="big"] [data-testid="row-count"]');
		await expect.poll(() => count.textContent(), { timeout: 20_000 }).toBe('100,000 rows');
		const grid = page.locator('[data-cell-id="big"] [data-testid="result-grid"]');
		expect(await grid.locator('[role="row"]').count()).toBeLessThan(100);
		await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
		await expect.poll(() => grid.textContent()).toContain('199998');
		expect(await grid.locator('[role="row"]').count()).toBeLessThan(100);
		await page.close();
	});
});

describe('safety', () => {
	it('renders markdown HTML and result strings as text, never as elements', async () => {
		writeNotebook(
			'xss',
			[
				'Some <img src=x onerror="window.__pwned=1"> markdown <script>window.__pwned=2</script>',
				'',
				'```sql id=payload',
				`SELECT '<img src=x onerror="window.__pwned=3">' AS code`,
				'```',
				''
			].join('\n')
		);
		const page = await openPage('/notebooks/xss');
		await expect.poll(() => page.locator('[data-cell-id="payload"] [data-testid="row-count"]').textContent()).toBe('1 rows');
		expect(await page.locator('main img').count()).toBe(0);
		expect(await page.locator('main script').count()).toBe(0);
		expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
		await expect(page.locator('main').textContent()).resolves.toContain('<img src=x onerror="window.__pwned=3">');
		await page.close();
	});

	it('refuses a cross-origin request to change a notebook', async () => {
		const response = await fetch(`${baseURL}/api/notebooks`, {
			method: 'POST',
			headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'planted' })
		});
		expect(response.status).toBe(403);
		const list = await (await fetch(`${baseURL}/api/notebooks`)).json();
		expect(list.map((n: { name: string }) => n.name)).not.toContain('planted');
	});
});

describe('saving', () => {
	it('does not overwrite a notebook that changed on disk since it was opened', async () => {
		writeNotebook('shared', '```sql id=one\nSELECT 1 AS n\n```\n');
		const page = await openPage('/notebooks/shared');
		await expect.poll(() => page.locator('[data-cell-id="one"] [data-testid="row-count"]').textContent()).toBe('1 rows');
		const theirs = '```sql id=one\nSELECT 2 AS n\n```\n';
		writeNotebook('shared', theirs);
		await appendToCell(page, 'one', ', 3 AS m');
		await page.getByTestId('conflict').waitFor({ timeout: 10_000 });
		expect(readFileSync(join(workDir, 'notebooks/shared.md'), 'utf8')).toBe(theirs);
		await page.getByRole('button', { name: /Load the version on disk/ }).click();
		await expect.poll(() => page.locator('[data-cell-id="one"] .cm-content').textContent()).toContain('SELECT 2 AS n');
		await page.close();
	});
});
