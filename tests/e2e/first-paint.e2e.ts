// Opening a notebook draws it from the server's recording (lib/server/first-paint/) while the
// page's DuckDB-WASM is held back, with the results the page's own engine gives, no console
// error; then the page's engine takes over (an edited cell re-runs on it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const NAME = 'first-paint-figure4';
const PLOTS = ['completion_vs_repair', 'bump_chart', 'heatmap'];

/** What each cell shows: its row count, and each plot's text (ticks, labels) and marks. */
async function shown(page: Page): Promise<Record<string, string>> {
	return page.evaluate(() => {
		const out: Record<string, string> = {};
		for (const cell of document.querySelectorAll('[data-cell-id]')) {
			const id = cell.getAttribute('data-cell-id')!;
			const rows = cell.querySelector('[data-testid="row-count"]')?.textContent ?? '';
			const svgs = [...cell.querySelectorAll('[data-testid="plot"] svg')];
			const marks = svgs.map((s) => `${s.textContent}|${s.querySelectorAll('circle, path, rect, text').length}`).join('/');
			const error = cell.querySelector('[data-testid="cell-error"]')?.textContent ?? '';
			out[id] = `${rows}#${marks}#${error}`;
		}
		return out;
	});
}

async function open(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(`${baseURL}/notebooks/${NAME}`);
	for (const id of PLOTS) await page.locator(`[data-cell-id="${id}"] [data-testid="plot"] svg`).first().waitFor({ timeout: 60_000 });
	// Cells after the plots (the verdict table) may still be running: wait for every output.
	await expect
		.poll(() => page.evaluate(() => [...document.querySelectorAll('[data-testid="cell"]:not([data-kind="markdown"])')].filter((c) => !c.querySelector('[data-testid="cell-output"]')).length), {
			timeout: 60_000
		})
		.toBe(0);
	return { page, errors };
}

describe('first paint', () => {
	it('draws figure4 before DuckDB-WASM is loaded, as DuckDB-WASM draws it, and hands over to it', async () => {
		writeFileSync(join(workDir, 'notebooks', `${NAME}.md`), readFileSync(join(workDir, 'notebooks', 'figure4-correlations.md'), 'utf8'));
		// The first request starts the recording (a child process); wait until it is made.
		await expect
			.poll(async () => (await fetch(`${baseURL}/api/notebooks/${NAME}/first-paint`)).status, { timeout: 120_000, interval: 1000 })
			.toBe(200);

		// Reference: the page's own engine only (the recording refused).
		const plain = await browser.newContext({ viewport: { width: 1300, height: 900 } });
		await plain.route('**/first-paint', (route) => route.fulfill({ status: 204 }));
		const reference = await open(plain);
		const expected = await shown(reference.page);
		expect(Object.keys(expected).length).toBeGreaterThan(4);
		expect(reference.errors).toEqual([]);
		await plain.close();

		// First paint: DuckDB-WASM's worker script and wasm are held back until the plots are drawn.
		const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
		let release!: () => void;
		const held = new Promise<void>((ok) => (release = ok));
		const asked: string[] = [];
		const hold = async (route: import('playwright-core').Route) => {
			asked.push(route.request().url());
			await held;
			await route.continue();
		};
		await context.route('**/*.wasm', hold);
		await context.route('**/duckdb-browser-*.worker*.js', hold);
		const painted = await open(context);
		expect(await shown(painted.page)).toEqual(expected);
		// The page did ask for the worker, and it is still held: the plots came without DuckDB-WASM.
		await expect.poll(() => asked.length, { timeout: 30_000 }).toBeGreaterThan(0);
		expect(asked.some((url) => url.endsWith('.wasm'))).toBe(false);

		// The page's engine takes over: an edit re-runs on it, over the views the recording made.
		release();
		const editor = painted.page.locator('[data-cell-id="scores"] .cm-content');
		await editor.click();
		await painted.page.keyboard.press('Control+End');
		await painted.page.keyboard.type(`\nWHERE "group" = 'proprietary'`);
		await painted.page.keyboard.press('Shift+Enter');
		await expect
			.poll(() => painted.page.locator('[data-cell-id="completion_vs_repair"] [data-testid="plot"] g[aria-label="dot"] circle').count(), { timeout: 60_000 })
			.toBe(4);
		await expect.poll(() => painted.page.locator('[data-cell-id="ranks"] [data-testid="row-count"]').textContent(), { timeout: 30_000 }).toBe('20 rows');
		expect(painted.errors).toEqual([]);
		await context.close();
	}, 240_000);
});
