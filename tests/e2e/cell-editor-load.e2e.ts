// Cell editors load after a notebook's first paint (workbench/editor/editor-gate.ts). Until then a
// cell's source is plain text that a keyboard user can focus and open with Enter; a failed load of
// the editor's code says so. The editor's code is held back (or refused) by routing the scripts
// that hold CodeMirror.
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** CodeMirror's view module names this class; no other script of the app does. */
const CODEMIRROR_MARK = 'cm-content';
const NOTEBOOK = '/notebooks/paper-average';
const CELL = 'difference_per_model';

/**
 * Routes the app's scripts; those holding CodeMirror go to `onEditorScript` (to hold back or
 * refuse), the others pass. Routing also turns the browser's cache off, so every script is asked for.
 */
async function routeEditorScripts(context: BrowserContext, onEditorScript: (route: Route, body: Buffer) => Promise<void>): Promise<void> {
	await context.route('**/_app/immutable/**/*.js', async (route) => {
		const response = await route.fetch();
		const body = await response.body();
		if (body.includes(CODEMIRROR_MARK)) await onEditorScript(route, body);
		else await route.fulfill({ response, body });
	});
}

async function openNotebook(context: BrowserContext): Promise<Page> {
	const page = await context.newPage();
	await page.goto(baseURL + NOTEBOOK);
	await page.locator(`[data-cell-id="${CELL}"] [data-testid="code-source"]`).waitFor({ timeout: 30_000 });
	return page;
}

describe('cell editors before they load', () => {
	it('a plain source opened with Enter becomes that cell\'s editor, focused, once the code arrives', async () => {
		const context = await browser.newContext();
		let releaseScripts: () => void = () => {};
		const released = new Promise<void>((resolve) => (releaseScripts = resolve));
		let heldBack = 0;
		await routeEditorScripts(context, async (route, body) => {
			heldBack++;
			await released;
			await route.fulfill({ body, contentType: 'text/javascript' });
		});
		try {
			const page = await openNotebook(context);
			await expect.poll(() => heldBack, { timeout: 30_000 }).toBeGreaterThan(0);
			const source = page.locator(`[data-cell-id="${CELL}"] [data-testid="code-source"]`);
			await source.focus();
			await page.keyboard.press('Enter');
			// Nothing is built while the code is held back: the source stays plain text.
			expect(await page.locator(`[data-cell-id="${CELL}"] .cm-content`).count()).toBe(0);
			releaseScripts();
			await page.locator(`[data-cell-id="${CELL}"] .cm-content`).waitFor({ timeout: 30_000 });
			await expect
				.poll(() => page.evaluate((id) => document.activeElement?.closest('[data-cell-id]')?.getAttribute('data-cell-id') ?? null, CELL), { timeout: 10_000 })
				.toBe(CELL);
			expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);
			// Typing goes into that cell's editor.
			await page.keyboard.press('Control+End');
			await page.keyboard.type(' ');
			expect(await page.locator(`[data-cell-id="${CELL}"] .cm-content`).textContent()).toContain('"height": 460');
		} finally {
			releaseScripts();
			await context.close();
		}
	});

	it('a failed load of the editor\'s code says so and leaves the source readable', async () => {
		const context = await browser.newContext();
		await routeEditorScripts(context, (route) => route.abort('failed'));
		try {
			const page = await openNotebook(context);
			const cell = page.locator(`[data-cell-id="${CELL}"]`);
			await cell.locator('[data-testid="code-source"]').click();
			await expect.poll(() => cell.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/the editor could not load .*reload the page/);
			expect(await cell.locator('[data-testid="code-source"]').textContent()).toContain('"type": "barX"');
			// The plot still draws: only the editor failed.
			await cell.locator('[data-testid="plot"] svg').first().waitFor({ timeout: 30_000 });
		} finally {
			await context.close();
		}
	});
});
