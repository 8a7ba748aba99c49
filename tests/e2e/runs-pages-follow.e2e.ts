// The runs pages follow the runs folder (issue 13): runs another process writes (the CLI) —
// progressing, finishing, started after the page loaded, resumed after an interruption — show
// in an open tab without a reload; state is said by outcome (every unit failed is never the
// clean green); tokens not yet totalled are the rows' so far ("30 / 40 so far"); the list fits 1400 and
// 1000 px, long run ids shortened; error examples are separated; a hand-named CLI run is not "derived from another run";
// a run another process writes offers no Resume; a batch run names its batches and the CLI command that resumes it.
// Runs are planted as the engine writes them (manifest, log, lock held by this live process).
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rowToLine } from '../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../src/lib/engine/types.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const runsDir = join(inject('workDir'), 'runs');
// The pages ask every 2 s while a run goes on (5 s at most): well within this.
const T = { timeout: 20_000 };
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

async function openPage(path: string, width = 1300): Promise<Page> {
	const page = await browser.newPage({ viewport: { width, height: 900 } });
	await page.goto(baseURL + path);
	return page;
}

async function shot(page: Page, name: string): Promise<void> {
	if (process.env.COVW_SHOTS) await page.screenshot({ path: join(process.env.COVW_SHOTS, `${name}.png`), fullPage: true });
}

const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 30, tokens_out: 40,
	cached: false, attempts: 1, finished_at: new Date().toISOString(), meta: { item_id: `item-${unit}`, model: 'test-model', task: 'completion' },
	...extra
});
const failed = (unit: string) => row(unit, { status: 'error', response: null, error: 'HTTP 503 after 6 attempts', tokens_in: 0, tokens_out: 0 });

interface Plant {
	state: 'running' | 'completed';
	total: number;
	sessions?: number;
	tokens?: { in: number; out: number };
	cost?: number;
}

function writeManifest(runId: string, p: Plant): void {
	const started = '2026-11-29T01:00:00.000Z';
	const manifest = {
		run_id: runId, kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'test-model', selection: {}, samples: 1 }, dataset_hash: null, endpoints: [],
		state: p.state, started_at: started, sessions: Array.from({ length: p.sessions ?? 1 }, () => started),
		finished_at: p.state === 'completed' ? new Date().toISOString() : null,
		counts: { total: p.total, ok: 0, error: 0, unparsed: 0, pending: p.total, cached: 0 },
		tokens: { in: p.tokens?.in ?? 0, out: p.tokens?.out ?? 0, cached_in: 0, cached_out: 0 }, cost_usd: p.cost ?? null, log_warnings: []
	};
	// Atomically, as the engine writes it.
	const path = join(runsDir, runId, 'manifest.json');
	writeFileSync(path + '.tmp', JSON.stringify(manifest, null, 2) + '\n');
	renameSync(path + '.tmp', path);
}

/** A run as a CLI process writes it; `writer`: its lock is held (by this live process). */
function plant(runId: string, p: Plant & { rows: ResultRow[]; writer: boolean }): void {
	mkdirSync(join(runsDir, runId), { recursive: true });
	writeFileSync(join(runsDir, runId, 'log.jsonl'), p.rows.map(rowToLine).join(''));
	setWriter(runId, p.writer);
	writeManifest(runId, p);
}

function setWriter(runId: string, held: boolean): void {
	const lock = join(runsDir, runId, 'lock');
	if (held) writeFileSync(lock, `${process.pid} e2etoken`);
	else rmSync(lock, { force: true });
}

const append = (runId: string, rows: ResultRow[]) => appendFileSync(join(runsDir, runId, 'log.jsonl'), rows.map(rowToLine).join(''));
const rowOf = (page: Page, runId: string) => page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
const GREEN = 'rgb(46, 125, 50)';

describe('the runs list follows the runs folder', () => {
	it('shows a CLI run progress and finish, a run started after the page loaded, and failed runs by outcome', async () => {
		plant('follow-cli-live', { state: 'running', total: 4, rows: [row('a')], writer: true });
		plant('follow-all-failed', { state: 'completed', total: 3, rows: [failed('a'), failed('b'), failed('c')], writer: false });
		const page = await openPage('/runs');
		const live = rowOf(page, 'follow-cli-live');
		await live.waitFor(T);
		expect(await live.getByTestId('run-row-state').textContent()).toBe('running');
		expect(await live.textContent()).toContain('1/4');
		// Tokens are totalled when a session ends: until then, those of the rows so far.
		expect(await live.getByTestId('run-row-tokens').textContent()).toBe('30 / 40 so far');

		const bad = rowOf(page, 'follow-all-failed').getByTestId('run-row-state');
		expect(await bad.textContent()).toBe('completed · 0 ok, 3 errors');
		expect(await bad.evaluate((e) => getComputedStyle(e).color)).not.toBe(GREEN);
		await shot(page, 'runs-follow-running');

		// The CLI writes more rows, then finishes: the open tab follows without a reload.
		append('follow-cli-live', [row('b'), row('c')]);
		await expect.poll(() => live.textContent(), T).toContain('3/4');
		append('follow-cli-live', [row('d')]);
		writeManifest('follow-cli-live', { state: 'completed', total: 4, tokens: { in: 120, out: 160 } });
		setWriter('follow-cli-live', false);
		await expect.poll(() => live.getByTestId('run-row-state').textContent(), T).toBe('completed');
		expect(await live.textContent()).toContain('4/4');
		expect(await live.getByTestId('run-row-state').evaluate((e) => getComputedStyle(e).color)).toBe(GREEN);
		expect(await live.getByTestId('run-row-tokens').textContent()).toBe('120 / 160');

		// A run started after the page loaded appears.
		plant('follow-cli-new', { state: 'running', total: 2, rows: [], writer: true });
		await rowOf(page, 'follow-cli-new').waitFor(T);
		writeManifest('follow-cli-new', { state: 'completed', total: 2 });
		setWriter('follow-cli-new', false);

		// The list has an ETag; asked again with it, nothing changed: 304, no body.
		const first = await fetch(`${baseURL}/api/runs`);
		const etag = first.headers.get('etag');
		expect(etag).toBeTruthy();
		const again = await fetch(`${baseURL}/api/runs`, { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect(await again.text()).toBe('');

		// The table fits the window, long run ids and all: at 1400 and 1000 px nothing scrolls —
		// neither the page nor the table within — and the "started" column is on screen. A long
		// id is shown whole (two ids that differ in the middle read apart), wrapping at its dashes;
		// the full id is the link's title too.
		const longId = 'import-released-outputs-codellama-13b-instruct-hf-completion-t0.2-samples5-0123456789abcdef';
		plant(longId, { state: 'completed', total: 2, rows: [row('a'), row('b')], writer: false });
		await rowOf(page, longId).waitFor(T);
		const link = rowOf(page, longId).locator('a');
		expect(await link.getAttribute('title')).toBe(longId);
		expect(await link.textContent()).toBe(longId);
		for (const width of [1400, 1000]) {
			await page.setViewportSize({ width, height: 900 });
			const fit = await page.evaluate(() => {
				const scroll = document.querySelector('[data-testid="runs-scroll"]')!;
				const started = [...document.querySelectorAll('[data-testid="runs-table"] th')].at(-1)!;
				return { page: document.documentElement.scrollWidth, window: window.innerWidth, table: scroll.scrollWidth - scroll.clientWidth, started: started.getBoundingClientRect().right, text: started.textContent };
			});
			expect(fit.page).toBeLessThanOrEqual(fit.window);
			expect(fit.text).toBe('started');
			expect(fit.table).toBeLessThanOrEqual(0);
			expect(fit.started).toBeLessThanOrEqual(fit.window);
			await shot(page, `runs-follow-${width}`);
		}
		await page.close();
	}, 120_000);
});

describe('the runs list asks only while the tab is visible', () => {
	it('sends no request while hidden, and asks at once when visible again', async () => {
		plant('follow-hidden', { state: 'running', total: 2, rows: [], writer: true });
		const page = await openPage('/runs');
		await rowOf(page, 'follow-hidden').waitFor(T);
		const asks: number[] = [];
		page.on('request', (r) => void (new URL(r.url()).pathname === '/api/runs' && asks.push(Date.now())));
		const setVisibility = (state: string) =>
			page.evaluate((s) => {
				Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
				document.dispatchEvent(new Event('visibilitychange'));
			}, state);
		// A run goes on: asked every ~2 s while visible.
		await expect.poll(() => asks.length, T).toBeGreaterThanOrEqual(1);
		await setVisibility('hidden');
		await page.waitForTimeout(300); // an ask already on its way may land
		const before = asks.length;
		await page.waitForTimeout(6_000);
		expect(asks.length).toBe(before);
		// Meanwhile the run ends; visible again, the page asks at once and shows it.
		writeManifest('follow-hidden', { state: 'completed', total: 2 });
		setWriter('follow-hidden', false);
		await setVisibility('visible');
		await expect.poll(() => rowOf(page, 'follow-hidden').getByTestId('run-row-state').textContent(), { timeout: 1_500 }).toBe('completed');
		await page.close();
	}, 60_000);
});

describe('a run page follows its run', () => {
	it('turns from interrupted to completed when the CLI resumes it, with separated examples and no "derived" resume text', async () => {
		plant('follow-intr', { state: 'running', total: 6, rows: [row('a'), failed('b'), failed('c'), failed('d')], writer: false });
		const page = await openPage('/runs/follow-intr');
		await page.getByTestId('run-summary').waitFor(T);
		const state = page.getByTestId('run-detail-state');
		expect(await state.textContent()).toBe('interrupted');
		// One ok row (30 in, 40 out) and three failed ones (none) so far.
		expect(await page.getByTestId('run-detail-tokens').textContent()).toBe('30 in · 40 out so far');
		// The error examples are a list, not one run-together word.
		expect(await page.getByTestId('run-error-units').first().textContent()).toBe('item-b, item-c, item-d');
		// A plain generation run named by hand (covw run --run-id) is not "derived from another run".
		const noResume = await page.getByTestId('run-detail-no-resume').textContent();
		expect(noResume).not.toContain('derived');
		expect(noResume).toContain('--run-id');
		await shot(page, 'run-follow-interrupted');

		// The CLI resumes it: a second session, the rows, the end.
		setWriter('follow-intr', true);
		writeManifest('follow-intr', { state: 'running', total: 6, sessions: 2 });
		await expect.poll(() => state.textContent(), T).toBe('running');
		// Another process writes it now: the page offers no Resume (it would be refused) and no
		// "Cancel does" note without a Cancel button, but says where to stop it.
		await expect.poll(() => page.getByTestId('run-detail-elsewhere').count(), T).toBe(1);
		expect(await page.getByTestId('run-detail-resume').count()).toBe(0);
		expect(await page.getByTestId('run-detail-server-note').count()).toBe(0);
		append('follow-intr', [row('b'), row('c'), row('d'), row('e'), failed('f')]);
		writeManifest('follow-intr', { state: 'completed', total: 6, sessions: 2, tokens: { in: 300, out: 400 } });
		setWriter('follow-intr', false);
		await expect.poll(() => state.textContent(), T).toBe('completed · 5 ok, 1 error');
		expect(await state.evaluate((e) => getComputedStyle(e).color)).not.toBe(GREEN);
		expect(await page.getByTestId('run-detail-counts').textContent()).toMatch(/6\/6 done · 5 ok · 1 error ·/);
		expect(await page.getByTestId('run-detail-tokens').textContent()).toBe('300 in · 400 out');
		await expect.poll(() => page.getByTestId('run-summary').textContent(), T).toContain('over 2 sessions');
		await shot(page, 'run-follow-completed');
		await page.close();
	}, 120_000);

	it('shows an interrupted batch run: its batch id, last known status, the batch price and the CLI command that resumes it', async () => {
		const id = 'gen-detection-test-model-batcht10';
		plant(id, { state: 'running', total: 3, rows: [], writer: false, cost: 0.0123 });
		const path = join(runsDir, id, 'manifest.json');
		const m = JSON.parse(readFileSync(path, 'utf8'));
		m.params = { ...m.params, task: 'detection', batch: true };
		writeFileSync(path, JSON.stringify(m, null, 2));
		mkdirSync(join(runsDir, id, 'batch'), { recursive: true });
		writeFileSync(join(runsDir, id, 'batch', 'batches.json'), JSON.stringify({ batches: [{
			seq: 1, via: 'openai', endpoint: 'local', model: 'test-model', units: ['u1', 'u2', 'u3'], input: 'input-1.jsonl', output: null, errors: null,
			input_file_id: 'file-1', batch_id: 'batch_abc123', status: 'in_progress', ingested: false, created_at: '2026-11-29T15:00:00.000Z', updated_at: '2026-11-29T15:00:05.000Z'
		}] }));
		const page = await openPage(`/runs/${id}`);
		await page.getByTestId('run-summary').waitFor(T);
		expect(await page.getByTestId('run-detail-state').textContent()).toBe('interrupted');
		expect(await page.getByTestId('run-detail-interrupted').textContent()).toContain('its batch goes on at the provider');
		const batch = (await page.getByTestId('run-detail-batch').textContent())!;
		expect(batch).toContain('OpenAI Batch API');
		expect(batch).toMatch(/#1 batch_abc123: 3 units, in_progress when last polled/);
		expect(await page.getByTestId('run-detail-batch-resume').textContent()).toBe(`covw batch resume ${id}`);
		expect(await page.getByTestId('run-detail-price-note').textContent()).toBe('(batch price (½ of list))');
		// Never "the config … changed": the page says batch runs resume from the CLI.
		const noResume = (await page.getByTestId('run-detail-no-resume').textContent())!;
		expect(noResume).toContain('batch runs resume from the CLI');
		expect(noResume).not.toContain('changed');
		expect(await page.getByTestId('run-detail-resume').count()).toBe(0);
		await shot(page, 'run-batch-interrupted');
		await page.close();
	}, 60_000);

	it('warns of every replica the run drained, each with its session, and lists the judge runs over it apart', async () => {
		plant('follow-drained', { state: 'completed', total: 2, rows: [row('a'), row('b')], writer: false });
		const path = join(runsDir, 'follow-drained', 'manifest.json');
		const m = JSON.parse(readFileSync(path, 'utf8'));
		m.sessions = ['2026-11-27T08:00:00.000Z', '2026-11-28T09:15:00.000Z'];
		m.replicas_drained = [
			{ endpoint: 'farm', url: 'http://10.0.0.6:8000/v1', failures: 3, drains: 1, last_error: 'Connection error.', session: m.sessions[0] },
			{ endpoint: 'farm', url: 'http://10.0.0.7:8000/v1', failures: 9, drains: 2, last_error: '503 Service Unavailable', session: m.sessions[1] }
		];
		writeFileSync(path, JSON.stringify(m, null, 2));
		for (const judge of ['rules', 'bandit']) {
			const id = `judge-${judge}-follow-drained`;
			mkdirSync(join(runsDir, id), { recursive: true });
			writeFileSync(join(runsDir, id, 'log.jsonl'), '');
			writeFileSync(join(runsDir, id, 'manifest.json'), JSON.stringify({ ...m, run_id: id, kind: 'judge', params: { judge, source: { run: 'follow-drained' } }, replicas_drained: undefined }));
		}
		const page = await openPage('/runs/follow-drained');
		await page.getByTestId('run-summary').waitFor(T);
		const lines = page.getByTestId('run-replicas-drained').locator('li');
		await expect.poll(() => lines.count(), T).toBe(2);
		const first = (await lines.nth(0).textContent())!;
		expect(first).toContain('replica http://10.0.0.6:8000/v1 of endpoint "farm" was drained once in session 1 of 2 (started 2026-11-27 08:00 UTC) after 3 failed attempts');
		expect(first).toContain('last failure: Connection error.');
		expect(await lines.nth(1).textContent()).toContain('drained 2× in session 2 of 2 (started 2026-11-28 09:15 UTC) after 9 failed attempts');
		expect(await page.getByTestId('run-judged-by').textContent()).toMatch(/^judge-(rules|bandit)-follow-drained, judge-(rules|bandit)-follow-drained$/);
		await shot(page, 'run-replicas-drained');
		await page.close();
	}, 60_000);
});

describe('the runs list with absurd totals', () => {
	it('keeps the table in place when a run says 5.4e+301 tokens and $1.35e+296 (a shared manifest may say anything)', async () => {
		const unreadable = row('b', { tokens_in: null, tokens_out: null, meta: { item_id: 'item-b', model: 'test-model', task: 'completion', usage_invalid: true } });
		plant('follow-absurd-usage', { state: 'completed', total: 2, rows: [row('a'), unreadable], writer: false, tokens: { in: 5.4e301, out: 1_080_000_000 }, cost: 1.35e296 });
		const page = await openPage('/runs');
		const huge = rowOf(page, 'follow-absurd-usage');
		await huge.waitFor(T);
		// 1400 px: the whole table in the window, "started" on screen; 1000 px: the page never
		// scrolls sideways (a table too wide scrolls within its box, as for any narrow window).
		for (const width of [1400, 1000]) {
			await page.setViewportSize({ width, height: 900 });
			const fit = await page.evaluate(() => {
				const scroll = document.querySelector('[data-testid="runs-scroll"]')!;
				const started = [...document.querySelectorAll('[data-testid="runs-table"] th')].at(-1)!;
				return { page: document.documentElement.scrollWidth - window.innerWidth, table: scroll.scrollWidth - scroll.clientWidth, started: started.getBoundingClientRect().right - window.innerWidth };
			});
			await shot(page, `runs-absurd-${width}`);
			expect(fit.page).toBeLessThanOrEqual(0);
			if (width === 1400) {
				expect(fit.table).toBeLessThanOrEqual(0);
				expect(fit.started).toBeLessThanOrEqual(0);
			}
		}
		// Cut in the cell, whole in the tooltip; a big but possible total (108 answers of
		// 10,000,000 tokens) whole in a wide window.
		const tokens = huge.getByTestId('run-row-tokens').locator('.num');
		expect((await tokens.first().getAttribute('title'))!.replace(/,/g, '').length).toBeGreaterThan(300);
		await page.setViewportSize({ width: 1400, height: 900 });
		expect(await tokens.last().evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
		expect(await tokens.last().textContent()).toBe('1,080,000,000');
		// The run's page says that a row's usage could not be read, and stays in the window.
		await page.goto(`${baseURL}/runs/follow-absurd-usage`);
		await expect.poll(() => page.getByTestId('run-detail-usage-unreadable').textContent(), T).toContain('usage unreadable on 1 row: tokens and cost are lower bounds');
		expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
		await shot(page, 'run-absurd-detail');
		await page.close();
	}, 60_000);
});
