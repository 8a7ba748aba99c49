// Opening a notebook never writes it: a file with CRLF, lone CR and mixed line endings is opened,
// run and left alone — no save request, the same bytes on disk. Typing in a cell then changes
// only what was typed; every other line ending (and a lone CR inside a SQL string) stays. A file
// that is not UTF-8 text is refused with its line and byte, not shown as an empty notebook.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
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

const MIXED =
	'---\r\ntitle: Line endings\r\n---\r\n' +
	'Some notes\rwith a lone CR.\n' +
	'\r\n' +
	'```sql id=mixed\r\n' +
	"SELECT 'a\rb' AS v,\n" +
	'  2 AS w\r\n' +
	'```\r\n' +
	'\n' +
	'```sql id=lf\n' +
	'SELECT 1 AS one\n' +
	'```\n';

describe('line endings', () => {
	it('opening a notebook with CR, CRLF and mixed line endings does not rewrite it', async () => {
		const file = join(workDir, 'notebooks', 'line-endings.md');
		writeFileSync(file, MIXED);
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		const saves: string[] = [];
		page.on('request', (request) => {
			if (request.method() !== 'GET') saves.push(`${request.method()} ${request.url()}`);
		});
		await page.goto(`${baseURL}/notebooks/line-endings`);
		await expect.poll(() => page.locator('[data-cell-id="mixed"] [data-testid="row-count"]').textContent(), { timeout: 20_000 }).toBe('1 rows');
		await expect.poll(() => page.locator('[data-cell-id="lf"] [data-testid="row-count"]').textContent()).toBe('1 rows');
		// Autosave waits 500 ms after a change; give it well over that to (wrongly) fire.
		await page.waitForTimeout(2000);
		expect(saves.filter((s) => s.includes('/api/notebooks/'))).toEqual([]);
		expect(await page.getByTestId('save-state').textContent()).toBe('Saved');
		expect(readFileSync(file, 'utf8')).toBe(MIXED);

		// A real edit in each cell: only the typed text changes on disk.
		for (const [id, typed] of [['lf', ', 3 AS three'], ['mixed', ' -- note']] as const) {
			await page.locator(`[data-cell-id="${id}"] .cm-content`).click();
			await page.keyboard.press('Control+End');
			await page.keyboard.type(typed);
		}
		await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved');
		await expect
			.poll(() => readFileSync(file, 'utf8'), { timeout: 10_000 })
			.toBe(MIXED.replace('SELECT 1 AS one\n', 'SELECT 1 AS one, 3 AS three\n').replace('  2 AS w\r\n', '  2 AS w -- note\r\n'));
		await page.close();
	});
});

describe('a notebook that is not text', () => {
	it('is refused with the file, line and byte, and left as it was', async () => {
		const file = join(workDir, 'notebooks', 'not-text.md');
		const bytes = Buffer.from([0x23, 0x20, 0x61, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);
		writeFileSync(file, bytes);
		const page = await browser.newPage();
		await page.goto(`${baseURL}/notebooks/not-text`);
		await expect
			.poll(() => page.getByTestId('load-error').textContent(), { timeout: 15_000 })
			.toContain('not-text.md:2: not UTF-8 (byte 0x89) at byte 4');
		expect(await page.getByTestId('cell').count()).toBe(0);
		expect(readFileSync(file).equals(bytes)).toBe(true);
		await page.close();
	});
});
