// The sample view of a labelled set's program (trial-judge item 2): a verdict row whose item is
// `<set>/<id>` opens with the program's code and the set's label, read from the set's table
// `<set>_items` (labelled/<set>.items.arrow, as `covw import --labelled` writes it), not "the
// benchmark's items are not loaded". A toy program of our own.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Item } from '../../src/lib/core/items/item.ts';
import { writeItemsArrow } from '../../src/lib/node/coveval/items-arrow.ts';
import { writeVerdictRuns } from '../support/verdict-runs.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const data = join(workDir, 'datasets');
const runs = join(workDir, 'runs');
const CODE = 'void set_name(char *dst, const char *src) {\n    strncpy(dst, src, 31);\n    dst[31] = 0;\n}\n';
const ITEM: Item = {
	item_id: 'e2e-lab/copy-after',
	task: 'reference',
	set: 'e2e-lab' as Item['set'],
	cwe: 'CWE-787',
	language: 'c',
	scenario: 'copy-pair',
	code: CODE,
	label: 'non_vulnerable',
	label_class: null,
	source: 'e2e'
};

let browser: Browser;

beforeAll(async () => {
	await writeItemsArrow(join(data, 'labelled', 'e2e-lab.items.arrow'), [ITEM]);
	writeVerdictRuns(runs, [
		{ run_id: 'e2e-lab-rules', target_id: ITEM.item_id, judge: 'toy-rules', template: null, vulnerable: true, predicted_cwe: 'CWE-787', status: 'ok', rule: 'copy', line: 2 }
	]);
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await rm(join(data, 'labelled'), { recursive: true, force: true });
	await rm(join(runs, 'e2e-lab-rules'), { recursive: true, force: true });
});

it("opens a labelled set's program from a verdict row: its code, the set's label, no 'items not loaded'", async () => {
	await writeFile(
		join(workDir, 'notebooks', 'sample-labelled.md'),
		"```sql id=v\nSELECT target_id, judge, vulnerable FROM verdicts WHERE run_id = 'e2e-lab-rules'\n```\n"
	);
	const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(`${baseURL}/notebooks/sample-labelled`);
	const open = page.locator('[data-cell-id="v"] [data-testid="grid-open-sample"]');
	await expect.poll(() => open.count(), { timeout: 30_000 }).toBe(1);
	await open.first().click();
	const panel = page.getByTestId('inspector');
	await expect.poll(() => panel.getByTestId('sample-code').count(), { timeout: 30_000 }).toBe(1);
	expect(await panel.getByTestId('sample-code').textContent()).toContain('strncpy(dst, src, 31);');
	expect(await panel.getByTestId('sample-code').locator('tr.marked').evaluateAll((r) => r.map((x) => x.getAttribute('data-line')))).toEqual(['2']);
	expect(await panel.getByTestId('sample-no-items').count()).toBe(0);
	expect(await panel.getByTestId('sample-item').textContent()).toContain('label: non_vulnerable');
	expect(await panel.getByTestId('sample-set-label').textContent()).toMatch(/e2e-lab.*not vulnerable \(CWE-787\).*e2e_lab_items/s);
	expect(await panel.getByTestId('sample-labels').locator('h3').textContent()).toBe('Human labels (1)');
	if (process.env.EXPLORE_SHOTS) await page.screenshot({ path: join(process.env.EXPLORE_SHOTS, 'sample-labelled.png') });
	await context.close();
	expect(errors).toEqual([]);
});
