// In the page: a new cell added below a cell whose result is not in yet waits for it and is a
// working example over its real columns; two cells with one id follow the CLI's rule (the first
// runs and shows its rows, the later one shows the error naming both lines, a plot reading the id
// draws the first); front matter that is never closed is said above the cells, with file and line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const T = { timeout: 30_000 };
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
const notebookPath = (name: string) => join(workDir, 'notebooks', `${name}.md`);

describe('new cells, duplicate ids and unclosed front matter in the page', () => {
	it('a stats cell added right after a new sql cell reads that cell`s real columns', async () => {
		writeFileSync(notebookPath('new-cells'), ['---', 'title: New cells', '---', '```sql id=scores', 'SELECT model, cc_total_sr1, repair_sr1 FROM paper_table1', '```', ''].join('\n'));
		const page = await openPage('/notebooks/new-cells');
		await expect.poll(() => page.locator('[data-cell-id="scores"] [data-testid="row-count"]').textContent(), T).toBe('20 rows');
		// Two clicks in a row: the sql cell's first run has not finished when the stats cell is added.
		await page.getByTestId('add-sql').last().click();
		await page.getByTestId('add-stats').last().click();
		const stats = page.locator('[data-cell-id="stats_1"]');
		await expect.poll(() => stats.locator('[data-testid="row-count"]').textContent(), T).toBe('4 rows');
		expect(await stats.getByTestId('cell-from-field').inputValue()).toBe('sql_1');
		await expect.poll(() => page.getByTestId('save-state').textContent(), T).toBe('Saved');
		expect(readFileSync(notebookPath('new-cells'), 'utf8')).toContain('```stats id=stats_1 from=sql_1\n{"method": "spearman", "columns": ["cc_total_sr1", "repair_sr1"]}\n```');
		// A plot added after the stats cell draws over the nearest sql cell above, with its columns.
		await page.getByTestId('add-plot').last().click();
		const plot = page.locator('[data-cell-id="plot_1"]');
		await plot.locator('[data-testid="plot"] svg').first().waitFor(T);
		expect(await plot.getByTestId('cell-from-field').inputValue()).toBe('sql_1');
		await page.close();
	});

	it('duplicate ids: the first shows its rows, the later one the error naming both lines, the plot draws', async () => {
		const text = [
			'---',
			'title: Duplicate ids',
			'',
			'```sql id=scores',
			'SELECT model, cc_total_sr1, repair_sr1 FROM paper_table1',
			'```',
			'',
			'```sql id=scores',
			'SELECT 1 AS one',
			'```',
			'',
			'```plot id=fig from=scores',
			'{"marks": [{"type": "dot", "x": "cc_total_sr1", "y": "repair_sr1"}]}',
			'```',
			''
		].join('\n');
		writeFileSync(notebookPath('duplicate-ids'), text);
		const page = await openPage('/notebooks/duplicate-ids');
		const both = page.locator('[data-cell-id="scores"]');
		await expect.poll(() => both.nth(0).locator('[data-testid="row-count"]').textContent(), T).toBe('20 rows');
		await expect.poll(() => both.nth(1).getByTestId('cell-error').textContent(), T).toContain('duplicate id "scores" on line 8: already used by the cell on line 4');
		expect(await both.nth(0).getByTestId('cell-error').count()).toBe(0);
		await page.locator('[data-cell-id="fig"] [data-testid="plot"] svg').first().waitFor(T);
		expect(await page.locator('[data-cell-id="fig"] [data-testid="plot"] circle').count()).toBeGreaterThan(10);
		// The front matter above is never closed: the page says so, with the file and line.
		expect(await page.getByTestId('file-problem').textContent()).toMatch(/^notebooks\/duplicate-ids\.md line 1: the front matter opened on line 1 is never closed/);
		await page.close();
	});

	it('a new markdown cell, and one opened by double-click, takes the focus: typing goes into it, not the cell above', async () => {
		const sql = 'SELECT model FROM paper_table1';
		writeFileSync(notebookPath('focus-cells'), ['A first note.', '', '```sql id=top', sql, '```', ''].join('\n'));
		const page = await openPage('/notebooks/focus-cells');
		await expect.poll(() => page.locator('[data-cell-id="top"] [data-testid="row-count"]').textContent(), T).toBe('20 rows');
		// Put the focus in the sql cell first: the trial's typing went there.
		await page.locator('[data-cell-id="top"] [data-testid="code-editor"]').click();
		await page.getByTestId('add-markdown').last().click();
		await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="cell"]')?.getAttribute('data-kind') ?? null), T).toBe('markdown');
		await page.keyboard.type('Typed into the new cell. ');
		await expect.poll(() => readFileSync(notebookPath('focus-cells'), 'utf8'), T).toContain('Typed into the new cell. Write here.');
		expect(readFileSync(notebookPath('focus-cells'), 'utf8')).toContain('```sql id=top\n' + sql + '\n```');
		// Double-click the first note: its editor opens with the focus.
		await page.locator('[data-cell-id="top"] [data-testid="code-editor"]').click();
		await page.getByTestId('markdown').first().dblclick();
		await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="cell"]')?.getAttribute('data-kind') ?? null), T).toBe('markdown');
		await page.keyboard.press('Control+Home');
		await page.keyboard.type('Before. ');
		await expect.poll(() => readFileSync(notebookPath('focus-cells'), 'utf8'), T).toMatch(/^Before\. A first note\./);
		expect(readFileSync(notebookPath('focus-cells'), 'utf8')).toContain('```sql id=top\n' + sql + '\n```');
		await page.close();
	});
});
