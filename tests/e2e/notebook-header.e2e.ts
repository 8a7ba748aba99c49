// No hidden band under a notebook's title: a markdown cell's controls (hover only) once took a
// header's height while invisible, so the first text sat ~70 px below the title. They float now,
// show on hover and still work; while the cell is edited they are in the flow.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
let browser: Browser;
let page: Page;

beforeAll(async () => {
	writeFileSync(
		join(workDir, 'notebooks', 'header-gap.md'),
		['---', 'title: A title over text', '---', 'First paragraph under the title.', '', 'Second paragraph.', '', '```sql id=one', 'SELECT 1 AS a', '```', ''].join('\n')
	);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	await page.goto(`${baseURL}/notebooks/header-gap`);
	await page.locator('[data-testid="markdown"] p').first().waitFor({ timeout: 30_000 });
});
afterAll(async () => {
	await browser?.close();
});

const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('notebook title and text cells', () => {
	it('the first text follows the title with no empty band between them', async () => {
		await page.mouse.move(5, 890); // not over a cell
		const title = await box('h1');
		const cell = await box('[data-kind="markdown"]');
		const text = await box('[data-testid="markdown"] p');
		// The cell's own padding (0.5rem) and a border: nothing else above its text.
		expect(text.y - cell.y).toBeLessThanOrEqual(10);
		expect(text.y - (title.y + title.height)).toBeLessThan(45);
		expect(await page.locator('[data-kind="markdown"] header').first().isVisible()).toBe(false);
	});

	it('the controls show on hover and work; editing puts them in the flow', async () => {
		const cell = page.locator('[data-kind="markdown"]').first();
		await cell.hover();
		const edit = cell.getByRole('button', { name: 'Edit' });
		await edit.waitFor({ state: 'visible' });
		await edit.click();
		await cell.locator('.cm-content').waitFor();
		const header = (await cell.locator('header').boundingBox())!;
		const editor = (await cell.locator('.cm-content').boundingBox())!;
		expect(header.y + header.height).toBeLessThanOrEqual(editor.y); // above the editor, not over it
		await cell.getByRole('button', { name: 'Done' }).click();
		await cell.locator('[data-testid="markdown"]').waitFor();
	});
});
