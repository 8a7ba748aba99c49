// The spec reference draws an example of every plot mark and transform; a notebook's reading mode
// and folded editors survive a reload (browser storage, not the .md); "?" shows the shortcuts on
// every page but never while typing; figure labels do not overlap (the "repel" option).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MARK_TYPES, TRANSFORMS } from '../../src/lib/notebook/plot-vocabulary.ts';
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

async function openPage(path: string, errors: string[] = []): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(baseURL + path);
	return page;
}

async function shot(page: Page, name: string): Promise<void> {
	if (process.env.COVW_SHOTS) await page.screenshot({ path: join(process.env.COVW_SHOTS, `${name}.png`), fullPage: true });
}

describe('spec reference', () => {
	it('draws the example of every mark and every transform, with no error', async () => {
		const errors: string[] = [];
		const page = await openPage('/reference', errors);
		const examples = page.getByTestId('reference-example');
		const total = MARK_TYPES.size + Object.keys(TRANSFORMS).length;
		await expect.poll(() => examples.count(), T).toBe(total);
		await expect.poll(() => page.locator('[data-testid="example-figure"] svg').count(), T).toBeGreaterThanOrEqual(total);
		const drawn = await page.$$eval('[data-testid="reference-example"]', (articles) =>
			articles.map((a) => ({
				name: (a as HTMLElement).dataset.example,
				svg: a.querySelectorAll('[data-testid="example-figure"] svg').length,
				error: a.querySelector('[data-testid="example-error"]')?.textContent ?? null
			}))
		);
		expect(drawn.filter((d) => d.svg === 0 || d.error)).toEqual([]);
		// Every mark type and transform has its own card, with the cell a notebook would hold.
		const names = drawn.map((d) => d.name);
		for (const mark of MARK_TYPES) expect(names).toContain(mark);
		const dot = page.locator('[data-example="dot"]');
		expect(await dot.locator('pre').textContent()).toContain('```plot id=dot_example from=models');
		// Options: each key of a mark has a one-line example.
		expect(await page.locator('[data-testid="reference-plot-mark"] tr[data-key="curve"] .example').textContent()).toContain('"curve"');
		expect(errors).toEqual([]);
		await shot(page, 'reference-examples');
		await page.close();
	}, 120_000);
});

describe('notebook layout is remembered', () => {
	it('a folded editor and reading mode survive a reload and re-opening, and never reach the .md file', async () => {
		const file = join(workDir, 'notebooks', 'fold-state.md');
		const text = ['```sql id=scores', 'SELECT 1 AS a', '```', '', '```sql id=more from=scores', 'SELECT a + 1 AS b FROM scores', '```', ''].join('\n');
		writeFileSync(file, text);
		const page = await openPage('/notebooks/fold-state');
		const scores = page.locator('[data-cell-id="scores"]');
		await scores.locator('.cm-content').waitFor(T);
		await scores.getByTestId('collapse').click();
		expect(await scores.locator('.cm-content').count()).toBe(0);

		await page.reload();
		await page.locator('[data-cell-id="more"] .cm-content').waitFor(T);
		expect(await page.locator('[data-cell-id="scores"] .cm-content').count()).toBe(0); // still folded
		expect(await page.locator('[data-cell-id="scores"]').getByTestId('collapse').textContent()).toContain('▸');

		await page.getByTestId('reading-mode').check();
		await page.goto(baseURL + '/notebooks/figure4-correlations'); // another notebook: its own layout
		await page.locator('[data-cell-id="scores"] .cm-content').waitFor(T);
		expect(await page.getByTestId('reading-mode').isChecked()).toBe(false);

		await page.goto(baseURL + '/notebooks/fold-state');
		await page.getByTestId('reading-mode').waitFor(T);
		expect(await page.getByTestId('reading-mode').isChecked()).toBe(true);
		await expect.poll(() => page.locator('[data-testid="row-count"]').count(), T).toBe(2);
		expect(await page.locator('.cm-content').count()).toBe(0);

		// Back out of reading mode: the fold is still remembered; the file is as written.
		await page.getByTestId('reading-mode').uncheck();
		await page.locator('[data-cell-id="more"] .cm-content').waitFor(T);
		expect(await page.locator('[data-cell-id="scores"] .cm-content').count()).toBe(0);
		expect(readFileSync(file, 'utf8')).toBe(text);
		await page.close();
	}, 120_000);
});

describe('keyboard shortcuts help', () => {
	it('"?" opens the shortcuts on every page, and not while typing in a field or an editor', async () => {
		for (const path of ['/', '/runs', '/reference', '/label']) {
			const page = await openPage(path);
			await page.locator('h1, h2').first().waitFor(T);
			await page.locator('body').click({ position: { x: 5, y: 5 } });
			await page.keyboard.press('?');
			await page.getByTestId('shortcuts').waitFor(T);
			await page.keyboard.press('Escape');
			expect(await page.getByTestId('shortcuts').count(), path).toBe(0);
			await page.close();
		}
		// A notebook of its own: typing here must not change a notebook other tests read.
		writeFileSync(join(workDir, 'notebooks', 'typing-help.md'), ['```sql id=scores', 'SELECT 1 AS a', '```', '', '```sql id=ranks from=scores', 'SELECT a FROM scores', '```', ''].join('\n'));
		const page = await openPage('/notebooks/typing-help');
		const editor = page.locator('[data-cell-id="scores"] .cm-content');
		await editor.waitFor(T);
		await editor.click();
		await page.keyboard.press('End');
		await page.keyboard.type(' -- why?');
		expect(await page.getByTestId('shortcuts').count()).toBe(0);
		expect(await editor.textContent()).toContain('why?');
		const id = page.locator('[data-cell-id="ranks"]').getByTestId('cell-id-field');
		await id.click();
		await page.keyboard.type('?');
		expect(await page.getByTestId('shortcuts').count()).toBe(0);
		await page.close();
	}, 120_000);
});

describe('figure labels', () => {
	it('figure4 scatter: no two model labels overlap and none leaves the figure', async () => {
		// The repository's notebook, copied: other test files edit the working copy of figure4.
		writeFileSync(join(workDir, 'notebooks', 'figure4-labels.md'), readFileSync(join(import.meta.dirname, '../../notebooks/figure4-correlations.md'), 'utf8'));
		const page = await openPage('/notebooks/figure4-labels');
		const svg = page.locator('[data-cell-id="completion_vs_repair"] [data-testid="plot"] svg').last();
		await svg.waitFor(T);
		const boxes = await page.$$eval('[data-cell-id="completion_vs_repair"] [data-testid="plot"] g[aria-label="text"] text', (texts) =>
			texts.map((t) => {
				const r = t.getBoundingClientRect();
				const s = (t as SVGTextElement).ownerSVGElement!.getBoundingClientRect();
				return { text: t.textContent, x1: r.left - s.left, y1: r.top - s.top, x2: r.right - s.left, y2: r.bottom - s.top, width: s.width, height: s.height };
			})
		);
		expect(boxes.length).toBe(20);
		const overlapping: string[] = [];
		for (let i = 0; i < boxes.length; i++) {
			const a = boxes[i];
			expect(a.x1, a.text!).toBeGreaterThanOrEqual(0);
			expect(a.x2, a.text!).toBeLessThanOrEqual(a.width);
			for (let j = i + 1; j < boxes.length; j++) {
				const b = boxes[j];
				const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
				const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
				if (w > 1 && h > 1) overlapping.push(`${a.text} / ${b.text}`);
			}
		}
		expect(overlapping).toEqual([]);
		await shot(page, 'figure4-labels');
		await page.close();
	}, 120_000);
});
