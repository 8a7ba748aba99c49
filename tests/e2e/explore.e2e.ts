// Exploring results in a real browser (issue 11 items 1, 2, 3, 7): the sample behind a result
// row in a panel beside the notebook, the result grid's sort / filter / resize / expand / copy,
// the schema browser and autocomplete, DESCRIBE / SUMMARIZE / SHOW in a cell, and SQL errors in
// the cell's own terms. Toy programs of our own; runs planted the way real runs are logged.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../src/lib/core/items/item.ts';
import { writeItemsArrow } from '../../src/lib/node/coveval/items-arrow.ts';
import { writeVerdictRuns } from '../support/verdict-runs.ts';
import { writeGenerationRun } from '../unit/server/labels/generation-runs.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const data = join(workDir, 'datasets');
const runs = join(workDir, 'runs');
const XSS = '<img src=x onerror="window.__pwned=1">';
const SHOTS = process.env.EXPLORE_SHOTS; // a folder: save screenshots there to look at

const ITEMS: Item[] = [
	{
		item_id: 'e2e-explore/ping',
		task: 'completion',
		set: 'seed',
		cwe: 'CWE-78',
		language: 'python',
		scenario: `Ping the host a user names ${XSS}`,
		code: 'import os\n\ndef ping(host):\n',
		label: null,
		label_class: null,
		source: 'e2e'
	}
];
const CODE_A = `import os\n\ndef ping(host):\n    os.system("ping -c 1 " + host)  # ${XSS}\n`;

let browser: Browser;

beforeAll(async () => {
	await writeItemsArrow(join(data, 'coveval', 'items.arrow'), ITEMS);
	writeGenerationRun(runs, 'e2e-explore-a', 'toy/model-a', [
		{ unit_id: 'e2e-explore-ua', item_id: 'e2e-explore/ping', cwe: 'CWE-78', language: 'python', status: 'ok', code: CODE_A, response: `Sure.\n\`\`\`python\n${CODE_A}\`\`\`` }
	]);
	writeGenerationRun(runs, 'e2e-explore-b', 'toy/model-b', [
		{ unit_id: 'e2e-explore-ub', item_id: 'e2e-explore/ping', cwe: 'CWE-78', language: 'python', status: 'ok', code: null, response: 'I would rather not.' }
	]);
	writeVerdictRuns(runs, [
		{ run_id: 'e2e-explore-rules', target_id: 'e2e-explore-ua', judge: 'toy-rules', template: null, vulnerable: true, predicted_cwe: 'CWE-78', status: 'ok', rule: 'os-system-concat', line: 4, raw: 'os.system called with a concatenated string' },
		{ run_id: 'e2e-explore-llm', target_id: 'e2e-explore-ua', judge: 'toy-llm', template: 'zero-shot', vulnerable: null, predicted_cwe: null, status: 'unparsed', raw: `Hard to say ${XSS}` }
	]);
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await rm(join(data, 'coveval'), { recursive: true, force: true });
	for (const run of ['e2e-explore-a', 'e2e-explore-b', 'e2e-explore-rules', 'e2e-explore-llm']) await rm(join(runs, run), { recursive: true, force: true });
});

async function openNotebook(name: string, text: string): Promise<Page> {
	await writeFile(join(workDir, 'notebooks', `${name}.md`), text);
	const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
	await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
	const page = await context.newPage();
	await page.goto(`${baseURL}/notebooks/${name}`);
	return page;
}

async function shot(page: Page, name: string): Promise<void> {
	if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const grid = (page: Page, cell: string) => page.locator(`[data-cell-id="${cell}"] [data-testid="result-grid"]`);
/** The text of each data row's cells (not the row number). */
const rowsOf = (page: Page, cell: string) =>
	grid(page, cell)
		.locator('[role="row"]')
		.evaluateAll((rows) => rows.slice(1).map((r) => [...r.querySelectorAll('[role="cell"]')].map((c) => c.textContent)));

describe('sample view', () => {
	it('opens the sample behind a grid row beside the notebook: item, answer, marked code, verdicts, previous/next', async () => {
		const page = await openNotebook(
			'explore-samples',
			"```sql id=answers\nSELECT unit_id, item_id, model, status FROM generations WHERE run_id LIKE 'e2e-explore-%' ORDER BY model\n```\n"
		);
		const open = grid(page, 'answers').getByTestId('grid-open-sample');
		await expect.poll(() => open.count(), { timeout: 30_000 }).toBe(2);
		await open.first().click();

		const panel = page.getByTestId('inspector');
		await expect.poll(() => panel.getByTestId('sample-model').textContent(), { timeout: 30_000 }).toBe('toy/model-a');
		expect(await panel.getByTestId('sample-position').textContent()).toContain('answers · row 1 of 2');
		expect(await panel.getByTestId('sample-scenario').textContent()).toContain(XSS);
		const code = panel.getByTestId('sample-code');
		expect(await code.textContent()).toContain('os.system("ping -c 1 " + host)');
		// The rule's finding line is marked; the others are not.
		expect(await code.locator('tr.marked').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')))).toEqual(['4']);
		const verdicts = panel.getByTestId('sample-verdict');
		expect(await verdicts.count()).toBe(2);
		expect(await panel.locator('[data-judge="toy-rules"]').textContent()).toMatch(/vulnerable.*toy-rules.*CWE-78.*os-system-concat.*line 4/s);
		expect(await panel.locator('[data-judge="toy-llm"]').textContent()).toContain('unparsed');
		await panel.locator('[data-judge="toy-llm"] summary').click();
		expect(await panel.locator('[data-judge="toy-llm"] [data-testid="sample-verdict-raw"]').textContent()).toBe(`Hard to say ${XSS}`);
		// Text only: nothing from the data became an element.
		expect(await panel.locator('img').count()).toBe(0);
		expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
		await shot(page, 'sample-view');

		expect(await panel.getByTestId('sample-prev').isDisabled()).toBe(true);
		await panel.getByTestId('sample-next').click();
		await expect.poll(() => panel.getByTestId('sample-model').textContent(), { timeout: 15_000 }).toBe('toy/model-b');
		expect(await panel.getByTestId('sample-no-code').textContent()).toContain('No code was extracted');
		expect(await panel.getByTestId('sample-next').isDisabled()).toBe(true);

		// Compare: the other model's answer to the same item side by side.
		await panel.getByTestId('compare-button').first().click();
		await expect.poll(() => panel.getByTestId('compare').getByTestId('sample-body').count(), { timeout: 15_000 }).toBe(2);
		expect(await panel.getByTestId('compare').getByTestId('sample-model').allTextContents()).toEqual(['toy/model-b', 'toy/model-a']);
		await shot(page, 'sample-compare');

		await panel.getByTestId('inspector-close').click();
		expect(await page.getByTestId('inspector').count()).toBe(0);
		await page.context().close();
	});
});

describe('result grid', () => {
	it('sorts, filters, resizes, expands a value and copies a cell and a row', async () => {
		const page = await openNotebook(
			'explore-grid',
			'```sql id=models\nSELECT model, "group", cc_total_sr1 FROM paper_table1\n```\n'
		);
		await expect.poll(() => page.locator('[data-cell-id="models"] [data-testid="row-count"]').textContent(), { timeout: 30_000 }).toBe('20 rows');
		const sortBy = (column: string) => grid(page, 'models').locator(`[data-testid="grid-sort"][data-column="${column}"]`).click();

		await sortBy('cc_total_sr1');
		const ascending = (await rowsOf(page, 'models')).map((r) => Number(r[2]));
		expect(ascending.length).toBeGreaterThan(5);
		expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
		await sortBy('cc_total_sr1');
		const descending = (await rowsOf(page, 'models')).map((r) => Number(r[2]));
		expect(descending).toEqual([...descending].sort((a, b) => b - a));
		expect((await rowsOf(page, 'models'))[0][0]).toBe('Qwen1.5-7B-chat');

		await grid(page, 'models').getByTestId('grid-filter-toggle').click();
		await grid(page, 'models').locator('[data-testid="grid-filter"][data-column="group"]').fill('propri');
		await expect.poll(async () => (await rowsOf(page, 'models')).length).toBe(4);
		expect(await page.locator('[data-cell-id="models"] [data-testid="grid-filtered"]').textContent()).toContain('4 of 20 rows match');
		await grid(page, 'models').locator('[data-testid="grid-filter"][data-column="cc_total_sr1"]').fill('>73');
		await expect.poll(async () => (await rowsOf(page, 'models')).map((r) => r[0])).toEqual(['GPT-4-Turbo', 'claude-3-sonnet-20240229']);

		// Resize: drag the model column's right edge 120 px.
		const header = grid(page, 'models').locator('[role="columnheader"]').first();
		const before = (await header.boundingBox())!.width;
		const handle = (await grid(page, 'models').locator('[data-testid="grid-resize"][data-column="model"]').boundingBox())!;
		await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
		await page.mouse.down();
		await page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 5 });
		await page.mouse.up();
		expect((await header.boundingBox())!.width).toBeGreaterThan(before + 100);

		// Expand a value and copy it, then its row.
		await grid(page, 'models').locator('[role="cell"]', { hasText: 'claude-3-sonnet-20240229' }).click();
		expect(await page.locator('[data-cell-id="models"] [data-testid="grid-detail-text"]').textContent()).toBe('claude-3-sonnet-20240229');
		await page.locator('[data-cell-id="models"] [data-testid="grid-copy-cell"]').click();
		await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('claude-3-sonnet-20240229');
		await page.locator('[data-cell-id="models"] [data-testid="grid-copy-row"]').click();
		await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('claude-3-sonnet-20240229\tproprietary\t74.07');
		await shot(page, 'result-grid');
		await page.context().close();
	});
});
