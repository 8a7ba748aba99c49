// The labelling view in a real browser: keyboard labelling that survives a reload, notes and
// code samples shown as text (never markup), judges hidden until the annotator answers; a model
// generation labelled too, its model hidden until then.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Item } from '../../src/lib/core/items/item.ts';
import { writeItemsArrow } from '../../src/lib/node/coveval/items-arrow.ts';
import { writeVerdictRuns } from '../support/verdict-runs.ts';
import { writeGenerationRun } from '../unit/server/labels/generation-runs.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const data = join(inject('workDir'), 'datasets');
const XSS_CODE = '<img src=x onerror=alert(1)>';
const XSS_NOTE = '<script>alert(1)</script>';
const GEN_RUN = 'e2e-labelling-gen-run';
const GEN_MODEL = 'e2e/blind-model';

// Toy programs written for this test (no benchmark data).
const toy = (id: string, language: Item['language'], cwe: Item['cwe'], code: string): Item => ({
	item_id: `e2e/${id}`,
	task: 'reference',
	set: 'pearce',
	cwe,
	language,
	scenario: 'e2e-toy',
	code,
	label: 'vulnerable',
	label_class: cwe,
	source: `e2e/${id}`
});
const ITEMS: Item[] = [
	toy('greet', 'python', 'CWE-79', `def greet(request):\n    name = request.args.get("name")\n    return "<p>" + name + "</p>"  # e.g. ${XSS_CODE}\n`),
	toy('copy', 'c', 'CWE-787', '#include <string.h>\nvoid copy(char *dst, const char *src) {\n    strcpy(dst, src); /* no bound */\n}\n'),
	toy('ping', 'python', 'CWE-78', 'import os\n\ndef ping(host):\n    os.system("ping -c 1 " + host)\n'),
	toy('total', 'c', 'CWE-190', 'int total(int a, int b) {\n    return a * b;\n}\n')
];

let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
	await writeItemsArrow(join(data, 'coveval', 'items.arrow'), ITEMS);
	// One judge's verdict on the first target, as a real judge run in the server's runs folder.
	writeVerdictRuns(join(inject('workDir'), 'runs'), [
		{ run_id: 'e2e-labelling-run', target_id: 'e2e/greet', judge: 'toy-judge-e2e', template: 'zero-shot', vulnerable: true, predicted_cwe: 'CWE-79', status: 'ok' },
		{ run_id: 'e2e-labelling-run', target_id: 'e2e-gen-ok', judge: 'toy-judge-e2e', template: 'zero-shot', vulnerable: false, predicted_cwe: null, status: 'ok' }
	]);
	// A model's generations (one answered, one failed request), the way generation runs log them.
	writeGenerationRun(join(inject('workDir'), 'runs'), GEN_RUN, GEN_MODEL, [
		{
			unit_id: 'e2e-gen-ok',
			item_id: 'completion/seed/CWE-79/e2e-toy/0',
			cwe: 'CWE-79',
			language: 'python',
			status: 'ok',
			code: `def hello(name):\n    return "<b>" + escape(name) + "</b>"  # not ${XSS_CODE}\n`,
			response: 'here it is'
		},
		{ unit_id: 'e2e-gen-failed', item_id: 'completion/seed/CWE-79/e2e-toy/1', cwe: 'CWE-79', language: 'python', status: 'error', code: null, response: null }
	]);
	browser = await launchBrowser();
	page = await browser.newPage();
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		dialog.dismiss();
	});
});

afterAll(async () => {
	await browser?.close();
	// Leave the shared temporary data folder as the other browser tests expect it.
	await rm(join(data, 'coveval'), { recursive: true, force: true });
	await rm(join(inject('workDir'), 'runs', 'e2e-labelling-run'), { recursive: true, force: true });
	await rm(join(inject('workDir'), 'runs', GEN_RUN), { recursive: true, force: true });
	await rm(join(data, 'labels'), { recursive: true, force: true });
});

const currentTarget = () => page.getByTestId('label-target').getAttribute('data-target-id');
/** The target is shown and the view is idle (keys pressed while it loads are ignored). */
async function waitForTarget(id: string) {
	await page.locator(`[data-testid="label-target"][data-target-id="${id}"][data-busy="false"]`).waitFor();
}
async function waitForAnswer(text: string) {
	await page.getByTestId('your-answer').filter({ hasText: text }).waitFor();
	await page.locator('[data-testid="label-target"][data-busy="false"]').waitFor();
}

describe('labelling view', () => {
	it('labels three items with the keyboard, and they survive a reload', async () => {
		await page.goto(`${baseURL}/label`);
		await page.getByTestId('annotator-input').fill('E2E Tester');
		await page.getByTestId('annotator-save').click();
		await waitForTarget('e2e/greet');
		expect(await page.getByTestId('label-progress').innerText()).toContain('0 / 4 labelled');
		// CWE name and description from the catalogue.
		expect(await page.getByTestId('label-cwe').innerText()).toContain('Cross-site Scripting');

		// The judges stay hidden until the answer…
		expect(await page.getByTestId('label-reveal').count()).toBe(0);
		expect(await page.content()).not.toContain('toy-judge-e2e');
		await page.keyboard.press('v');
		await waitForAnswer('vulnerable');
		// …and show after it.
		await page.getByTestId('label-reveal').filter({ hasText: 'toy-judge-e2e' }).waitFor();

		await page.keyboard.press('Enter');
		await waitForTarget('e2e/copy');
		expect(await page.getByTestId('label-reveal').count()).toBe(0);
		await page.keyboard.press('n');
		await waitForAnswer('not vulnerable');
		await page.getByTestId('no-verdicts').waitFor();

		await page.keyboard.press('Enter');
		await waitForTarget('e2e/ping');
		await page.keyboard.press('o');
		await page.getByTestId('other-cwe-input').waitFor();
		await page.keyboard.type('CWE-20');
		await page.keyboard.press('Enter');
		await waitForAnswer('other CWE (CWE-20)');

		// A note is saved with Enter and shown as text, never as markup.
		await page.getByTestId('label-note').fill(XSS_NOTE);
		await page.getByTestId('label-note').press('Enter');
		await page.getByTestId('my-label-note').filter({ hasText: XSS_NOTE }).waitFor();
		await page.getByTestId('label-progress').filter({ hasText: '3 / 4 labelled' }).waitFor();

		// On disk before the reload: the history has one row per answer, plus the note's row…
		const jsonl = async (name: string) => (await readFile(join(data, 'labels', name), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
		expect((await jsonl('label_history.jsonl')).map((r) => [r.target_id, r.vulnerable, r.cwe, r.other_cwe, r.note])).toEqual([
			['e2e/greet', true, 'CWE-79', false, ''],
			['e2e/copy', false, null, false, ''],
			['e2e/ping', true, 'CWE-20', true, ''],
			['e2e/ping', true, 'CWE-20', true, XSS_NOTE]
		]);
		// …and the labels table one current label per target.
		expect((await jsonl('labels.jsonl')).map((r) => [r.target_id, r.note])).toEqual([
			['e2e/greet', ''],
			['e2e/copy', ''],
			['e2e/ping', XSS_NOTE]
		]);

		await page.reload();
		// The name is remembered; the next target is the fourth; the three labels are there.
		await waitForTarget('e2e/total');
		expect(await page.getByTestId('label-progress').innerText()).toContain('3 / 4 labelled');
		await page.getByTestId('my-labels').locator('li').nth(2).waitFor(); // the list loads after the target
		expect(await page.getByTestId('my-labels').locator('li').count()).toBe(3);
		await page.getByTestId('my-labels').getByText('e2e/ping').click();
		await waitForTarget('e2e/ping');
		await waitForAnswer('other CWE (CWE-20)');
		expect(await page.getByTestId('label-note').inputValue()).toBe(XSS_NOTE);
		expect(await currentTarget()).toBe('e2e/ping');

		// The note never became a script element, and nothing ran.
		expect(await page.locator('script', { hasText: 'alert(1)' }).count()).toBe(0);
		expect(dialogs).toEqual([]);
	});

	it('shows a code sample with an <img onerror> as text', async () => {
		await page.getByTestId('my-labels').getByText('e2e/greet').click();
		await waitForTarget('e2e/greet');
		const code = page.getByTestId('label-code');
		expect(await code.innerText()).toContain(XSS_CODE);
		expect(await page.locator('img').count()).toBe(0);
		expect(dialogs).toEqual([]);
	});

	it('the agreement panel counts this annotator', async () => {
		await page.getByTestId('annotator-counts').filter({ hasText: 'E2E Tester: 3 answered, 0 skipped' }).waitFor();
		expect(await page.getByTestId('needs-review-count').innerText()).toBe('0');
	});

	it('imports CSV all or nothing, through the page (and the Origin guard)', async () => {
		const input = page.getByTestId('import-csv');
		const csv = (rows: string) => ({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from(`target_id,annotator,vulnerable,cwe,note\n${rows}`) });
		await input.setInputFiles(csv('e2e/greet,Second,false,,\ne2e/copy,Second,maybe,,\n'));
		await page.getByTestId('label-error').filter({ hasText: 'other.csv line 3, field "vulnerable"' }).waitFor();
		// Second disagrees with E2E Tester on e2e/greet: a 1-1 tie to review.
		await input.setInputFiles(csv('e2e/greet,Second,false,,\n'));
		await page.getByText('imported 1 label(s) from other.csv').waitFor();
		await page.getByTestId('needs-review-count').filter({ hasText: '1' }).waitFor();
		// The same file again adds nothing, and says so.
		await input.setInputFiles(csv('e2e/greet,Second,false,,\n'));
		await page.getByText('other.csv: 0 new, 1 already there (nothing added)').waitFor();
		// A target that exists nowhere is refused with its line; nothing comes in.
		await input.setInputFiles(csv('e2e/copy,Second,true,CWE-787,\nno-such-target,carol,true,CWE-79,\n'));
		await page.getByTestId('label-error').filter({ hasText: 'other.csv line 3, field "target_id": "no-such-target" is not' }).waitFor();
		expect(await page.getByTestId('annotator-counts').allInnerTexts()).toEqual(['E2E Tester: 3 answered, 0 skipped', 'Second: 1 answered, 0 skipped']);
	});

	it('a key pressed while the server is down says the label was NOT saved, stays on the target, and Retry saves it', async () => {
		await page.getByTestId('my-labels').getByText('e2e/copy').click();
		await waitForTarget('e2e/copy');
		await waitForAnswer('not vulnerable');
		// The server stops answering label saves (the request never gets a response).
		await page.route('**/api/labels', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
		await page.keyboard.press('v');
		await page.getByTestId('label-error').filter({ hasText: 'Your answer "vulnerable" on e2e/copy was NOT saved' }).waitFor();
		expect(await page.getByTestId('label-error').innerText()).not.toContain('Failed to fetch');
		// Still on the target, the saved answer unchanged, the answers selectable.
		await page.locator('[data-testid="label-target"][data-target-id="e2e/copy"][data-busy="false"]').waitFor();
		expect(await page.getByTestId('your-answer').innerText()).toContain('not vulnerable');
		expect(await page.getByRole('button', { name: 'v vulnerable' }).isDisabled()).toBe(false);
		await page.unroute('**/api/labels');
		await page.getByTestId('label-retry').click();
		await page.getByTestId('your-answer').filter({ hasNotText: 'not vulnerable' }).waitFor();
		await page.locator('[data-testid="label-target"][data-busy="false"]').waitFor();
		expect(await page.getByTestId('label-unsaved').count()).toBe(0);
		expect(await page.getByTestId('label-error').count()).toBe(0);
	});

	it('exports the latest labels as CSV', async () => {
		const response = await fetch(`${baseURL}/api/labels/csv`);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = (await response.text()).trim().split('\r\n');
		expect(lines[0]).toBe('target_id,annotator,vulnerable,cwe,note,other_cwe,skipped,at,decision,reason');
		expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
			'e2e/greet,E2E Tester,true,CWE-79',
			'e2e/copy,E2E Tester,true,CWE-787',
			'e2e/ping,E2E Tester,true,CWE-20',
			'e2e/greet,Second,false,'
		]);
	});
	it('labels a model generation by keyboard; its model shows only after the answer', async () => {
		const picker = page.getByTestId('filter-source');
		expect(await picker.locator(`option[value="run:${GEN_RUN}"]`).innerText()).toBe(`${GEN_RUN} · ${GEN_MODEL} · 1 ok · 1 left out (1 error)`);
		await picker.selectOption(`run:${GEN_RUN}`);
		await waitForTarget('e2e-gen-ok');
		expect(await page.getByTestId('label-progress').innerText()).toContain('0 / 1 labelled');
		const target = page.getByTestId('label-target');
		expect(await page.getByTestId('label-meta').innerText()).toContain('completion answer to completion/seed/CWE-79/e2e-toy/0');
		// Before the answer: neither the model nor the run nor the judge in the target.
		expect(await target.innerText()).not.toContain(GEN_MODEL);
		expect(await target.innerText()).not.toContain(GEN_RUN);
		expect(await page.getByTestId('label-reveal').count()).toBe(0);
		// The generated code is text, never markup.
		expect(await page.getByTestId('label-code').innerText()).toContain(XSS_CODE);
		expect(await page.locator('img').count()).toBe(0);

		await page.keyboard.press('v');
		await waitForAnswer('vulnerable');
		await page.getByTestId('reveal-generation').filter({ hasText: GEN_MODEL }).waitFor();
		expect(await page.getByTestId('reveal-generation').innerText()).toContain(GEN_RUN);
		await page.getByTestId('label-reveal').filter({ hasText: 'toy-judge-e2e' }).waitFor();
		await page.getByTestId('label-progress').filter({ hasText: '1 / 1 labelled' }).waitFor();

		const rows = (await readFile(join(data, 'labels', 'labels.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
		expect(rows.at(-1)).toMatchObject({ target_id: 'e2e-gen-ok', annotator: 'E2E Tester', vulnerable: true, cwe: 'CWE-79' });
		await page.keyboard.press('Enter');
		await page.getByTestId('label-done').waitFor();
		expect(dialogs).toEqual([]);
	});
});
