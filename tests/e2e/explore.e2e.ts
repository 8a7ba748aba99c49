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
	const errors: string[] = [];
	pageErrors.set(page, errors);
	page.on('pageerror', (error) => errors.push(error.message));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(`${baseURL}/notebooks/${name}`);
	return page;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Closes the page after checking it logged no error. */
async function done(page: Page): Promise<void> {
	const errors = pageErrors.get(page) ?? [];
	await page.context().close();
	expect(errors).toEqual([]);
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
		// One answer under two judges: their raw answers side by side.
		await panel.getByTestId('judge-pick').nth(0).check();
		await panel.getByTestId('judge-pick').nth(1).check();
		const judges = panel.getByTestId('judge-compare');
		expect(await judges.locator('pre').allTextContents()).toEqual([`Hard to say ${XSS}`, 'os.system called with a concatenated string']);
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
		// The code diff: model-b extracted nothing, so all four of model-a's lines are added.
		expect(await panel.getByTestId('code-diff').locator('tr[data-kind="added"]').count()).toBe(4);
		expect(await panel.getByTestId('code-diff').locator('tr[data-kind="removed"]').count()).toBe(0);
		await shot(page, 'sample-compare');

		await panel.getByTestId('inspector-close').click();
		expect(await page.getByTestId('inspector').count()).toBe(0);
		await done(page);
	});
});

describe('sample view from a plot', () => {
	it('a click on a plot point opens the sample of its row', async () => {
		const page = await openNotebook(
			'explore-plot-samples',
			[
				"```sql id=answers\nSELECT unit_id, item_id, model, 10 + length(coalesce(code, '')) AS code_length FROM generations WHERE run_id LIKE 'e2e-explore-%' ORDER BY model\n```",
				'```plot id=points from=answers\n{"marks": [{"type": "dot", "x": "model", "y": "model", "r": 8}]}\n```',
				''
			].join('\n\n')
		);
		const dots = page.locator('[data-cell-id="points"] [data-testid="plot"] g[aria-label="dot"] circle');
		await expect.poll(() => dots.count(), { timeout: 30_000 }).toBe(2);
		// Circles are drawn in row order: the second is model-b's (no code).
		await dots.nth(1).click();
		const panel = page.getByTestId('inspector');
		await expect.poll(() => panel.getByTestId('sample-model').textContent(), { timeout: 30_000 }).toBe('toy/model-b');
		expect(await panel.getByTestId('sample-position').textContent()).toContain('points · row 2 of 2');
		await panel.getByTestId('sample-prev').click();
		await expect.poll(() => panel.getByTestId('sample-model').textContent(), { timeout: 15_000 }).toBe('toy/model-a');
		await shot(page, 'sample-from-plot');
		await done(page);
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
		// Arrow keys move the selection through the rows as shown (sorted, filtered).
		await grid(page, 'models').locator('[role="cell"]', { hasText: 'claude-3-sonnet-20240229' }).click();
		await page.keyboard.press('ArrowUp');
		expect(await page.locator('[data-cell-id="models"] [data-testid="grid-detail-text"]').textContent()).toBe('GPT-4-Turbo');
		await page.keyboard.press('ArrowRight');
		expect(await page.locator('[data-cell-id="models"] [data-testid="grid-detail-text"]').textContent()).toBe('proprietary');
		await shot(page, 'result-grid');
		await done(page);
	});
});

describe('schema browser and autocomplete', () => {
	it('opens a table to its columns and types, inserts names into the editor, previews rows, and completes column names', async () => {
		const page = await openNotebook('explore-schema', '```sql id=q\nSELECT 1 AS one\n```\n');
		await expect.poll(() => page.locator('[data-cell-id="q"] [data-testid="row-count"]').textContent(), { timeout: 30_000 }).toBe('1 rows');
		await page.locator('[data-testid="schema-toggle"][data-table="paper_table1"]').click();
		const columns = page.locator('[data-testid="schema-columns"][data-table="paper_table1"]');
		await expect.poll(() => columns.getByTestId('schema-column').count(), { timeout: 15_000 }).toBe(12);
		expect(await columns.textContent()).toMatch(/model\s*VARCHAR/);
		expect(await columns.textContent()).toMatch(/cc_total_sr1\s*DOUBLE/);

		// Click into the editor (cursor at the end), then on names in the sidebar.
		const editor = page.locator('[data-cell-id="q"] .cm-content');
		await editor.click();
		await page.keyboard.press('Control+End');
		await page.keyboard.type(', ');
		await columns.getByTestId('schema-column').filter({ hasText: 'cc_total_sr1' }).click();
		await page.keyboard.type(' FROM ');
		await page.locator('[data-testid="schema-table"][data-table="paper_table1"]').click();
		await expect.poll(() => editor.textContent()).toBe('SELECT 1 AS one, cc_total_sr1 FROM paper_table1');
		await page.keyboard.press('Shift+Enter');
		await expect.poll(() => page.locator('[data-cell-id="q"] [data-testid="row-count"]').textContent(), { timeout: 30_000 }).toBe('20 rows');

		// Autocomplete knows the columns of the tables the query names, with visible icons.
		await page.keyboard.type('\nWHERE classification_a');
		const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'classification_acc' });
		await option.first().waitFor({ timeout: 15_000 });
		const icon = await option.first().locator('.cm-completionIcon').evaluate((el) => getComputedStyle(el, '::after').content);
		expect(icon).toBe('"C"');
		await shot(page, 'autocomplete');
		await page.keyboard.press('Escape');

		// Preview: row count, columns and first rows beside the notebook.
		await columns.getByTestId('schema-preview').click();
		const preview = page.getByTestId('table-preview');
		await expect.poll(() => preview.getByTestId('preview-rows').textContent(), { timeout: 15_000 }).toBe('20 rows');
		expect(await preview.getByTestId('result-grid').locator('[role="row"]').count()).toBe(21);
		await shot(page, 'schema-browser');
		await done(page);
	});
});

describe('SQL cells in the user’s terms', () => {
	it('runs DESCRIBE / SUMMARIZE / SHOW TABLES, and quotes an error once in cell lines; a missing benchmark table says how to import it', async () => {
		await rm(join(data, 'coveval'), { recursive: true, force: true }); // no benchmark imported
		const page = await openNotebook(
			'explore-sql',
			[
				'```sql id=described\nDESCRIBE paper_table1\n```',
				'```sql id=summary\nSUMMARIZE paper_table1\n```',
				'```sql id=shown\nSHOW TABLES\n```',
				'```sql id=typo\nSELECT model,\n       cc_totl_sr1\nFROM paper_table1\n```',
				'```sql id=needs_items\nSELECT count(*) FROM items\n```',
				''
			].join('\n\n')
		);
		const rows = (cell: string) => page.locator(`[data-cell-id="${cell}"] [data-testid="row-count"]`);
		await expect.poll(() => rows('described').textContent(), { timeout: 30_000 }).toBe('12 rows');
		await expect.poll(() => rows('summary').textContent(), { timeout: 30_000 }).toBe('12 rows');
		// SHOW TABLES lists what DuckDB holds: tables load when a query names them (the sidebar lists all).
		await expect.poll(() => page.locator('[data-cell-id="shown"] [data-testid="result-grid"]').textContent(), { timeout: 30_000 }).toContain('paper_table1');
		const typo = page.locator('[data-cell-id="typo"] [data-testid="cell-error"]');
		await expect.poll(() => typo.textContent(), { timeout: 30_000 }).toContain('line 2 of the cell:');
		const text = (await typo.textContent())!;
		expect(text).toContain('2 |        cc_totl_sr1\n  |        ^');
		expect(text).not.toMatch(/CREATE|VIEW|LINE \d|\(line \d+\)/);
		expect(text.match(/cc_totl_sr1\n/g)).toHaveLength(1);
		const items = page.locator('[data-cell-id="needs_items"] [data-testid="cell-error"]');
		await expect.poll(() => items.textContent(), { timeout: 30_000 }).toContain('covw data import path/to/CoV-Eval');
		await page.locator('[data-cell-id="typo"]').scrollIntoViewIfNeeded();
		await shot(page, 'sql-errors');
		await done(page);
	});
});
