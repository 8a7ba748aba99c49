// Cells in the page (issue 11 item 4), the runs page (item 8) and labelling (item 9), in a real
// browser against the built app (see global-setup.ts). Screenshots go to $COVW_SHOTS when set.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { itemsToArrowStream, writeItemsArrow } from '../../src/lib/node/coveval/items-arrow.ts';
import type { Item } from '../../src/lib/core/items/item.ts';
import { COMPLETION_ITEMS } from '../unit/runs/fixtures.ts';
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

async function shot(page: Page, name: string): Promise<void> {
	if (process.env.COVW_SHOTS) await page.screenshot({ path: join(process.env.COVW_SHOTS, `${name}.png`), fullPage: true });
}

const notebookPath = (name: string) => join(workDir, 'notebooks', `${name}.md`);
const onDisk = (name: string) => readFileSync(notebookPath(name), 'utf8');

describe('cells in the page', () => {
	it('a new stats cell after a query is a working example wired to it, and from= and id are edited in the page', async () => {
		writeFileSync(
			notebookPath('cells-in-page'),
			['---', 'title: Cells in the page', '---', '```sql id=scores', 'SELECT model, cc_total_sr1, repair_sr1 FROM paper_table1', '```', ''].join('\n')
		);
		const page = await openPage('/notebooks/cells-in-page');
		await expect.poll(() => page.locator('[data-cell-id="scores"] [data-testid="row-count"]').textContent(), T).toBe('20 rows');

		// The add bar is visible without hovering.
		const addStats = page.getByTestId('add-stats').last();
		expect(Number(await page.getByTestId('add-bar').last().evaluate((e) => getComputedStyle(e).opacity))).toBeGreaterThan(0.4);
		await addStats.click();
		const stats = page.locator('[data-cell-id="stats_1"]');
		await expect.poll(() => stats.locator('[data-testid="row-count"]').textContent(), T).toBe('4 rows');
		expect(await stats.getByTestId('cell-from-field').inputValue()).toBe('scores');
		await expect.poll(() => page.getByTestId('save-state').textContent(), T).toBe('Saved');
		expect(onDisk('cells-in-page')).toContain('```stats id=stats_1 from=scores\n{"method": "spearman", "columns": ["cc_total_sr1", "repair_sr1"]}\n```');

		// A plot after the stats cell draws at once, over the nearest sql cell above (its columns).
		await page.getByTestId('add-plot').last().click();
		await page.locator('[data-cell-id="plot_1"] [data-testid="plot"] svg').first().waitFor(T);

		// from= cleared in the page: the stats cell says what it needs; set again: it runs.
		const from = stats.getByTestId('cell-from-field');
		await from.fill('');
		await from.press('Enter');
		await expect.poll(() => stats.getByTestId('cell-error').textContent(), T).toContain('needs from=');
		await from.fill('scores');
		await from.press('Enter');
		await expect.poll(() => stats.locator('[data-testid="row-count"]').textContent(), T).toBe('4 rows');

		// The id: renamed in the page; a bad id is refused with its reason.
		await expect.poll(() => onDisk('cells-in-page'), T).toContain('```plot id=plot_1 from=scores');
		const id = stats.getByTestId('cell-id-field');
		await id.fill('rho');
		await id.press('Enter');
		await expect.poll(() => onDisk('cells-in-page'), T).toContain('```stats id=rho from=scores');
		const rho = page.locator('[data-cell-id="rho"]');
		await rho.getByTestId('cell-id-field').fill('no good');
		await rho.getByTestId('cell-id-field').press('Enter');
		await expect.poll(() => rho.getByTestId('field-error').textContent(), T).toContain('invalid id');
		await shot(page, 'cells-in-page');

		// Collapse one editor; reading mode hides every editor and header but keeps outputs.
		await rho.getByTestId('collapse').click();
		expect(await rho.locator('.cm-content').count()).toBe(0);
		await page.getByTestId('reading-mode').check();
		expect(await page.locator('.cm-content').count()).toBe(0);
		expect(await page.getByTestId('add-bar').count()).toBe(0);
		expect(await page.locator('[data-testid="plot"] svg').count()).toBeGreaterThan(0);
		expect(await page.locator('[data-testid="row-count"]').count()).toBe(2);
		await shot(page, 'reading-mode');
		await page.close();
	}, 180_000);
});

describe('spec help', () => {
	it('completes spec keys and values, explains a key on hover, underlines a bad line, and ? lists the shortcuts', async () => {
		writeFileSync(
			notebookPath('spec-help'),
			['```sql id=scores', 'SELECT model, "group", cc_total_sr1, repair_sr1 FROM paper_table1', '```', '', '```stats id=rho from=scores', '{"method": "spearman", "columns": ["cc_total_sr1", "repair_sr1"]}', '```', ''].join('\n')
		);
		const page = await openPage('/notebooks/spec-help');
		await expect.poll(() => page.locator('[data-cell-id="rho"] [data-testid="row-count"]').textContent(), T).toBe('4 rows');
		const editor = page.locator('[data-cell-id="rho"] .cm-content');

		// Completion of a value: after "method": the three correlations are offered.
		await editor.click();
		await page.keyboard.press('Control+End');
		await page.keyboard.press('ArrowLeft'); // inside the closing brace
		await page.keyboard.type(', "resamples": 500, "method');
		const options = page.locator('.cm-tooltip-autocomplete li');
		await page.keyboard.press('Control+Space');
		await expect.poll(() => options.allTextContents(), T).toEqual(expect.arrayContaining([expect.stringContaining('method')]));
		await page.keyboard.press('Escape');
		// A key given twice is not the point here: take it out again.
		for (let i = 0; i < ', "method'.length; i++) await page.keyboard.press('Backspace');
		await page.keyboard.type(', "level": 0.9');
		await page.keyboard.press('Shift+Enter');
		await expect.poll(() => page.locator('[data-cell-id="rho"] [data-testid="row-count"]').textContent(), T).toBe('4 rows');

		// Values: inside "method" the correlations are offered.
		await page.keyboard.press('Control+Home');
		for (let i = 0; i < '{"method": "'.length; i++) await page.keyboard.press('ArrowRight');
		await page.keyboard.press('Control+Space');
		await expect.poll(() => options.allTextContents(), T).toEqual(expect.arrayContaining(['spearman', 'kendall', 'pearson'].map((m) => expect.stringContaining(m))));
		await page.keyboard.press('Escape');

		// Hover on a key: what it means.
		const at = await page.locator('[data-cell-id="rho"] .cm-content').evaluate((content) => {
			const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const i = n.textContent!.indexOf('columns');
				if (i < 0) continue;
				const range = document.createRange();
				range.setStart(n, i + 2);
				range.setEnd(n, i + 3);
				const r = range.getBoundingClientRect();
				return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
			}
			return null;
		});
		expect(at).not.toBeNull();
		await page.mouse.move(at!.x - 20, at!.y);
		await page.mouse.move(at!.x, at!.y, { steps: 3 });
		await expect.poll(() => page.locator('.cm-spec-doc').textContent(), T).toContain('every ordered pair');

		// A bad value: its line is marked with the parser's message before any run.
		await editor.click();
		await page.keyboard.press('Control+Home');
		for (let i = 0; i < '{"method": "'.length; i++) await page.keyboard.press('ArrowRight');
		await page.keyboard.type('x');
		await expect.poll(() => page.locator('[data-cell-id="rho"] .cm-spec-error').getAttribute('data-spec-error'), T).toContain('"method" must be one of');
		await shot(page, 'spec-help');

		// ? outside an editor: the shortcuts; Escape closes them.
		await page.locator('h1').click();
		await page.keyboard.press('?');
		await page.getByTestId('shortcuts').waitFor(T);
		expect(await page.getByTestId('shortcuts').textContent()).toContain('Shift+Enter');
		await shot(page, 'shortcuts');
		await page.keyboard.press('Escape');
		expect(await page.getByTestId('shortcuts').count()).toBe(0);

		await page.goto(baseURL + '/reference');
		await page.getByTestId('reference-plot-mark').waitFor(T);
		expect(await page.getByTestId('reference-run').textContent()).toContain('template');
		await shot(page, 'reference');
		await page.close();
	}, 180_000);
});

describe('notebook export', () => {
	it('exports a notebook as one HTML file with its tables and figures, no script, that opens offline', async () => {
		const page = await openPage('/notebooks/figure4-correlations');
		await page.locator('[data-cell-id="completion_vs_repair"] [data-testid="plot"] svg').first().waitFor(T);
		await expect.poll(() => page.locator('[data-cell-id="heatmap"] [data-testid="plot"] svg').count(), T).toBeGreaterThan(0);
		const [download] = await Promise.all([page.waitForEvent('download', T), page.getByTestId('export-html').click()]);
		expect(download.suggestedFilename()).toBe('figure4-correlations.html');
		const file = join(workDir, 'export.html');
		await download.saveAs(file);
		const html = readFileSync(file, 'utf8');
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/ on[a-z]+=/i);
		expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
		expect(html).toContain('<td>GPT-4o</td>');
		expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);

		// Offline: every request but the file itself is refused; the figures still draw.
		const offline = await browser.newContext();
		await offline.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
		const view = await offline.newPage();
		const errors: string[] = [];
		view.on('pageerror', (e) => errors.push(e.message));
		await view.goto('file://' + file);
		expect(await view.locator('svg').count()).toBeGreaterThanOrEqual(2);
		expect(await view.locator('table').count()).toBeGreaterThan(0);
		await shot(view, 'export-html');
		expect(errors).toEqual([]);
		await offline.close();
		await page.close();
	}, 120_000);

	it('Export HTML clicked while the notebook is still running waits for its cells: none is "Not run."', async () => {
		const page = await openPage('/notebooks/figure4-correlations');
		const button = page.getByTestId('export-html');
		await button.waitFor(T);
		const [download] = await Promise.all([page.waitForEvent('download', T), button.click()]);
		const file = join(workDir, 'export-early.html');
		await download.saveAs(file);
		const html = readFileSync(file, 'utf8');
		expect(html).not.toContain('Not run.');
		expect(html).not.toContain('had not run');
		expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
		await page.close();
	}, 120_000);
});

describe('runs in the page', () => {
	const coveval = join(workDir, 'datasets/coveval');
	beforeAll(() => {
		mkdirSync(coveval, { recursive: true });
		writeFileSync(join(coveval, 'items.arrow'), itemsToArrowStream(COMPLETION_ITEMS));
	});
	afterAll(() => rmSync(coveval, { recursive: true, force: true }));

	it('a run cell shows rows per run, tokens and the true end state; the runs page lists both runs and opens their detail', async () => {
		writeFileSync(
			notebookPath('runs-page-demo'),
			'```run id=demo\n{"task": "completion", "model": "test-model", "set": ["seed"], "limit": 2, "judge": "test-model"}\n```\n'
		);
		// Answers that are paid for: another file run before this one (run-cell.e2e.ts; vitest orders
		// files by earlier runs' failures and timings) may have left these prompts' answers in the
		// server's response cache, and rows answered from it cost no tokens (the cell then says 0).
		rmSync(join(workDir, 'cache'), { recursive: true, force: true });
		const page = await openPage('/notebooks/runs-page-demo');
		await page.getByTestId('run-start').click(T);
		await expect.poll(() => page.getByTestId('run-state').textContent(), T).toBe('completed · generation and judge');
		// No ETA once the run has ended; the rows per run agree with the done counts.
		expect(await page.getByTestId('run-progress').textContent()).not.toContain('ETA');
		await expect.poll(() => page.getByTestId('run-totals-generation').textContent(), T).toBe('generation: 2/2 rows');
		await expect.poll(() => page.getByTestId('run-totals-judge').textContent(), T).toBe('judge: 2/2 rows');
		// Tokens are final once the run's end has been read (the totals re-read at most once a second).
		await expect.poll(() => page.getByTestId('run-totals-tokens').textContent(), T).toMatch(/^[1-9][\d,]* tokens in · [1-9][\d,]* out$/);
		// Every answer was paid for (the cache was emptied above): no "from the cache" note.
		expect(await page.getByTestId('run-totals-cached').count()).toBe(0);
		await shot(page, 'run-cell');

		await page.getByTestId('runs-link').click();
		await page.getByTestId('runs-table').waitFor(T);
		const rows = page.getByTestId('run-row');
		await expect.poll(() => rows.count(), T).toBeGreaterThanOrEqual(2);
		await shot(page, 'runs');
		// This test's generation run, by the id its spec plans: other files' runs of test-model are
		// listed too (run-cell.e2e.ts leaves an interrupted one) when they ran before this one.
		const planned = await fetch(`${baseURL}/api/runs/plan`, { method: 'POST', headers: { origin: baseURL, 'content-type': 'application/json' }, body: JSON.stringify({ spec: { task: 'completion', model: 'test-model', set: ['seed'], limit: 2, judge: 'test-model' } }) });
		const genId = ((await planned.json()) as { plan: { generationRunId: string } }).plan.generationRunId;
		const gen = page.locator(`[data-testid="run-row"][data-run-id="${genId}"]`);
		expect(await gen.textContent()).toMatch(/completion · .*test-model/);
		expect(await gen.getByTestId('run-row-state').textContent()).toBe('completed');
		expect(await gen.textContent()).toContain('2/2');
		await shot(page, 'runs');

		await gen.locator('a').click();
		await page.getByTestId('run-summary').waitFor(T);
		expect(await page.getByTestId('run-detail-counts').textContent()).toMatch(/2\/2 done · 2 ok · 0 errors/);
		expect(await page.getByTestId('run-manifest').textContent()).toContain('"kind": "generation"');
		expect(await page.getByTestId('run-no-errors').count()).toBe(1);
		expect(await page.locator('[data-testid="run-timeline"] polyline').count()).toBe(1);
		// Resume is offered (its parameters still name this run) and re-checks without re-sending;
		// a re-check that writes nothing leaves the run as it was: one session, the same end.
		const runApi = `${baseURL}/api/runs/${page.url().split('/runs/')[1]}`;
		const manifestBefore = (await (await fetch(runApi)).json()).manifest;
		const [resumed] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith('/api/runs') && r.request().method() === 'POST', T),
			page.getByTestId('run-detail-resume').click(T)
		]);
		expect(resumed.ok()).toBe(true);
		await expect.poll(() => page.getByTestId('run-detail-state').textContent(), T).toBe('completed');
		await expect.poll(async () => { const o = (await (await fetch(runApi)).json()).overview; return `${o.state} live=${o.live}`; }, T).toBe('completed live=false');
		expect(await page.getByTestId('run-summary').textContent()).toContain('over 1 session');
		const manifestAfter = (await (await fetch(runApi)).json()).manifest;
		expect({ sessions: manifestAfter.sessions, finished_at: manifestAfter.finished_at }).toEqual({ sessions: manifestBefore.sessions, finished_at: manifestBefore.finished_at });
		expect(await page.getByTestId('run-detail-counts').textContent()).toMatch(/2\/2 done · 2 ok/);
		expect(await page.getByTestId('run-detail-action-error').count()).toBe(0);
		await shot(page, 'run-detail');

		const missing = await fetch(`${baseURL}/api/runs/no-such-run`);
		expect(missing.status).toBe(404);
		await page.close();
	}, 180_000);
});

describe('labelling starts on programs', () => {
	const coveval = join(workDir, 'datasets/coveval');
	// Toy items written for this test: an unfinished completion prompt and a whole program.
	const ITEMS: Item[] = [
		{ item_id: 'completion/seed/CWE-89/toy/0', task: 'completion', set: 'seed', cwe: 'CWE-89', language: 'python', scenario: 'toy', code: 'def find(db, name):\n    # look the user up\n', label: null, label_class: null, source: 'toy/prompt' },
		{ item_id: 'toy/lookup', task: 'reference', set: 'pearce', cwe: 'CWE-89', language: 'python', scenario: 'toy', code: 'def find(db, name):\n    return db.execute("SELECT * FROM u WHERE n = \'" + name + "\'")\n', label: 'vulnerable', label_class: 'CWE-89', source: 'toy/lookup' }
	];
	beforeAll(async () => {
		mkdirSync(coveval, { recursive: true });
		await writeItemsArrow(join(coveval, 'items.arrow'), ITEMS);
	});
	afterAll(() => {
		rmSync(coveval, { recursive: true, force: true });
		rmSync(join(workDir, 'datasets/labels'), { recursive: true, force: true });
	});

	it('opens on the program set, highlights the chosen answer, and says the dataset label as a sentence', async () => {
		const page = await openPage('/label');
		await page.getByTestId('annotator-input').fill('Pages Tester');
		await page.getByTestId('annotator-save').click();
		await page.locator('[data-testid="label-target"][data-target-id="toy/lookup"][data-busy="false"]').waitFor(T);
		expect(await page.getByTestId('filter-source').inputValue()).toBe('set:pearce');
		await page.keyboard.press('n');
		await page.getByTestId('your-answer').filter({ hasText: 'not vulnerable' }).waitFor(T);
		const pressed = page.locator('.answers button[aria-pressed="true"]');
		expect(await pressed.count()).toBe(1);
		expect(await pressed.textContent()).toContain('not vulnerable');
		expect(await pressed.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(
			await page.locator('.answers button[aria-pressed="false"]').first().evaluate((b) => getComputedStyle(b).backgroundColor)
		);
		expect(await page.getByTestId('reveal-dataset-label').textContent()).toBe('The dataset labels this program vulnerable to CWE-89 (source: toy/lookup).');
		await shot(page, 'label');
		await page.close();
	}, 120_000);
});
