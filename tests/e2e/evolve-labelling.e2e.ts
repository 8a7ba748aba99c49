// Human acceptance of Vul-Evol survivors in a real browser: a small `covw evolve` run made
// against the test double (not a model) lands in the server's runs folder; the labelling view
// offers its survivors, each with its seed beside it, the strategy, every filter and a diff,
// all as text; an annotator accepts one and rejects another with a reason, by keyboard; a
// second annotator's votes come in by CSV and the agreement panel shows the acceptance numbers.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evolveCommand } from '../../src/cli/commands/evolve.ts';
import { FILTER_COLUMNS } from '../../src/lib/core/evolve/filters.ts';
import { writeItemsArrow } from '../../src/lib/node/coveval/items-arrow.ts';
import { EVOLVE_SEEDS } from '../fixtures/evolve/seeds.ts';
import { startTestServer, type TestServer } from '../support/openai-test-server.ts';
import { fakeContext } from '../unit/cli/fake-context.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const work = inject('workDir');
const data = join(work, 'datasets');
const runs = join(work, 'runs');
const ROOT = resolve(import.meta.dirname, '../..');

let models: TestServer;
let browser: Browser;
let page: Page;
let runId = '';
let survivors: { candidate_id: string; strategy: string; seed_code: string; scenario: string }[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
	models = await startTestServer({ vulEvol: true });
	const seeds = join(work, 'evolve-seeds.arrow');
	await writeItemsArrow(seeds, EVOLVE_SEEDS);
	const env = { OPENAI_BASE_URL: models.url, OPENAI_API_KEY: 'sk-e2e-evolve', COVW_RUNS: runs, COVW_CACHE: join(work, 'evolve-cache'), COVW_DATA: data };
	const ctx = fakeContext(['--model', 'test-model', '--items-file', seeds, '--name', 'e2e-rev'], { root: ROOT, cwd: work, env });
	expect(await evolveCommand.run(ctx), ctx.err.join('')).toBe(0);
	runId = /evolve run (\S+): completed/.exec(ctx.out.join(''))![1];
	const rows = (await readFile(join(runs, runId, 'filters.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
	survivors = rows.filter((r) => r.accepted);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		dialog.dismiss();
	});
});

afterAll(async () => {
	await browser?.close();
	await models?.close();
	// Leave the shared folders as the other browser tests expect them.
	for (const name of await readdir(runs).catch(() => [] as string[])) if (name.startsWith(runId)) await rm(join(runs, name), { recursive: true, force: true });
	await rm(join(data, 'evolved'), { recursive: true, force: true });
	await rm(join(data, 'labels'), { recursive: true, force: true });
});

async function waitForTarget(id: string) {
	await page.locator(`[data-testid="label-target"][data-target-id="${id}"][data-busy="false"]`).waitFor();
}
async function waitForAnswer(text: string) {
	await page.getByTestId('your-answer').filter({ hasText: text }).waitFor();
	await page.locator('[data-testid="label-target"][data-busy="false"]').waitFor();
}

describe('accepting Vul-Evol survivors in the labelling view', () => {
	it('a source picked before a name sends no request bound to fail; the page says what is missing', async () => {
		const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } }); // no remembered annotator
		const errors: string[] = [];
		const asked: string[] = [];
		fresh.on('console', (message) => {
			if (message.type() === 'error') errors.push(message.text());
		});
		fresh.on('request', (request) => {
			if (/\/api\/labels\/next|\/api\/labels\?/.test(request.url())) asked.push(request.url());
		});
		await fresh.goto(`${baseURL}/label`);
		const picker = fresh.getByTestId('filter-source');
		await picker.locator(`option[value="evolve:${runId}"]`).waitFor({ state: 'attached' });
		await picker.selectOption(`evolve:${runId}`);
		await fresh.getByTestId('label-missing').waitFor();
		expect(await fresh.getByTestId('label-missing').innerText()).toContain('Type your name under Annotator');
		expect(await fresh.getByTestId('label-error').count()).toBe(0);
		await fresh.waitForTimeout(300); // a request sent on change would have started by now
		expect(asked).toEqual([]);
		expect(errors).toEqual([]);
		// The name field has the focus; with a name, the picked source opens.
		expect(await fresh.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('annotator-input');
		await fresh.keyboard.type('E2E Late Name');
		await fresh.keyboard.press('Enter');
		await fresh.locator(`[data-testid="label-target"][data-target-id="${survivors[0].candidate_id}"]`).waitFor();
		expect(await fresh.getByTestId('label-missing').count()).toBe(0);
		expect(errors).toEqual([]);
		await fresh.close();
	});

	it('shows a survivor beside its seed, with strategy, filters and diff, as text', async () => {
		expect(survivors.length).toBe(4);
		await page.goto(`${baseURL}/label`);
		await page.getByTestId('annotator-input').fill('E2E Acceptor');
		await page.getByTestId('annotator-save').click();
		const picker = page.getByTestId('filter-source');
		await picker.locator(`option[value="evolve:${runId}"]`).waitFor({ state: 'attached' });
		expect(await picker.locator(`option[value="evolve:${runId}"]`).innerText()).toBe(`${runId} · default/test-model · 4 survivor(s) of 12 candidate(s)`);
		await picker.selectOption(`evolve:${runId}`);
		const first = survivors[0];
		await waitForTarget(first.candidate_id);
		expect(await page.getByTestId('label-progress').innerText()).toContain('0 / 4 labelled');
		expect(await page.getByTestId('survivor-strategy').innerText()).toContain(`Strategy ${first.strategy}`);
		// The heading says what the survivor is; its hash id is secondary text.
		const title = await page.getByTestId('label-title').innerText();
		expect(title).toContain('CWE-89');
		expect(title).toContain(`strategy ${first.strategy}`);
		expect(title).toMatch(/evolved from completion\/seed\/CWE-89\/td-users-\d\/0/);
		expect(title).not.toContain(first.candidate_id);
		expect(await page.getByTestId('label-target-id').innerText()).toContain(first.candidate_id);
		expect(await page.getByTestId('survivor-seed').innerText()).toContain('def find_user(name):');
		expect(await page.getByTestId('label-code').innerText()).toContain(first.scenario.split('\n').find((l) => !first.seed_code.includes(l) && l.trim() !== '')!.trim());
		// one row per filter step (core/evolve/filters.ts FILTER_COLUMNS), the parse check among them
		expect(await page.getByTestId('survivor-filters').locator('tbody tr').count()).toBe(FILTER_COLUMNS.length);
		expect(await page.getByTestId('survivor-filters').innerText()).toMatch(/parses\s+pass\b/);
		expect(await page.getByTestId('survivor-filters').innerText()).toMatch(/differs\s+pass\s+distance to the seed 0\.\d+/);
		expect(await page.getByTestId('survivor-diff').locator('span.added').count()).toBeGreaterThan(0);
		// Who evolved it stays hidden until the answer.
		expect(await page.getByTestId('label-target').innerText()).not.toContain('test-model');
		expect(await page.getByTestId('label-reveal').count()).toBe(0);
		await page.screenshot({ path: join(work, 'survivor.png'), fullPage: true });
	});

	it('accepts one and rejects the next with a reason, by keyboard; saved as labels', async () => {
		await page.keyboard.press('a');
		await waitForAnswer('accepted');
		await page.getByTestId('reveal-evolve').filter({ hasText: 'default/test-model' }).waitFor();
		await page.keyboard.press('Enter');
		const second = survivors[1];
		await waitForTarget(second.candidate_id);
		await page.keyboard.press('r');
		await page.getByTestId('reject-reasons').waitFor();
		await page.keyboard.press('1');
		await waitForAnswer('rejected: not different from the seed');
		await page.getByTestId('label-progress').filter({ hasText: '2 / 4 labelled' }).waitFor();

		const rows = (await readFile(join(data, 'labels', 'labels.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
		expect(rows.map((r) => [r.target_id, r.annotator, r.vulnerable, r.decision, r.reason])).toEqual([
			[survivors[0].candidate_id, 'E2E Acceptor', null, 'accept', null],
			[second.candidate_id, 'E2E Acceptor', null, 'reject', 'same_as_seed']
		]);
		await page.getByTestId('acceptance-agreement').waitFor();
		expect(await page.getByTestId('acceptance-accepted').innerText()).toBe('1');
		expect(await page.getByTestId('acceptance-rejected').innerText()).toBe('1');
		expect(dialogs).toEqual([]);
	});

	it('a second annotator by CSV: percent agreement, ties and kappa in the agreement panel', async () => {
		const [s1, s2] = survivors;
		const csv = `target_id,annotator,vulnerable,cwe,note,decision,reason\n${s1.candidate_id},Second,,,,accept,\n${s2.candidate_id},Second,,,,accept,\n`;
		await page.getByTestId('import-csv').setInputFiles({ name: 'second.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
		await page.getByText('imported 2 label(s) from second.csv').waitFor();
		await page.getByTestId('acceptance-ties').filter({ hasText: '1' }).waitFor();
		expect(await page.getByTestId('acceptance-percent').innerText()).toBe('50.0% (1 of 2 annotator pair(s))');
		expect(await page.getByTestId('acceptance-fleiss-row').innerText()).toMatch(/^2\s+2\s+50\.0%/);
		const panel = page.getByTestId('agreement-panel');
		await panel.locator('select').nth(0).selectOption('E2E Acceptor');
		await panel.locator('select').nth(1).selectOption('Second');
		await panel.getByRole('button', { name: 'Compute' }).click();
		await page.getByTestId('acceptance-cohen').filter({ hasText: 'over 2 shared survivor(s)' }).waitFor();
		expect(await page.getByTestId('acceptance-cohen').innerText()).toContain('1 agreed');
	});
});
