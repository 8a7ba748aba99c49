// Importing from the workbench (issue 10 items 2 and 3, "also reachable from the workbench"): on
// the runs page, a small promptfoo results.json (our fixture) becomes runs listed at once and
// in the run tables; a labelled set comes in with its counts; a file in no known format and a
// cross-site POST are refused. Screenshots go to $COVW_SHOTS when set.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { itemsToArrowStream } from '../../src/lib/node/coveval/items-arrow.ts';
import { COMPLETION_ITEMS } from '../unit/runs/fixtures.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const T = { timeout: 30_000 };
const FIX = resolve(import.meta.dirname, '../fixtures/import');
const coveval = join(workDir, 'datasets/coveval');
const madeRuns = new Set<string>();
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
	mkdirSync(coveval, { recursive: true });
	writeFileSync(join(coveval, 'items.arrow'), itemsToArrowStream(COMPLETION_ITEMS));
});
afterAll(async () => {
	await browser?.close();
	// Leave the shared folders as the other browser tests expect them.
	for (const id of madeRuns) rmSync(join(workDir, 'runs', id), { recursive: true, force: true });
	for (const path of ['datasets/coveval', 'datasets/.imports', 'datasets/labelled']) rmSync(join(workDir, path), { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
	if (process.env.COVW_SHOTS) await page.screenshot({ path: join(process.env.COVW_SHOTS, `${name}.png`), fullPage: true });
}

async function tableRows(name: string): Promise<number> {
	const tables = (await (await fetch(`${baseURL}/api/tables`)).json()) as { name: string; file: string; rows: number }[];
	return tables.find((t) => t.name === name)?.rows ?? -1;
}

describe('import from the runs page', () => {
	it('a promptfoo results.json becomes runs, listed at once and in the run tables; again: nothing new', async () => {
		const generationsBefore = await tableRows('generations');
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		await page.goto(`${baseURL}/runs`);
		await page.getByTestId('import-panel').waitFor(T);
		await shot(page, 'runs-import-before');

		await page.getByTestId('import-file').setInputFiles(join(FIX, 'promptfoo-results.json'));
		await page.getByTestId('import-submit').click();
		await expect.poll(() => page.getByTestId('import-summary').textContent(), T).toMatch(/promptfoo-results\.json \(promptfoo, detected; sha256 [0-9a-f]{12}…\):\s+2 of 4 record\(s\) matched\./);
		const made = page.getByTestId('import-run');
		expect(await made.count()).toBe(2);
		const ids = await made.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')!));
		for (const id of ids) madeRuns.add(id);
		// The unmatched records, with file, line and field, as the CLI prints them.
		expect(await page.getByTestId('import-problems-count').textContent()).toContain('2 record(s) did not come in');
		const problems = await page.getByTestId('import-problems').textContent();
		expect(problems).toContain('promptfoo-results.json:67: field "results.results[2].vars.item_id": unknown item id "completion/seed/CWE-1/none/9"');
		expect(problems).toContain('field "results.results[3].response.output": no text answer');

		// The runs list has them without a reload; the run tables too (no restart).
		for (const id of ids) await page.locator(`[data-testid="run-row"][data-run-id="${id}"]`).waitFor(T);
		await expect.poll(() => tableRows('generations'), T).toBe(generationsBefore + 2);
		await shot(page, 'runs-import-after');

		// A run made links to its page, whose manifest says where it came from.
		await page.locator(`[data-testid="import-run"] a`).first().click();
		await page.getByTestId('run-manifest').waitFor(T);
		const manifest = (await page.getByTestId('run-manifest').textContent())!;
		expect(manifest).toContain('"file": "promptfoo-results.json"');
		expect(manifest).toContain('"format": "promptfoo"');
		// Never re-sent: no Resume on an imported run.
		expect(await page.getByTestId('run-detail-no-resume').textContent()).toContain('imported from promptfoo-results.json: its answers are never re-sent');
		expect(await page.getByTestId('run-detail-resume').count()).toBe(0);

		// The same file again: the same runs, nothing new written.
		await page.goto(`${baseURL}/runs`);
		await page.getByTestId('import-file').setInputFiles(join(FIX, 'promptfoo-results.json'));
		await page.getByTestId('import-format').selectOption('promptfoo');
		await page.getByTestId('import-submit').click();
		await expect.poll(() => page.getByTestId('import-summary').textContent(), T).toContain('imported before, nothing new written');
		expect(await page.getByTestId('import-summary').textContent()).not.toContain('detected');
		expect(await tableRows('generations')).toBe(generationsBefore + 2);
		await page.close();
	}, 120_000);

	it('a labelled set comes in under its name with its counts; a file in no known format is refused by name', async () => {
		const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
		await page.goto(`${baseURL}/runs`);
		await page.getByTestId('import-kind-labelled').check();
		await page.getByTestId('import-file').setInputFiles(join(FIX, 'labelled.jsonl'));
		// The set name follows the file name until one is typed.
		expect(await page.getByTestId('import-set-name').inputValue()).toBe('labelled');
		await page.getByTestId('import-set-name').fill('e2e-mine');
		await page.getByTestId('import-submit').click();
		await expect.poll(() => page.getByTestId('import-summary').textContent(), T).toMatch(/Labelled set e2e-mine: 6 of 9\s+program\(s\) from labelled\.jsonl/);
		expect(await page.getByTestId('import-unsupported').textContent()).toContain('c++ 1');
		expect(await page.getByTestId('import-counts').textContent()).toContain('counts: 9 record(s) holding 9 program(s) = 6 imported + 1 unsupported (c++ 1) + 2 not imported');
		expect(await page.getByTestId('import-problems').textContent()).toContain('labelled.jsonl:8: field "label": must be "vulnerable" or "secure", got "maybe"');
		expect(existsSync(join(workDir, 'datasets/labelled/e2e-mine.items.arrow'))).toBe(true);
		await shot(page, 'runs-import-labelled');

		// A set name with a slash: refused before anything is written.
		await page.getByTestId('import-set-name').fill('a/b');
		await page.getByTestId('import-submit').click();
		await expect.poll(() => page.getByTestId('import-error').textContent(), T).toContain('set name "a/b" must be letters, digits');

		await page.getByTestId('import-kind-runs').check();
		await page.getByTestId('import-file').setInputFiles(join(FIX, 'unknown-format.json'));
		await page.getByTestId('import-submit').click();
		await expect.poll(() => page.getByTestId('import-error').textContent(), T).toMatch(/^unknown-format\.json:\d+: not a format covw import reads/);
		expect(await page.getByTestId('import-error').textContent()).not.toContain(workDir);
		await page.close();
	}, 120_000);

	it('the import API is behind the same-origin guard', async () => {
		const body = new Uint8Array(Buffer.from('{"item_id": "x", "model": "m", "response": "r"}\n'));
		const crossSite = await fetch(`${baseURL}/api/imports?file=a.jsonl`, { method: 'POST', headers: { origin: 'http://evil.example' }, body });
		expect(crossSite.status).toBe(403);
		const sameOrigin = await fetch(`${baseURL}/api/imports?file=a.jsonl&kind=nothing`, { method: 'POST', headers: { origin: baseURL }, body });
		expect(sameOrigin.status).toBe(400);
		expect((await sameOrigin.json()).message).toContain('kind must be runs or labelled');
	});
});
